//! Real TLS for test services: a throw-away CA from `scripts/test-ca.sh`, and a listener that
//! terminates TLS with the server certificate it signed, for `axum::serve`. Greenlight trusts
//! the CA through `[server] ca_file`, as a team with an internal CA would configure it.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};

pub struct TestCa {
    dir: tempfile::TempDir,
}

impl TestCa {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir for the test CA");
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/test-ca.sh");
        let made = std::process::Command::new("bash")
            .arg(&script)
            .arg(dir.path())
            .output()
            .expect("bash runs scripts/test-ca.sh");
        assert!(
            made.status.success(),
            "scripts/test-ca.sh failed (is openssl installed?): {}",
            String::from_utf8_lossy(&made.stderr)
        );
        Self { dir }
    }

    /// The CA certificate, for `ca_file`.
    pub fn ca_file(&self) -> PathBuf {
        self.dir.path().join("ca.pem")
    }

    pub fn server_cert(&self) -> PathBuf {
        self.dir.path().join("server.pem")
    }

    pub fn server_key(&self) -> PathBuf {
        self.dir.path().join("server.key")
    }

    fn acceptor(&self) -> TlsAcceptor {
        let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(self.server_cert())
            .expect("server.pem")
            .collect::<Result<_, _>>()
            .expect("server.pem parses");
        let key = PrivateKeyDer::from_pem_file(self.server_key()).expect("server.key parses");
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .expect("server certificate and key match");
        TlsAcceptor::from(Arc::new(config))
    }

    /// A TLS listener on a free loopback port, serving this CA's server certificate.
    pub async fn listener(&self) -> TlsListener {
        TlsListener::new(
            TcpListener::bind("127.0.0.1:0").await.expect("bind"),
            self.acceptor(),
        )
    }
}

pub use engine::practice::tls::TlsListener;
