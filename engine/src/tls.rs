//! Which certificate authorities outbound TLS trusts: the public web roots, plus the
//! certificates of `[server] ca_file` (a team's internal CA, or a test CA). Every outbound
//! connection that can use TLS takes its trust from here: the probes' HTTP client, the
//! validator's Inngest route check, HTTP replay runners and `rediss://` PINGs.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio_rustls::rustls;
use tokio_rustls::rustls::pki_types::CertificateDer;
use tokio_rustls::rustls::pki_types::pem::PemObject;

/// The extra trusted roots; `TrustedRoots::default()` trusts the public web roots only.
#[derive(Clone, Default)]
pub struct TrustedRoots {
    extra: Arc<[CertificateDer<'static>]>,
    source: Option<PathBuf>,
}

impl std::fmt::Debug for TrustedRoots {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TrustedRoots")
            .field("extra", &self.extra.len())
            .field("source", &self.source)
            .finish()
    }
}

impl PartialEq for TrustedRoots {
    fn eq(&self, other: &Self) -> bool {
        self.extra == other.extra
    }
}

impl TrustedRoots {
    /// Reads a PEM bundle of one or more CA certificates. Refused, with the reason in words,
    /// when the file cannot be read, holds no certificate, or holds one that is not valid.
    pub fn load(path: &Path) -> Result<Self, String> {
        let pem =
            std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        Self::from_pem(&pem, path)
    }

    fn from_pem(pem: &[u8], path: &Path) -> Result<Self, String> {
        let mut extra = Vec::new();
        for (index, cert) in CertificateDer::pem_slice_iter(pem).enumerate() {
            let cert = cert.map_err(|e| {
                format!(
                    "{}: certificate {} is not valid PEM: {e}",
                    path.display(),
                    index + 1
                )
            })?;
            // The same check the verifier will make: refuse now, at start, not at the first probe.
            let mut store = rustls::RootCertStore::empty();
            store.add(cert.clone()).map_err(|e| {
                format!(
                    "{}: certificate {} cannot be used as a trusted root: {e}",
                    path.display(),
                    index + 1
                )
            })?;
            extra.push(cert);
        }
        if extra.is_empty() {
            return Err(format!(
                "{} holds no PEM certificate (-----BEGIN CERTIFICATE-----)",
                path.display()
            ));
        }
        Ok(Self {
            extra: extra.into(),
            source: Some(path.to_path_buf()),
        })
    }

    /// These roots and `root` (practice mode's own CA).
    pub fn with_root(&self, root: CertificateDer<'static>) -> Self {
        let mut extra = self.extra.to_vec();
        extra.push(root);
        Self {
            extra: extra.into(),
            source: self.source.clone(),
        }
    }

    /// How many certificates come on top of the web roots.
    pub fn extra_count(&self) -> usize {
        self.extra.len()
    }

    /// The extra roots, DER-encoded (for clients that take certificates one by one).
    pub fn extra_der(&self) -> impl Iterator<Item = &[u8]> {
        self.extra.iter().map(|c| c.as_ref())
    }

    /// The file they came from, if any.
    pub fn source(&self) -> Option<&Path> {
        self.source.as_deref()
    }

    /// An HTTP client builder that trusts these roots too.
    /// It never follows a redirect (see [`crate::redirects`]).
    pub fn http_client(&self) -> reqwest::ClientBuilder {
        let mut builder = reqwest::Client::builder().redirect(crate::redirects::policy());
        for cert in self.extra.iter() {
            // Each certificate was parsed and accepted as a root in `from_pem`.
            if let Ok(cert) = reqwest::Certificate::from_der(cert) {
                builder = builder.add_root_certificate(cert);
            }
        }
        builder
    }

    /// The rustls client configuration for `rediss://`.
    pub fn rustls_config(&self) -> Result<Arc<rustls::ClientConfig>, String> {
        let mut roots = rustls::RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        };
        for cert in self.extra.iter() {
            roots.add(cert.clone()).map_err(|e| e.to_string())?;
        }
        let config = rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(roots)
        .with_no_client_auth();
        Ok(Arc::new(config))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_without_certificates_is_refused_in_words() {
        let err = TrustedRoots::from_pem(b"not a certificate\n", Path::new("ca.pem")).unwrap_err();
        assert!(err.contains("holds no PEM certificate"), "{err}");
    }

    #[test]
    fn a_damaged_certificate_is_refused_with_its_position() {
        let pem = b"-----BEGIN CERTIFICATE-----\nMIIB!!!notbase64\n-----END CERTIFICATE-----\n";
        let err = TrustedRoots::from_pem(pem, Path::new("ca.pem")).unwrap_err();
        assert!(err.starts_with("ca.pem: certificate 1"), "{err}");
    }

    #[test]
    fn valid_base64_that_is_no_certificate_is_refused() {
        let pem = b"-----BEGIN CERTIFICATE-----\naGVsbG8gd29ybGQ=\n-----END CERTIFICATE-----\n";
        let err = TrustedRoots::from_pem(pem, Path::new("ca.pem")).unwrap_err();
        assert!(err.contains("cannot be used as a trusted root"), "{err}");
    }

    #[test]
    fn the_default_trusts_the_web_roots_only() {
        let roots = TrustedRoots::default();
        assert_eq!(roots.extra_count(), 0);
        assert!(roots.rustls_config().is_ok());
    }
}
