//! The answers leadership's viewers ask for again and again, the Status page (`GET /`) and its
//! overview (`POST /api/status/overview`, which takes no arguments), rendered once and served
//! to every request that would get the same bytes: same caller, same board. Server-rendering
//! the page costs milliseconds on the console's one async thread; a kept answer costs
//! microseconds, so fifty viewers do not queue behind each other.
//!
//! An answer is kept until the status board changes (a round was stored, a card or the
//! console's health was computed again) and at most [`FRESH_FOR`], so what it shows is never
//! older than a request that took that long. Every response still gets its own CSP nonce: the
//! answer is rendered with a placeholder nonce and kept in pieces around it, and each response
//! puts its nonce in between. Compressed, the pieces are kept deflated, each ending on a byte
//! boundary (a sync flush), and the nonce goes between them as a stored block, so serving a
//! kept answer compresses nothing.
//!
//! The caller is put in the same way. The page names its viewer (the header, the hydration
//! data), so it is rendered for a placeholder caller of the same role and each response puts
//! its own caller's token id and name in place: fifty viewers with fifty tokens share one
//! rendering. That holds only for a name every context writes as it is (letters, digits and a
//! few signs: nothing HTML or JSON escapes); a caller with any other name gets answers
//! rendered and kept for that caller alone.

use std::collections::HashMap;
use std::io::Write as _;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use domain::auth::{Principal, Role};
use flate2::Compression;
use flate2::write::DeflateEncoder;

use crate::access::CspNonce;

/// The longest an answer is kept, however quiet the board.
const FRESH_FOR: Duration = Duration::from_secs(1);
/// Answers larger than this are served but not kept.
const MAX_KEPT: usize = 4 * 1024 * 1024;
/// A rendered answer larger than this is refused (the Status page is a few KB per
/// environment).
const MAX_RENDERED: usize = 32 * 1024 * 1024;
/// More callers than this at once and the oldest answers are dropped.
const MAX_ENTRIES: usize = 256;

#[derive(Clone)]
pub struct AnswerCache {
    inner: Arc<Inner>,
}

struct Inner {
    board: Arc<engine::status_board::StatusBoard>,
    placeholders: Placeholders,
    entries: Mutex<HashMap<Key, Arc<Answer>>>,
    /// One rendering at a time: fifty viewers finding no answer render it once.
    rendering: tokio::sync::Mutex<()>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    route: Route,
    role: Role,
    /// The caller's token id and name, for a caller whose answers cannot be shared.
    alone: Option<(String, String)>,
    board: u64,
}

/// A value for each slot: the placeholders an answer is rendered with (random, so no page
/// content contains them), or one response's own values.
struct Values<S> {
    nonce: S,
    token_id: S,
    name: S,
}

type Placeholders = Values<String>;
type Filling<'a> = Values<&'a str>;

impl Placeholders {
    fn fresh() -> Self {
        let random = |fallback: &str| CspNonce::fresh().unwrap_or_else(|| fallback.into());
        Self {
            nonce: random("greenlight-nonce-placeholder-000"),
            token_id: random("greenlight-token-placeholder-000"),
            name: random("greenlight-name-placeholder-0000"),
        }
    }
}

impl<S: AsRef<str>> Values<S> {
    fn get(&self, slot: Slot) -> &str {
        match slot {
            Slot::Nonce => self.nonce.as_ref(),
            Slot::TokenId => self.token_id.as_ref(),
            Slot::Name => self.name.as_ref(),
        }
    }
}

/// What goes between two pieces of a kept answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Nonce,
    TokenId,
    Name,
}

/// True when every place the page writes `text` (HTML text and attributes, JSON strings in
/// the hydration data) writes it unchanged, so a placeholder can stand for it.
fn written_as_is(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 256
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b" -_.,:@()+#".contains(&b))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Route {
    StatusPage,
    Overview,
}

impl AnswerCache {
    pub fn new(state: &engine::AppState) -> Self {
        Self {
            inner: Arc::new(Inner {
                board: Arc::clone(&state.board),
                placeholders: Placeholders::fresh(),
                entries: Mutex::default(),
                rendering: tokio::sync::Mutex::const_new(()),
            }),
        }
    }

