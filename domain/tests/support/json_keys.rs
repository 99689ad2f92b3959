//! The object keys of a JSON text in document order, with their nesting depth.
//!
//! serde_json's `Value` sorts keys in this workspace, so key order is checked on the text.

/// `(depth, key)` for every object key, in order of appearance. Assumes valid JSON.
pub fn keys_in_order(text: &str) -> Vec<(usize, String)> {
    let bytes = text.as_bytes();
    let mut keys = Vec::new();
    let mut depth = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' | b'[' => depth += 1,
            b'}' | b']' => depth -= 1,
            b'"' => {
                let start = i;
                i += 1;
                while bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                let literal = &text[start..=i];
                let mut j = i + 1;
                while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                    j += 1;
                }
                if bytes.get(j) == Some(&b':') {
                    let key: String = serde_json::from_str(literal).expect("a JSON string");
                    keys.push((depth, key));
                }
            }
            _ => {}
        }
        i += 1;
    }
    keys
}

#[test]
fn keys_are_listed_with_their_depth() {
    let keys = keys_in_order(r#"{"b": {"a\"": [1, {"c": "x:"}]}, "a": 2}"#);
    let expected = [(1, "b"), (2, "a\""), (4, "c"), (1, "a")];
    let expected: Vec<(usize, String)> =
        expected.iter().map(|(d, k)| (*d, k.to_string())).collect();
    assert_eq!(keys, expected);
}
