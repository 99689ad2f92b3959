//! Email over SMTP with lettre: STARTTLS (required, never silently plain) by default, TLS from the
//! first byte, or no TLS for a relay on the same machine. The console's `ca_file` is trusted
//! beside the web roots.

use domain::alert::Notification;
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::{Channel, SEND_TIMEOUT, Sending};
use crate::config::{EmailConfig, SmtpSecurity};
use crate::tls::TrustedRoots;

pub(super) struct Email {
    pub name: String,
    pub config: EmailConfig,
    pub roots: TrustedRoots,
}

pub fn text(n: &Notification) -> String {
    let mut body = format!("{}\n\n{}\n", n.subject(), n.alert.reason);
    if let Some(env) = &n.alert.environment {
        body.push_str(&format!("\nEnvironment: {env}"));
    }
    body.push_str(&format!(
        "\nRule: {}\nSince: {} UTC\n",
        n.alert.rule.as_str(),
        domain::time::minute_utc(n.opened_unix)
    ));
    if let Some(url) = &n.url {
        body.push_str(&format!("\nOpen in Greenlight: {url}\n"));
    }
    body
}

impl Email {
    fn tls(&self) -> Result<Tls, String> {
        let params = || {
            let mut builder = TlsParameters::builder(self.config.host.clone());
            for der in self.roots.extra_der() {
                let cert = Certificate::from_der(der.to_vec())
                    .map_err(|e| format!("cannot use a ca_file certificate: {e}"))?;
                builder = builder.add_root_certificate(cert);
            }
            builder
                .build_rustls()
                .map_err(|e| format!("cannot set up TLS: {e}"))
        };
        Ok(match self.config.security {
            SmtpSecurity::Starttls => Tls::Required(params()?),
            SmtpSecurity::Tls => Tls::Wrapper(params()?),
            SmtpSecurity::None => Tls::None,
        })
    }

    async fn deliver(&self, n: &Notification) -> Result<(), String> {
        let mailbox = |text: &str| {
            text.parse::<Mailbox>()
                .map_err(|e| format!("address {text:?} is not valid: {e}"))
        };
        let mut message = Message::builder()
            .from(mailbox(&self.config.from)?)
            .subject(n.subject());
        for to in &self.config.to {
            message = message.to(mailbox(to)?);
        }
        let message = message
            .body(text(n))
            .map_err(|e| format!("cannot build the message: {e}"))?;
        let mut transport =
            AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&self.config.host)
                .port(self.config.port)
                .timeout(Some(SEND_TIMEOUT))
                .tls(self.tls()?);
        let password = match (&self.config.username, &self.config.password) {
            (Some(user), Some(password)) => {
                let password = password.resolve()?;
                transport =
                    transport.credentials(Credentials::new(user.resolve()?, password.clone()));
                Some(password)
            }
            (None, None) => None,
            _ => {
                return Err("an email channel needs both username and password, or neither".into());
            }
        };
        let sent = tokio::time::timeout(SEND_TIMEOUT, transport.build().send(message)).await;
        match sent {
            Err(_) => Err(format!(
                "no answer from the SMTP server within {} s",
                SEND_TIMEOUT.as_secs()
            )),
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => {
                let mut words = format!("the SMTP server refused or failed: {e}");
                if let Some(p) = password {
                    words = words.replace(&p, domain::secret::MASK);
                }
                Err(words)
            }
        }
    }
}

impl Channel for Email {
    fn name(&self) -> &str {
        &self.name
    }

    fn kind(&self) -> &'static str {
        "email"
    }

    fn send<'a>(&'a self, n: &'a Notification) -> Sending<'a> {
        Box::pin(self.deliver(n))
    }
}