    fn kept(&self, key: &Key) -> Option<Arc<Answer>> {
        let entries = self.inner.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries
            .get(key)
            .filter(|answer| answer.made.elapsed() < FRESH_FOR)
            .cloned()
    }

    fn keep(&self, key: Key, answer: Arc<Answer>) {
        let mut entries = self.inner.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries.retain(|_, kept| kept.made.elapsed() < FRESH_FOR);
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(key, answer);
    }
}

/// Middleware inside the access guard (it needs the caller and the response's nonce).
pub async fn serve(State(cache): State<AnswerCache>, request: Request, next: Next) -> Response {
    let (Some(route), Some(who), Some(nonce)) = (
        route(&request),
        request.extensions().get::<Principal>().cloned(),
        request.extensions().get::<CspNonce>().map(|n| n.0.clone()),
    ) else {
        return next.run(request).await;
    };
    let gzip = accepts_gzip(request.headers());
    let shared = written_as_is(&who.token_id) && written_as_is(&who.name);
    let key = Key {
        route,
        role: who.role,
        alone: (!shared).then(|| (who.token_id.clone(), who.name.clone())),
        board: cache.inner.board.generation(),
    };
    let filling = Filling {
        nonce: &nonce,
        token_id: &who.token_id,
        name: &who.name,
    };
    if let Some(answer) = cache.kept(&key) {
        return answer.response(&filling, gzip);
    }
    let _rendering = cache.inner.rendering.lock().await;
    if let Some(answer) = cache.kept(&key) {
        return answer.response(&filling, gzip);
    }
    let placeholders = &cache.inner.placeholders;
    let mut request = request;
    request
        .extensions_mut()
        .insert(CspNonce(placeholders.nonce.clone()));
    if shared {
        request.extensions_mut().insert(Principal {
            token_id: placeholders.token_id.clone(),
            name: placeholders.name.clone(),
            role: who.role,
        });
    }
    let rendered = next.run(request).await;
    let (answer, keep) = match Answer::from_response(rendered, placeholders).await {
        Ok(done) => done,
        Err(response) => return response,
    };
    let answer = Arc::new(answer);
    if keep {
        cache.keep(key, Arc::clone(&answer));
    }
    answer.response(&filling, gzip)
}

/// The kept routes; the overview only without a body (it takes no arguments).
fn route(request: &Request) -> Option<Route> {
    let path = request.uri().path();
    let no_query = request.uri().query().is_none_or(str::is_empty);
    match (request.method(), path) {
        (&Method::GET, "/") if no_query => Some(Route::StatusPage),
        (&Method::POST, "/api/status/overview")
            if no_query
                && request
                    .headers()
                    .get(header::CONTENT_LENGTH)
                    .is_none_or(|len| len.as_bytes() == b"0")
                && !request.headers().contains_key(header::TRANSFER_ENCODING) =>
        {
            Some(Route::Overview)
        }
        _ => None,
    }
}

/// Whether `Accept-Encoding` allows gzip (`gzip` or `*`, with a quality above 0).
fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|item| {
            let mut parts = item.split(';').map(str::trim);
            let coding = parts.next().unwrap_or("");
            let refused = parts.any(|param| {
                param
                    .strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            (coding.eq_ignore_ascii_case("gzip") || coding == "*") && !refused
        })
}

/// One rendered answer, in pieces around its slots.
struct Answer {
    made: Instant,
    status: StatusCode,
    headers: HeaderMap,
    pieces: Vec<Bytes>,
    /// What goes after each piece but the last.
    slots: Vec<Slot>,
    /// Each piece as raw deflate ending in a sync flush.
    deflated: Vec<Vec<u8>>,
}

impl Answer {
    /// Reads the rendered response whole; `keep` is false for anything not meant for others
    /// (not 200, sets a cookie, too large).
    async fn from_response(
        response: Response,
        placeholders: &Placeholders,
    ) -> Result<(Self, bool), Response> {
        let (parts, body) = response.into_parts();
        if parts.headers.contains_key(header::CONTENT_ENCODING) {
            // Already encoded by the route itself: nothing to split; should not happen.
            return Err(Response::from_parts(parts, body));
        }
        let bytes = match axum::body::to_bytes(body, MAX_RENDERED).await {
            Ok(bytes) => bytes,
            Err(e) => {
                tracing::error!(error = %e, "cannot read a rendered answer");
                return Err(StatusCode::INTERNAL_SERVER_ERROR.into_response());
            }
        };
        let keep = parts.status == StatusCode::OK
            && !parts.headers.contains_key(header::SET_COOKIE)
            && bytes.len() <= MAX_KEPT;
        let mut headers = parts.headers;
        headers.remove(header::CONTENT_LENGTH);
        Ok((Self::new(parts.status, headers, &bytes, placeholders), keep))
    }

