//! Shared by the benchmarks.
#![allow(dead_code)] // each benchmark uses part of it

/// The process's peak resident memory so far (VmHWM), in KiB, where /proc provides it.
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// A loopback service that answers like the reference service (readiness, runtime dependencies,
/// the Inngest serve endpoint, a queue check) after `delay`, counting the requests it served.
/// Returns its base URL.
pub async fn spawn_target(
    delay: std::time::Duration,
    served: std::sync::Arc<std::sync::atomic::AtomicUsize>,
) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let app = axum::Router::new().fallback(move |uri: axum::http::Uri| {
            let served = std::sync::Arc::clone(&served);
            async move {
                served.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                tokio::time::sleep(delay).await;
                let body = match uri.path() {
                    "/api/runtime/dependencies" => serde_json::json!({
                        "status": "ready", "ready": true, "required_failures": [],
                        "dependencies": {"redis": {"required": true, "ready": true, "status": "healthy", "message": "ok", "latency_ms": 1.0}}
                    }),
                    "/api/inngest" => serde_json::json!({
                        "schema_version": "2024-05-24", "function_count": 4, "has_event_key": true,
                        "has_signing_key": true, "has_signing_key_fallback": false, "mode": "dev"
                    }),
                    _ => serde_json::json!({"status": "ready", "queue": {"p95_age_seconds": 12}}),
                };
                axum::Json(body)
            }
        });
        axum::serve(listener, app).await.unwrap();
    });
    base
}
