//! TLS for the practice production service, whose Inngest webhook URL must be https:// like a
//! real one: a certificate authority made at start (rcgen, kept in memory; its certificate is
//! written to the practice directory for engineers' curl), a server certificate for 127.0.0.1
//! and localhost it signed, and a listener that terminates TLS for `axum::serve`.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

/// A practice CA and the acceptor serving the certificate it signed.
pub struct PracticeTls {
    pub ca: CertificateDer<'static>,
    pub ca_pem: String,
    pub acceptor: TlsAcceptor,
}

impl PracticeTls {
    pub fn generate() -> Result<Self, String> {
        let fail = |e: rcgen::Error| format!("cannot make the practice TLS certificate: {e}");
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).map_err(fail)?;
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "Greenlight practice CA");
        let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().map_err(fail)?)
            .map_err(fail)?;
        let server_key = KeyPair::generate().map_err(fail)?;
        let server = CertificateParams::new(vec!["127.0.0.1".to_string(), "localhost".into()])
            .map_err(fail)?
            .signed_by(&server_key, &ca)
            .map_err(fail)?;
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server_key.serialize_der()));
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_no_client_auth()
        .with_single_cert(vec![server.der().clone(), ca.der().clone()], key)
        .map_err(|e| format!("the practice certificate does not match its key: {e}"))?;
        Ok(Self {
            ca: ca.der().clone(),
            ca_pem: ca.pem(),
            acceptor: TlsAcceptor::from(Arc::new(config)),
        })
    }
}

/// A TCP listener whose connections are TLS, for `axum::serve`.
pub struct TlsListener {
    tcp: TcpListener,
    acceptor: TlsAcceptor,
}

impl TlsListener {
    pub fn new(tcp: TcpListener, acceptor: TlsAcceptor) -> Self {
        Self { tcp, acceptor }
    }
}

impl axum::serve::Listener for TlsListener {
    type Io = tokio_rustls::server::TlsStream<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            let Ok((tcp, addr)) = self.tcp.accept().await else {
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            };
            // A client that refuses the certificate just goes away; one that stalls is dropped
            // after a second, so the next can connect.
            let handshake = self.acceptor.accept(tcp);
            if let Ok(Ok(tls)) = tokio::time::timeout(Duration::from_secs(1), handshake).await {
                return (tls, addr);
            }
        }
    }

    fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.tcp.local_addr()
    }
}