    /// `body` kept in pieces around each placeholder, each piece deflated.
    fn new(
        status: StatusCode,
        headers: HeaderMap,
        body: &Bytes,
        placeholders: &Placeholders,
    ) -> Self {
        let (pieces, slots) = split(body, placeholders);
        let deflated = pieces.iter().map(|piece| deflate(piece)).collect();
        Self {
            made: Instant::now(),
            status,
            headers,
            pieces,
            slots,
            deflated,
        }
    }

    fn response(&self, filling: &Filling<'_>, gzip: bool) -> Response {
        let mut headers = self.headers.clone();
        headers.append(header::VARY, HeaderValue::from_static("accept-encoding"));
        let body = if gzip {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            self.gzip(filling)
        } else {
            self.plain(filling)
        };
        (self.status, headers, Body::from(body)).into_response()
    }

    fn plain(&self, filling: &Filling<'_>) -> Vec<u8> {
        let size = self.pieces.iter().map(Bytes::len).sum::<usize>()
            + self
                .slots
                .iter()
                .map(|&s| filling.get(s).len())
                .sum::<usize>();
        let mut out = Vec::with_capacity(size);
        for (i, piece) in self.pieces.iter().enumerate() {
            if i > 0 {
                out.extend_from_slice(filling.get(self.slots[i - 1]).as_bytes());
            }
            out.extend_from_slice(piece);
        }
        out
    }

    /// A gzip member (RFC 1952) around the deflated pieces, the slots' values between them as
    /// stored blocks (RFC 1951 §3.2.4), the stream closed by an empty final stored block.
    fn gzip(&self, filling: &Filling<'_>) -> Vec<u8> {
        let plain = self.plain(filling);
        let size = self.deflated.iter().map(Vec::len).sum::<usize>() + plain.len() / 8 + 64;
        let mut out = Vec::with_capacity(size);
        out.extend_from_slice(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
        for (i, piece) in self.deflated.iter().enumerate() {
            if i > 0 {
                stored_blocks(&mut out, filling.get(self.slots[i - 1]).as_bytes());
            }
            out.extend_from_slice(piece);
        }
        out.extend_from_slice(&[1, 0, 0, 0xff, 0xff]);
        out.extend_from_slice(&crc32fast::hash(&plain).to_le_bytes());
        out.extend_from_slice(&(plain.len() as u32).to_le_bytes());
        out
    }
}

/// The body split at each placeholder, with the slot each one stands for (a body that is not
/// text has none).
fn split(bytes: &Bytes, placeholders: &Placeholders) -> (Vec<Bytes>, Vec<Slot>) {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return (vec![bytes.clone()], Vec::new());
    };
    let mut found: Vec<(usize, usize, Slot)> = [Slot::Nonce, Slot::TokenId, Slot::Name]
        .into_iter()
        .flat_map(|slot| {
            text.match_indices(placeholders.get(slot))
                .map(move |(at, p)| (at, p.len(), slot))
        })
        .collect();
    found.sort_unstable_by_key(|(at, ..)| *at);
    let mut pieces = Vec::with_capacity(found.len() + 1);
    let mut slots = Vec::with_capacity(found.len());
    let mut start = 0;
    for (at, len, slot) in found {
        if at < start {
            continue; // overlapping placeholders: random, so never in practice
        }
        pieces.push(bytes.slice(start..at));
        slots.push(slot);
        start = at + len;
    }
    pieces.push(bytes.slice(start..));
    (pieces, slots)
}

/// Raw deflate of `piece`, ended by a sync flush so that what follows starts on a byte
/// boundary.
fn deflate(piece: &[u8]) -> Vec<u8> {
    let mut encoder = DeflateEncoder::new(Vec::with_capacity(piece.len() / 4), Compression::new(6));
    // Writing to a Vec cannot fail.
    let _ = encoder.write_all(piece);
    let _ = encoder.flush();
    std::mem::take(encoder.get_mut())
}

