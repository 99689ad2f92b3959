//! What a Python program gets from a child's pipe with `subprocess.run(..., text=True)`: the
//! bytes decoded as strict UTF-8 (a bad byte raises `UnicodeDecodeError`, whose text the
//! reference records as the case's error), then universal newlines (`\r\n` and `\r` become
//! `\n`).

/// The pipe's text, or `str()` of the `UnicodeDecodeError` CPython raises.
pub fn py_pipe_text(bytes: &[u8]) -> Result<String, String> {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => return Err(decode_error(bytes, &e)),
    };
    if !text.contains('\r') {
        return Ok(text.to_string());
    }
    Ok(text.replace("\r\n", "\n").replace('\r', "\n"))
}

fn decode_error(bytes: &[u8], e: &std::str::Utf8Error) -> String {
    let start = e.valid_up_to();
    let (len, reason) = match e.error_len() {
        None => (bytes.len() - start, "unexpected end of data"),
        Some(len) => {
            let reason = match bytes[start] {
                0x80..=0xc1 | 0xf5.. => "invalid start byte",
                _ => "invalid continuation byte",
            };
            (len, reason)
        }
    };
    if len == 1 {
        format!(
            "'utf-8' codec can't decode byte 0x{:02x} in position {start}: {reason}",
            bytes[start]
        )
    } else {
        format!(
            "'utf-8' codec can't decode bytes in position {start}-{}: {reason}",
            start + len - 1
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_errors_read_as_cpythons() {
        // python3 -c 'b"ab\xff".decode()' and friends, str() of the exception.
        let table: [(&[u8], &str); 5] = [
            (
                b"ab\xff",
                "'utf-8' codec can't decode byte 0xff in position 2: invalid start byte",
            ),
            (
                b"\xc3(",
                "'utf-8' codec can't decode byte 0xc3 in position 0: invalid continuation byte",
            ),
            (
                b"x\xe2\x82",
                "'utf-8' codec can't decode bytes in position 1-2: unexpected end of data",
            ),
            (
                b"\xe2\x82(",
                "'utf-8' codec can't decode bytes in position 0-1: invalid continuation byte",
            ),
            (
                b"\xed\xa0\x80",
                "'utf-8' codec can't decode byte 0xed in position 0: invalid continuation byte",
            ),
        ];
        for (bytes, message) in table {
            assert_eq!(py_pipe_text(bytes).unwrap_err(), message, "{bytes:?}");
        }
    }

    #[test]
    fn newlines_are_translated_as_text_mode_does() {
        assert_eq!(py_pipe_text(b"a\r\nb\rc\n").unwrap(), "a\nb\nc\n");
        assert_eq!(py_pipe_text("é".as_bytes()).unwrap(), "é");
    }
}
