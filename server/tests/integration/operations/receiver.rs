//! A real HTTP receiver for alert messages: records every request (path, headers, body) and
//! answers what the test asks for (200, 500, a redirect).

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::support::{Stub, serve_stub};

#[derive(Debug, Clone)]
pub struct Received {
    pub path: String,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Received {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("the receiver got JSON")
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Answer {
    Ok,
    Fail,
    /// 307 to /elsewhere on the same receiver.
    Redirect,
}

/// Served while the receiver (or a clone of it) lives.
#[derive(Clone)]
pub struct Receiver {
    pub base: String,
    got: Arc<Mutex<Vec<Received>>>,
    answer: Arc<Mutex<Answer>>,
    _stub: Arc<Stub>,
}

impl Receiver {
    pub async fn start() -> Self {
        let got: Arc<Mutex<Vec<Received>>> = Arc::default();
        let answer = Arc::new(Mutex::new(Answer::Ok));
        let (g, a) = (Arc::clone(&got), Arc::clone(&answer));
        let app = axum::Router::new().fallback(
            move |uri: axum::http::Uri, headers: HeaderMap, body: Bytes| {
                let (g, a) = (Arc::clone(&g), Arc::clone(&a));
                async move {
                    g.lock().unwrap().push(Received {
                        path: uri.path().to_string(),
                        headers,
                        body,
                    });
                    let answer = *a.lock().unwrap();
                    match answer {
                        Answer::Ok => (StatusCode::OK, "ok").into_response(),
                        Answer::Fail => {
                            (StatusCode::INTERNAL_SERVER_ERROR, "receiver is down").into_response()
                        }
                        Answer::Redirect => Response::builder()
                            .status(StatusCode::TEMPORARY_REDIRECT)
                            .header("location", "/elsewhere")
                            .body(axum::body::Body::empty())
                            .unwrap(),
                    }
                }
            },
        );
        let stub = serve_stub(app).await;
        Self {
            base: stub.url(),
            got,
            answer,
            _stub: Arc::new(stub),
        }
    }

    pub fn answer(&self, answer: Answer) {
        *self.answer.lock().unwrap() = answer;
    }

    pub fn received(&self) -> Vec<Received> {
        self.got.lock().unwrap().clone()
    }

    /// A webhook channel named `ops` that posts here: its secrets written to `dir/alerts.env`
    /// (as a team would keep them), its `[[alerts.channels]]` table returned for the config.
    pub fn webhook_channel(&self, dir: &std::path::Path) -> String {
        std::fs::write(
            dir.join("alerts.env"),
            format!(
                "HOOK_URL={}/hook\nHOOK_SECRET=hook-signing-secret\n",
                self.base
            ),
        )
        .unwrap();
        "[[alerts.channels]]\nname = \"ops\"\nkind = \"webhook\"\n\
         url = { from_env_file = \"alerts.env\", key = \"HOOK_URL\" }\n\
         secret = { from_env_file = \"alerts.env\", key = \"HOOK_SECRET\" }\n"
            .to_string()
    }
}
