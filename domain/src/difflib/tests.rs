use super::*;

fn chars(s: &str) -> Vec<char> {
    s.chars().collect()
}

#[test]
fn ratio_matches_python_for_short_strings() {
    // SequenceMatcher(None, a, b).ratio() printed by python3 3.11.
    let table = [
        ("", "", 1.0),
        ("", "abc", 0.0),
        ("abc", "", 0.0),
        ("abc", "abc", 1.0),
        ("abcd", "bcde", 0.75),
        ("kitten", "sitting", 0.6153846153846154),
        (
            "private Thread currentThread;",
            "private volatile Thread currentThread;",
            0.8656716417910447,
        ),
        (
            "The quick brown fox",
            "the quick brown dog",
            0.8421052631578947,
        ),
        ("h\u{e9}llo w\u{f6}rld", "hello world", 0.8181818181818182),
        ("漢字かな交じり", "漢字カナ交じり", 0.7142857142857143),
        ("😀a😀b", "a😀b😀", 0.75),
        ("abxcd", "abcd", 0.8888888888888888),
        ("qabxcd", "abycdf", 0.6666666666666666),
        ("ΟΔΟΣ", "οδος", 0.0),
        ("aaaa", "aa", 0.6666666666666666),
    ];
    for (a, b, expected) in table {
        assert_eq!(ratio(a, b), expected, "ratio({a:?}, {b:?})");
    }
}

#[test]
fn autojunk_drops_popular_characters_of_long_second_strings() {
    // Built the same way in python3; expected values from SequenceMatcher there.
    let ab = "ab".repeat(150);
    let table = [
        (
            ab.clone(),
            format!("{}ba", "ab".repeat(149)),
            0.9933333333333333,
        ),
        // Every character is popular and the first ones differ: nothing matches at all.
        (ab.clone(), "ba".repeat(150), 0.0),
        (format!("x{ab}"), ab.clone(), 0.0),
        (ab.clone(), format!("x{ab}"), 0.0),
        (
            "abcdefghij".repeat(25),
            format!("{}abcdefghiX", "abcdefghij".repeat(24)),
            0.996,
        ),
        // 199 characters: no autojunk; 200: autojunk, and the ratio collapses.
        (
            format!("{}{}", "a".repeat(100), "b".repeat(99)),
            format!("{}{}", "b".repeat(99), "a".repeat(100)),
            0.5025125628140703,
        ),
        (
            format!("{}{}", "a".repeat(100), "b".repeat(100)),
            format!("{}{}", "b".repeat(100), "a".repeat(100)),
            0.0,
        ),
        (
            format!("{}XYZ{}", "ab".repeat(100), "ab".repeat(100)),
            format!("XYZ{}", "ab".repeat(200)),
            0.5037220843672456,
        ),
        (
            "the cat sat on the mat. ".repeat(12),
            "the dog sat on the mat! ".repeat(12),
            0.013888888888888888,
        ),
        (
            format!("pqrs{}tuvw", "ab".repeat(110)),
            format!("tuvw{}pqrs", "ab".repeat(110)),
            0.017543859649122806,
        ),
    ];
    for (a, b, expected) in table {
        assert_eq!(
            ratio(&a, &b),
            expected,
            "ratio of {} / {} chars",
            a.len(),
            b.len()
        );
    }
}

#[test]
fn matching_blocks_extend_over_popular_characters_and_end_with_the_sentinel() {
    // Python: Match(a=200, b=0, size=203), Match(a=403, b=403, size=0)
    let a = chars(&format!("{}XYZ{}", "ab".repeat(100), "ab".repeat(100)));
    let b = chars(&format!("XYZ{}", "ab".repeat(200)));
    assert_eq!(
        matching_blocks(&a, &b),
        [
            Match {
                a: 200,
                b: 0,
                size: 203
            },
            Match {
                a: 403,
                b: 403,
                size: 0
            }
        ]
    );
    // Python: [Match(a=0, b=0, size=2), Match(a=3, b=2, size=2), Match(a=5, b=4, size=0)]
    assert_eq!(
        matching_blocks(&chars("abxcd"), &chars("abcd")),
        [
            Match {
                a: 0,
                b: 0,
                size: 2
            },
            Match {
                a: 3,
                b: 2,
                size: 2
            },
            Match {
                a: 5,
                b: 4,
                size: 0
            }
        ]
    );
}

#[test]
fn ratio_of_outputs_around_100k_characters_matches_python() {
    let baseline: String = (0..8000).map(|i| format!("step {i}: ok\n")).collect();
    let output: String = (0..8000)
        .map(|i| {
            if i % 7 == 0 {
                format!("step {i}: retried\n")
            } else {
                format!("step {i}: ok\n")
            }
        })
        .collect();
    assert_eq!(baseline.len(), 110_890);
    assert_eq!(ratio(&baseline, &output), 7.033121607068287e-05);
    assert_eq!(ratio(&output, &baseline), 7.033121607068287e-05);

    // 100k characters, none popular (each occurs about 5 times): the index does the work.
    let x: String = (0..100_000_u32)
        .map(|i| char::from_u32(0x4e00 + (i * 7919) % 20_000).unwrap_or('?'))
        .collect();
    let y: String = x
        .chars()
        .enumerate()
        .map(|(i, c)| if i % 9973 == 0 { '#' } else { c })
        .collect();
    assert_eq!(ratio(&x, &y), 0.99989);
}
