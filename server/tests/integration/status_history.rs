//! The Status page after 30 days of history: a real SQLite file seeded with a month of rounds
//! at a 15 s interval (raw rounds for the raw retention, hourly rollups before), served by the
//! real application. The overview and the page stay within their size budgets, the same size
//! as after one day, and the card still shows the right uptime, streak and timeline.
//!
//! These budgets are part of the test command: a change that makes the Status page carry its
//! history again fails here with the measured size.

use std::time::Duration;

use serde_json::Value;

use crate::support;
use crate::support::history::{self, OUTAGE_ENDS_AGO, Seeded};
use crate::support::{Stub, TestApp};

/// The overview's budget per environment (JSON bytes), whatever the history.
const OVERVIEW_BYTES_PER_ENVIRONMENT: usize = 4 * 1024;
/// The Status page's budget per environment (HTML, hydration data included).
const PAGE_BYTES_PER_ENVIRONMENT: usize = 16 * 1024;
/// The page without any environment: the shell, the navigation and the console's health.
const PAGE_BYTES_BASE: usize = 24 * 1024;

/// The application and the service it probes (served while the `Stub` lives).
async fn seeded_app() -> (TestApp, Seeded, Seeded, Stub) {
    let reference = support::reference_service(None).await;
    let base = reference.url();
    let mut config = String::new();
    for name in ["month", "day"] {
        config.push_str(&format!(
            "[[environments]]\nname = \"{name}\"\nmode = \"staging\"\nbase_url = \"{base}\"\nprobe_interval_secs = 86400\n\n"
        ));
    }
    let app = TestApp::spawn(&config).await;
    // The scheduler probes each environment once at start: that real round is the template.
    let store = app.state.store.clone();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let template = loop {
        if let Some(report) = store.latest_report("month").await.unwrap()
            && store.latest_report("day").await.unwrap().is_some()
        {
            break report;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no probe round stored"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(template.readiness, domain::probe::Readiness::Ready);
    // History ends just before the real rounds, so they stay the newest. Each environment's
    // card is computed right after its own seeding: seeding a month takes seconds, and the
    // card's 24 hours end when it is computed, so a card computed later would lose the oldest
    // seeded rounds of the day (rounds are 15 s apart).
    let mut seeded = Vec::new();
    for (name, days) in [("month", 30.0), ("day", 1.0)] {
        let now = engine::clock::now_unix() - 1.0;
        seeded.push(history::seed(&store, &template, &[name.to_string()], days, now).await);
        let env = app.state.config.environment(name).unwrap();
        app.state.board.refresh(&store, env).await.unwrap();
    }
    let day = seeded.pop().unwrap();
    let month = seeded.pop().unwrap();
    (app, month, day, reference)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_status_page_after_thirty_days_is_as_small_as_after_one_and_shows_the_right_card() {
    let (app, month, day, _reference) = seeded_app().await;
    assert_eq!(month.raw_rounds, 48 * 240 + 1, "48 h of raw rounds");
    assert!(month.rollup_hours >= 27 * 24, "{month:?}");
    assert_eq!(day.rollup_hours, 0);

    let overview_text = app
        .client()
        .post(app.url("/api/status/overview"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let overview: Vec<Value> = serde_json::from_str(&overview_text).unwrap();
    assert_eq!(overview.len(), 2);
    let budget = 2 * OVERVIEW_BYTES_PER_ENVIRONMENT;
    assert!(
        overview_text.len() <= budget,
        "the overview is {} bytes for 2 environments with 30 days and 1 day of history; its budget is {budget} bytes ({OVERVIEW_BYTES_PER_ENVIRONMENT} per environment)",
        overview_text.len()
    );
    eprintln!(
        "overview: {} bytes for 2 environments (30 days and 1 day of history)",
        overview_text.len()
    );
    let sizes: Vec<usize> = overview
        .iter()
        .map(|card| serde_json::to_string(card).unwrap().len())
        .collect();
    let (a, b) = (sizes[0] as f64, sizes[1] as f64);
    assert!(
        (a - b).abs() / b < 0.05,
        "a card after 30 days ({} bytes) must be the size of one after 1 day ({} bytes)",
        sizes[0],
        sizes[1]
    );

    for (card, seeded) in overview.iter().zip([month, day]) {
        let name = card["summary"]["name"].as_str().unwrap();
        // The seeded day plus the real round the scheduler stored at start.
        let (ready, total) = (seeded.day_ready + 1, seeded.day_rounds + 1);
        assert_eq!(seeded.day_rounds, 5_760, "{name}");
        assert_eq!(seeded.day_rounds - seeded.day_ready, 40, "{name}");
        let uptime = card["uptime_24h"].as_f64().unwrap();
        assert!(
            (uptime - ready as f64 / total as f64).abs() < 1e-12,
            "{name}: uptime {uptime}, expected {ready}/{total}"
        );
        assert_eq!(card["readiness"], "ready", "{name}");
        assert_eq!(card["streak"][0], "ready", "{name}");
        let streak_secs = card["streak"][1].as_f64().unwrap();
        assert!(
            (streak_secs - OUTAGE_ENDS_AGO).abs() < 30.0,
            "{name}: ready for {streak_secs} s, expected about {OUTAGE_ENDS_AGO} s (since the outage)"
        );
        let strip = &card["day"];
        let not_ready: Vec<u64> = strip["not_ready"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap())
            .collect();
        assert_eq!(not_ready.len(), 96, "{name}");
        // The outage ended 5 h ago: 20 buckets of 15 minutes back from the newest (95).
        let mut expected = vec![0; 96];
        expected[75] = 40;
        assert_eq!(not_ready, expected, "{name}: the timeline shows the outage");
        let ready_rounds: u64 = strip["ready"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap())
            .sum();
        assert_eq!(ready_rounds, ready, "{name}");
        assert!(card["latency_24h"]["p95"].as_f64().unwrap() > 0.0, "{name}");
        // The card carries the newest round's verdicts, never its raw evidence.
        assert!(
            card["probes"]
                .as_array()
                .unwrap()
                .iter()
                .all(|p| p["evidence"].is_null()),
            "{name}"
        );
    }

    let page = app.get_text("/").await;
    eprintln!("Status page: {} bytes for 2 environments", page.len());
    let page_budget = PAGE_BYTES_BASE + 2 * PAGE_BYTES_PER_ENVIRONMENT;
    assert!(
        page.len() <= page_budget,
        "the Status page is {} bytes for 2 environments with 30 days and 1 day of history; its budget is {page_budget} bytes",
        page.len()
    );
    assert!(page.contains("5721 of 5761 probe rounds ready"), "{page}");

    // The 30-day window on the environment page is computed from the rollups.
    let detail: Value = app
        .post_json(
            "/api/status/environment",
            &[("environment", "month"), ("window", "30d")],
        )
        .await;
    let month_stats = &detail["stats"][3];
    assert_eq!(month_stats["window"], "30d");
    assert_eq!(month_stats["from_rollups"], true);
    assert!(
        month_stats["rounds"]["ready"].as_u64().unwrap() > 29 * 5_700,
        "{month_stats}"
    );
    let series = detail["series"].as_array().unwrap();
    assert!(
        series.len() <= 120,
        "the chart is bucketed: {}",
        series.len()
    );
    app.stop().await.unwrap();
}

/// The Status page and the overview are rendered once and served again while the board is
/// unchanged (see `server::answer_cache`). Every response still carries its own nonce on
/// every inline script, the gzip and the plain answer say the same, and a round stored a
/// moment after an answer was kept shows at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kept_status_answers_carry_their_own_nonce_and_follow_every_stored_round() {
    use std::io::Read as _;

    let (app, _reference) = solo_app().await;
    let store = app.state.store.clone();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let template = loop {
        if let Some(report) = store.latest_report("solo").await.unwrap() {
            break report;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no probe round stored"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let viewer = app.token(domain::auth::Role::Viewer).await;
    let client = app.client_with(&viewer);

    // Returns the nonce, the body (decompressed) and whether it came gzipped.
    let page = |encoding: &'static str| {
        let request = client
            .get(app.url("/"))
            .header(reqwest::header::ACCEPT_ENCODING, encoding);
        async move {
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), 200);
            let nonce = support::csp_nonce(response.headers());
            let gzipped = response
                .headers()
                .get("content-encoding")
                .is_some_and(|v| v == "gzip");
            let bytes = response.bytes().await.unwrap();
            let mut html = String::new();
            if gzipped {
                flate2::read::GzDecoder::new(&bytes[..])
                    .read_to_string(&mut html)
                    .expect("a valid gzip body");
            } else {
                html = String::from_utf8(bytes.to_vec()).unwrap();
            }
            (nonce, html, gzipped)
        }
    };
    let same = |nonce: &str, html: &str| html.replace(nonce, "NONCE");
    // The first request computes the card and the console's health, which changes the board;
    // after that, three requests in a row normally meet the same kept answer. (The streak's
    // seconds in the hydration data show when an answer was rendered.) A board change between
    // them is possible, so up to five tries.
    page("gzip").await;
    let mut tries = 0;
    let (first_nonce, first) = loop {
        let (first_nonce, first, first_gzipped) = page("br, gzip").await;
        let (second_nonce, second, second_gzipped) = page("gzip").await;
        let (plain_nonce, plain, plain_gzipped) = page("identity").await;
        assert!(first_gzipped && second_gzipped && !plain_gzipped);
        assert_ne!(first_nonce, second_nonce);
        assert_ne!(second_nonce, plain_nonce);
        for (nonce, html) in [
            (&first_nonce, &first),
            (&second_nonce, &second),
            (&plain_nonce, &plain),
        ] {
            let scripts = html.matches("<script").count();
            assert!(scripts > 0);
            assert_eq!(
                html.matches(&format!("nonce=\"{nonce}\"")).count(),
                scripts,
                "every inline script carries this response's nonce"
            );
        }
        let kept = same(&first_nonce, &first);
        if kept == same(&second_nonce, &second) && kept == same(&plain_nonce, &plain) {
            break (first_nonce, first);
        }
        tries += 1;
        assert!(
            tries < 5,
            "three requests in a row never got the same kept answer"
        );
    };
    assert!(first.contains("solo"));

    let latest_round = || async {
        let overview: Value = client
            .post(app.url("/api/status/overview"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        overview[0]["latest_round"][0].clone()
    };
    assert_eq!(latest_round().await, "ready");
    assert_eq!(latest_round().await, "ready");
    // A round stored now, as the scheduler stores one: the next answer shows it.
    let mut failing = template;
    failing.readiness = domain::probe::Readiness::NotReady;
    store
        .insert_sample(engine::clock::now_unix(), &failing)
        .await
        .unwrap();
    let env = &app.state.config.environments[0];
    app.state.board.refresh(&store, env).await.unwrap();
    assert_eq!(latest_round().await, "not_ready");
    let (after_nonce, after, _) = page("gzip").await;
    assert_ne!(same(&first_nonce, &first), same(&after_nonce, &after));
    app.stop().await.unwrap();
}

/// The application watching one environment, probed once at start, and the service it probes
/// (served while the `Stub` lives).
async fn solo_app() -> (TestApp, Stub) {
    let reference = support::reference_service(None).await;
    let base = reference.url();
    let app = TestApp::spawn(&format!(
        "[[environments]]\nname = \"solo\"\nmode = \"staging\"\nbase_url = \"{base}\"\nprobe_interval_secs = 86400\n"
    ))
    .await;
    (app, reference)
}

/// Viewers with their own tokens share one rendering of the page (each response puts its own
/// caller in), yet every page names the caller who asked, escaped as the page escapes it; a
/// name that escaping would change gets a page rendered for that caller alone.
#[tokio::test]
async fn every_viewer_of_a_shared_rendering_sees_their_own_name() {
    let (app, _reference) = solo_app().await;
    let store = app.state.store.clone();
    let viewer = domain::auth::Role::Viewer;
    let (ada, ada_secret) = store.create_token("Ada Lovelace", viewer).await.unwrap();
    let (grace, grace_secret) = store.create_token("Grace (ops)", viewer).await.unwrap();
    let (zoe, zoe_secret) = store
        .create_token("Zoë & \"Co\" <zz>", viewer)
        .await
        .unwrap();
    let page = |secret: String| {
        let client = app.client_with(&secret);
        let url = app.url("/");
        async move {
            let response = client.get(url).send().await.unwrap();
            assert_eq!(response.status(), 200);
            let nonce = support::csp_nonce(response.headers());
            (nonce, response.text().await.unwrap())
        }
    };
    // Each page, with its nonce and caller taken out; equal when rendered once for both.
    let neutral = |(nonce, html): &(String, String), id: &str, name: &str| {
        html.replace(nonce.as_str(), "NONCE")
            .replace(id, "TOKEN")
            .replace(name, "NAME")
    };
    page(ada_secret.clone()).await;
    let mut tries = 0;
    loop {
        let first = page(ada_secret.clone()).await;
        let second = page(grace_secret.clone()).await;
        for (answer, own, other) in [(&first, &ada, &grace), (&second, &grace, &ada)] {
            let html = &answer.1;
            assert!(
                html.contains(&format!(">{}<", own.name)),
                "names its caller"
            );
            assert!(
                html.contains(&own.id),
                "the hydration data has the caller's token id"
            );
            assert!(!html.contains(&other.name) && !html.contains(&other.id));
        }
        if neutral(&first, &ada.id, &ada.name) == neutral(&second, &grace.id, &grace.name) {
            break;
        }
        tries += 1;
        assert!(
            tries < 5,
            "two viewers never got the same page but for the caller"
        );
    }
    let (_, html) = page(zoe_secret).await;
    assert!(
        html.contains("Zoë &amp; &quot;Co&quot; &lt;zz&gt;")
            || html.contains("Zoë &amp; \"Co\" &lt;zz&gt;"),
        "a name that escaping changes is written escaped"
    );
    assert!(html.contains(&zoe.id));
    assert!(!html.contains(&ada.name) && !html.contains("<zz>"));
    app.stop().await.unwrap();
}
