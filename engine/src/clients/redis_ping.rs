//! A Redis PING over RESP, bounded by a timeout, with nothing left open afterwards.
//!
//! Greenlight needs only AUTH, SELECT and PING, so it speaks them directly instead of pulling in
//! a full client. Each call opens one connection and drops it before returning.

use std::time::{Duration, Instant};

use domain::RedisUrl;

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio_rustls::rustls::pki_types::ServerName;

use crate::tls::TrustedRoots;

/// Longest reply line accepted; PING, AUTH and SELECT replies are a few bytes.
const MAX_REPLY: usize = 4096;

/// Why a PING did not succeed. `Unreachable` and `Timeout` mean "could not measure";
/// `Rejected` means the server answered, with an error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PingError {
    #[error("could not connect to {addr}: {reason}")]
    Unreachable { addr: String, reason: String },
    #[error("no answer from {addr} within {ms} ms")]
    Timeout { addr: String, ms: u128 },
    #[error("Redis at {addr} answered {reply}")]
    Rejected { addr: String, reply: String },
    #[error("TLS handshake with {addr} failed: {reason}")]
    Tls { addr: String, reason: String },
}

/// Connects, authenticates and selects the database as the URL says, sends PING and expects
/// PONG. Returns the round-trip time of the whole exchange. `rediss://` trusts `roots`.
pub async fn ping(
    url: &RedisUrl,
    timeout: Duration,
    roots: &TrustedRoots,
) -> Result<Duration, PingError> {
    let addr = url.socket_addr();
    let started = Instant::now();
    match tokio::time::timeout(timeout, exchange(url, &addr, roots)).await {
        Ok(Ok(())) => Ok(started.elapsed()),
        Ok(Err(e)) => Err(e),
        Err(_) => Err(PingError::Timeout {
            addr,
            ms: timeout.as_millis(),
        }),
    }
}

async fn exchange(url: &RedisUrl, addr: &str, roots: &TrustedRoots) -> Result<(), PingError> {
    let tcp = TcpStream::connect(addr)
        .await
        .map_err(|e| PingError::Unreachable {
            addr: addr.to_string(),
            reason: e.to_string(),
        })?;
    let _ = tcp.set_nodelay(true);
    if !url.tls() {
        return talk(url, addr, tcp).await;
    }
    // rediss://: TLS with the trusted roots and the URL's host as the server name.
    let tls_err = |reason: String| PingError::Tls {
        addr: addr.to_string(),
        reason,
    };
    let config = roots.rustls_config().map_err(tls_err)?;
    let name = ServerName::try_from(url.host().to_string()).map_err(|e| tls_err(e.to_string()))?;
    let stream = tokio_rustls::TlsConnector::from(config)
        .connect(name, tcp)
        .await
        .map_err(|e| tls_err(e.to_string()))?;
    talk(url, addr, stream).await
}

/// AUTH, SELECT and PING over an established (plain or TLS) stream.
async fn talk<S: AsyncRead + AsyncWrite + Unpin>(
    url: &RedisUrl,
    addr: &str,
    stream: S,
) -> Result<(), PingError> {
    let mut stream = BufReader::new(stream);
    let io_err = |e: std::io::Error| PingError::Unreachable {
        addr: addr.to_string(),
        reason: e.to_string(),
    };

    let mut commands: Vec<Vec<&str>> = Vec::new();
    let db = url.db().to_string();
    match (url.username(), url.password()) {
        (Some(user), Some(pass)) => commands.push(vec!["AUTH", user, pass]),
        (None, Some(pass)) => commands.push(vec!["AUTH", pass]),
        _ => {}
    }
    if url.db() != 0 {
        commands.push(vec!["SELECT", &db]);
    }
    commands.push(vec!["PING"]);

    for command in &commands {
        stream
            .get_mut()
            .write_all(&encode(command))
            .await
            .map_err(io_err)?;
    }
    for command in &commands {
        let reply = read_line(&mut stream).await.map_err(io_err)?;
        let expected = if command[0] == "PING" { "+PONG" } else { "+OK" };
        if reply != expected {
            // Never echo the command: AUTH carries the password.
            return Err(PingError::Rejected {
                addr: addr.to_string(),
                reply: describe(command[0], &reply),
            });
        }
    }
    Ok(())
}

fn describe(command: &str, reply: &str) -> String {
    let reply = if reply.is_empty() {
        "nothing (connection closed)"
    } else {
        reply
    };
    format!("`{reply}` to {command}")
}

fn encode(args: &[&str]) -> Vec<u8> {
    let mut out = format!("*{}\r\n", args.len()).into_bytes();
    for arg in args {
        out.extend_from_slice(format!("${}\r\n", arg.len()).as_bytes());
        out.extend_from_slice(arg.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out
}

async fn read_line<S: AsyncRead + Unpin>(stream: &mut BufReader<S>) -> std::io::Result<String> {
    let mut line = Vec::new();
    let mut limited = (&mut *stream).take(MAX_REPLY as u64);
    limited.read_until(b'\n', &mut line).await?;
    let text = String::from_utf8_lossy(&line);
    Ok(text.trim_end_matches(['\r', '\n']).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_are_encoded_as_resp_arrays() {
        assert_eq!(encode(&["PING"]), b"*1\r\n$4\r\nPING\r\n");
        assert_eq!(
            encode(&["SELECT", "12"]),
            b"*2\r\n$6\r\nSELECT\r\n$2\r\n12\r\n"
        );
    }

    #[tokio::test]
    async fn ping_reports_unreachable_when_the_port_is_closed() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        let url = RedisUrl::parse(&format!("redis://127.0.0.1:{port}")).unwrap();
        let err = ping(&url, Duration::from_secs(2), &TrustedRoots::default())
            .await
            .unwrap_err();
        assert!(matches!(err, PingError::Unreachable { .. }), "{err}");
    }

    #[tokio::test]
    async fn ping_times_out_against_a_server_that_never_answers() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let hold = tokio::spawn(async move {
            let (_socket, _) = listener.accept().await.unwrap();
            tokio::time::sleep(Duration::from_secs(10)).await;
        });
        let url = RedisUrl::parse(&format!("redis://127.0.0.1:{port}")).unwrap();
        let err = ping(&url, Duration::from_millis(200), &TrustedRoots::default())
            .await
            .unwrap_err();
        assert!(matches!(err, PingError::Timeout { .. }), "{err}");
        hold.abort();
    }

    #[tokio::test]
    async fn tls_urls_speak_tls_and_report_a_failed_handshake_as_tls() {
        // A plain TCP server that closes at once: a TLS client sees a handshake failure.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move {
            let (socket, _) = listener.accept().await.unwrap();
            drop(socket);
        });
        let url = RedisUrl::parse(&format!("rediss://localhost:{port}")).unwrap();
        let err = ping(&url, Duration::from_secs(2), &TrustedRoots::default())
            .await
            .unwrap_err();
        assert!(matches!(err, PingError::Tls { .. }), "{err}");
    }
}
