//! `difflib::ratio` against CPython's own `difflib.SequenceMatcher` on random pairs generated
//! at test time (ASCII and non-ASCII, short, long enough for autojunk, edited copies, and
//! repetitive text). Compared bit for bit. Skipped, saying so, when `python3` is absent.

mod support;

const GENERATOR: &str = r#"
import json, random, struct
from difflib import SequenceMatcher
random.seed(20261130)
alphabets = ["ab", "abcdefghij", "aé漢 \n", "xyz😀ΣσİßAB", "abcdefghijklmnopqrstuvwxyz .,", "AB \x1c\x85"]
def rs(n, alpha):
    return "".join(random.choice(alpha) for _ in range(n))
pairs = []
for _ in range(1500):
    alpha = random.choice(alphabets)
    kind = random.random()
    if kind < 0.3:
        a, b = rs(random.randint(0, 30), alpha), rs(random.randint(0, 30), alpha)
    elif kind < 0.55:
        a, b = rs(random.randint(150, 600), alpha), rs(random.randint(150, 600), alpha)
    elif kind < 0.85:
        a = rs(random.randint(100, 500), alpha)
        b = list(a)
        for _ in range(random.randint(0, 40)):
            p = random.randint(0, len(b))
            if random.random() < 0.5 and b:
                del b[min(p, len(b) - 1)]
            else:
                b.insert(p, random.choice(alpha))
        b = "".join(b)
    else:
        unit = rs(random.randint(1, 5), alpha)
        a = unit * random.randint(0, 120) + rs(random.randint(0, 20), alpha)
        b = unit * random.randint(0, 120) + rs(random.randint(0, 20), alpha)
    r = SequenceMatcher(None, a, b).ratio()
    pairs.append([a, b, struct.unpack("<Q", struct.pack("<d", r))[0]])
print(json.dumps(pairs))
"#;

#[test]
fn ratio_is_bit_identical_to_cpython_on_random_pairs() {
    let Some(stdout) = support::python_output(GENERATOR) else {
        return;
    };
    let pairs: Vec<(String, String, u64)> = serde_json::from_slice(&stdout).unwrap();
    assert_eq!(pairs.len(), 1500);
    let ascii = pairs
        .iter()
        .filter(|(a, b, _)| a.is_ascii() && b.is_ascii())
        .count();
    assert!(
        ascii > 300 && ascii < 1300,
        "both paths exercised: {ascii} ASCII pairs"
    );
    for (a, b, bits) in &pairs {
        let ours = domain::difflib::ratio(a, b);
        assert_eq!(
            ours.to_bits(),
            *bits,
            "ratio({a:?}, {b:?}) = {ours}, CPython {}",
            f64::from_bits(*bits)
        );
    }
}