/// `data` as non-final stored blocks of at most 65,535 bytes each.
fn stored_blocks(out: &mut Vec<u8>, data: &[u8]) {
    for chunk in data.chunks(usize::from(u16::MAX)) {
        let len = chunk.len() as u16;
        out.push(0);
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(chunk);
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read as _;

    use super::*;

    fn placeholders() -> Placeholders {
        Placeholders {
            nonce: "PH".into(),
            token_id: "TK".into(),
            name: "NM".into(),
        }
    }

    fn answer(text: &str) -> Answer {
        let body = Bytes::from(text.to_string());
        Answer::new(StatusCode::OK, HeaderMap::new(), &body, &placeholders())
    }

    fn filling<'a>(nonce: &'a str, token_id: &'a str, name: &'a str) -> Filling<'a> {
        Filling {
            nonce,
            token_id,
            name,
        }
    }

    fn gunzip(bytes: &[u8]) -> String {
        let mut text = String::new();
        flate2::read::GzDecoder::new(bytes)
            .read_to_string(&mut text)
            .expect("a valid gzip member");
        text
    }

    #[test]
    fn every_response_carries_its_own_nonce_and_caller_plain_and_gzipped() {
        let page = format!(
            "{}<script nonce=\"PH\">a(\"TK\",\"NM\")</script>{}<span>NM</span><script nonce=\"PH\">b()</script>PH",
            "<p>é</p>".repeat(5000),
            "x".repeat(70_000)
        );
        let kept = answer(&page);
        assert_eq!(kept.pieces.len(), 7);
        assert_eq!(
            kept.slots,
            [
                Slot::Nonce,
                Slot::TokenId,
                Slot::Name,
                Slot::Name,
                Slot::Nonce,
                Slot::Nonce
            ]
        );
        for (nonce, token_id, name) in [
            ("0123456789abcdef0123456789abcdef", "tok1", "Ada Lovelace"),
            (
                "ffffffffffffffffffffffffffffffff",
                "t2",
                "leadership (board)",
            ),
        ] {
            let expected = page
                .replace("PH", nonce)
                .replace("TK", token_id)
                .replace("NM", name);
            let values = filling(nonce, token_id, name);
            assert_eq!(kept.plain(&values), expected.as_bytes());
            assert_eq!(gunzip(&kept.gzip(&values)), expected);
        }
        // A long value spans several stored blocks.
        let long = "n".repeat(70_000);
        assert_eq!(
            gunzip(&kept.gzip(&filling(&long, "t", "n"))),
            page.replace("PH", &long)
                .replace("TK", "t")
                .replace("NM", "n")
        );
    }

    #[test]
    fn answers_without_placeholders_and_empty_ones_round_trip() {
        for text in ["", "{\"a\":1}", "PH", "PHPH", "NMTKPH"] {
            let kept = answer(text);
            let expected = text
                .replace("PH", "nonce")
                .replace("TK", "id")
                .replace("NM", "name");
            let values = filling("nonce", "id", "name");
            assert_eq!(gunzip(&kept.gzip(&values)), expected, "{text:?}");
        }
    }

    #[test]
    fn only_names_every_context_writes_as_they_are_share_a_rendering() {
        for name in [
            "Ada Lovelace",
            "ops-bot_2",
            "CFO (board)",
            "a.b@example.com",
        ] {
            assert!(written_as_is(name), "{name:?}");
        }
        for name in [
            "",
            "Zoë",
            "a<b",
            "a&b",
            "\"quoted\"",
            "back\\slash",
            "it's",
            "tab\t",
        ] {
            assert!(!written_as_is(name), "{name:?}");
        }
        assert!(!written_as_is(&"a".repeat(257)));
    }

    #[test]
    fn gzip_is_used_only_where_accepted() {
        let accepts = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(
                header::ACCEPT_ENCODING,
                HeaderValue::from_str(value).unwrap(),
            );
            accepts_gzip(&headers)
        };
        assert!(accepts("br, gzip"));
        assert!(accepts("gzip;q=0.5, br"));
        assert!(accepts("*"));
        assert!(!accepts("identity"));
        assert!(!accepts("br"));
        assert!(!accepts("gzip;q=0"));
        assert!(!accepts_gzip(&HeaderMap::new()));
    }
}
