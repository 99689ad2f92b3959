use super::*;

#[test]
fn plain_url_gets_default_port_and_db() {
    let url = RedisUrl::parse("redis://localhost").unwrap();
    assert_eq!(
        (url.host(), url.port(), url.db(), url.tls()),
        ("localhost", 6379, 0, false)
    );
    assert_eq!(url.password(), None);
}

#[test]
fn tls_credentials_port_and_db_are_read() {
    let url = RedisUrl::parse("rediss://default:p%40ss@cache.example.com:6380/3").unwrap();
    assert!(url.tls());
    assert_eq!(url.username(), Some("default"));
    assert_eq!(url.password(), Some("p@ss"));
    assert_eq!((url.port(), url.db()), (6380, 3));
}

#[test]
fn password_only_and_query_db_are_read() {
    let url = RedisUrl::parse("redis://:secret@127.0.0.1:6379?db=5").unwrap();
    assert_eq!(url.username(), None);
    assert_eq!(url.password(), Some("secret"));
    assert_eq!(url.db(), 5);
}

#[test]
fn ipv6_hosts_are_bracketed_for_connects() {
    let url = RedisUrl::parse("redis://[::1]:7000/1").unwrap();
    assert_eq!(url.host(), "::1");
    assert_eq!(url.socket_addr(), "[::1]:7000");
}

#[test]
fn display_and_debug_never_show_the_password() {
    let url = RedisUrl::parse("rediss://u:topsecret@h:1/2").unwrap();
    for shown in [url.to_string(), format!("{url:?}")] {
        assert!(!shown.contains("topsecret"), "{shown}");
        assert!(shown.contains(MASK));
    }
}

#[test]
fn malformed_urls_are_refused_with_a_reason() {
    assert_eq!(RedisUrl::parse("http://h"), Err(RedisUrlError::Scheme));
    assert_eq!(RedisUrl::parse("redis://"), Err(RedisUrlError::NoHost));
    assert_eq!(RedisUrl::parse("redis://h:0"), Err(RedisUrlError::Port));
    assert_eq!(RedisUrl::parse("redis://h:99999"), Err(RedisUrlError::Port));
    assert_eq!(RedisUrl::parse("redis://h/x"), Err(RedisUrlError::Db));
    assert_eq!(RedisUrl::parse("redis://h?db=x"), Err(RedisUrlError::Db));
    assert_eq!(
        RedisUrl::parse("redis://u:%zz@h"),
        Err(RedisUrlError::Escape)
    );
}

#[test]
fn a_raw_slash_query_or_hash_in_the_password_is_refused_as_redis_py_refuses_it() {
    // urllib.parse ends the host part at the first `/`, `?` or `#`: redis-py reads `:Ab3` as
    // host and port and raises; the reference service never connects with these URLs.
    for raw in [
        "redis://:Ab3/xYz9@cache:6379/0",
        "rediss://default:Ab3/xYz9==@cache:6380",
        "redis://:pa?ss@cache:6379",
        "redis://:pa#ss@cache:6379/0",
        "redis://Ab3/xYz9@cache/0",
    ] {
        assert_eq!(
            RedisUrl::parse(raw),
            Err(RedisUrlError::UnencodedUserInfo),
            "{raw}"
        );
    }
    // Percent-encoded, the same password is read whole.
    let url = RedisUrl::parse("redis://:Ab3%2FxYz9@cache:6379/0").unwrap();
    assert_eq!(url.password(), Some("Ab3/xYz9"));
    // A fragment is ignored, as `from_url` ignores it.
    assert_eq!(RedisUrl::parse("redis://h:1/2#x").unwrap().db(), 2);
    // An `@` in the query of a well-formed URL is no user-info.
    assert_eq!(
        RedisUrl::parse("redis://h:1?db=x@y"),
        Err(RedisUrlError::Db)
    );
}

/// Every substring of 3 characters or more of `password`.
fn fragments(password: &str) -> Vec<String> {
    let chars: Vec<char> = password.chars().collect();
    let mut out = Vec::new();
    for start in 0..chars.len() {
        for end in start + 3..=chars.len() {
            out.push(chars[start..end].iter().collect());
        }
    }
    out
}

#[test]
fn no_error_message_quotes_any_fragment_of_the_password() {
    // Each URL puts its password where a port, a host, a database index or an escape is read.
    let cases = [
        ("redis://:Qk7/Zw4v@cache:6379/0", "Qk7/Zw4v"),
        ("redis://:Qk7Zw4v@cache:Jm5Rx8/0", "Jm5Rx8"),
        ("redis://:Jm5Rx8", "Jm5Rx8"),
        ("redis://cache:6379/Jm5Rx8", "Jm5Rx8"),
        ("redis://cache:6379?db=Jm5Rx8", "Jm5Rx8"),
        ("redis://:Jm5%zzRx8@cache", "Jm5%zzRx8"),
        ("redis://:Jm5?Rx8@cache:6379", "Jm5?Rx8"),
        ("redis://:Jm5#Rx8@cache:6379", "Jm5#Rx8"),
        ("redis://u:x@[Jm5Rx8", "Jm5Rx8"),
        ("redis://u:Jm5Rx8@[::1]:Jm5Rx8", "Jm5Rx8"),
        ("redis://u:Jm5Rx8@:6379", "Jm5Rx8"),
        ("redis:/u:Jm5Rx8@cache", "Jm5Rx8"),
    ];
    for (raw, password) in cases {
        let error = RedisUrl::parse(raw).expect_err(raw);
        for shown in [error.to_string(), format!("{error:?}")] {
            for fragment in fragments(password) {
                assert!(
                    !shown.contains(&fragment),
                    "{raw}: `{fragment}` shown in {shown}"
                );
            }
        }
    }
}
