//! `/api/events`: a server-sent event stream that names each environment as soon as its probe
//! round is stored, so open Status pages refresh that moment instead of polling.

use std::convert::Infallible;
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::routing::get;
use engine::AppState;
use futures::Stream;
use tokio::sync::broadcast::error::RecvError;

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/api/events", get(events))
        .with_state(state)
}

/// Event `round` with the environment's name as data. A subscriber that fell behind gets one
/// `round` event with data `*` (refresh everything). The stream ends when the console stops.
async fn events(
    State(state): State<AppState>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let rounds = state.rounds.subscribe();
    let stopping = state.stopping.subscribe();
    let stream = futures::stream::unfold(
        (rounds, stopping),
        |(mut rounds, mut stopping)| async move {
            if *stopping.borrow() {
                return None;
            }
            let data = tokio::select! {
                received = rounds.recv() => match received {
                    Ok(name) => name,
                    Err(RecvError::Lagged(_)) => "*".to_string(),
                    Err(RecvError::Closed) => return None,
                },
                _ = stopping.changed() => return None,
            };
            Some((
                Ok(Event::default().event("round").data(data)),
                (rounds, stopping),
            ))
        },
    );
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}
