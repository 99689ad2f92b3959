//! Live updates in the browser: subscribe to the console's `/api/events` stream and call back
//! for every stored probe round. The browser's EventSource reconnects by itself after a drop.

/// Calls `on_round` with the environment's name (or `*`) after each stored probe round, while
/// the calling component is mounted. Does nothing during server rendering.
pub fn on_probe_round(on_round: impl Fn(String) + 'static) {
    #[cfg(feature = "hydrate")]
    {
        use leptos::prelude::on_cleanup;
        use wasm_bindgen::JsCast;
        use wasm_bindgen::closure::Closure;

        let Ok(source) = web_sys::EventSource::new("/api/events") else {
            return;
        };
        let listener =
            Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
                if let Some(name) = event.data().as_string() {
                    on_round(name);
                }
            });
        let _ = source.add_event_listener_with_callback("round", listener.as_ref().unchecked_ref());
        let source = send_wrapper::SendWrapper::new((source, listener));
        on_cleanup(move || {
            let (source, _listener) = source.take();
            source.close();
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = on_round;
}
