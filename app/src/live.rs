//! Live updates in the browser: subscribe to the console's `/api/events` stream and call back
//! for every stored probe round. The browser's EventSource reconnects by itself after a drop.

/// Calls `on_round` with the environment's name (or `*`) after each stored probe round, while
/// the calling component is mounted. Does nothing during server rendering.
pub fn on_probe_round(on_round: impl Fn(String) + 'static) {
    #[cfg(feature = "hydrate")]
    {
        use futures::StreamExt;
        use gloo_net::eventsource::futures::EventSource;

        let Ok(mut source) = EventSource::new("/api/events") else {
            return;
        };
        let Ok(mut rounds) = source.subscribe("round") else {
            return;
        };
        let closer = send_wrapper::SendWrapper::new(source.clone());
        leptos::task::spawn_local(async move {
            // Dropping every clone of the source closes it: this task keeps one.
            let _source = source;
            // An error means the stream closed for good (the browser itself retries while it
            // can); the pages' slow poll carries on without it.
            while let Some(Ok((_, message))) = rounds.next().await {
                if let Some(name) = message.data().as_string() {
                    on_round(name);
                }
            }
        });
        leptos::prelude::on_cleanup(move || closer.take().close());
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = on_round;
}
