//! The configuration lines that watch the practice services: appended at start to the
//! embedded example workspace's text and validated like any greenlight.toml, so practice
//! environments are configured exactly as a user's own would be.

use std::path::Path;
use std::time::Duration;

use super::PROBE_INTERVAL_SECS;
use super::service::{FUNCTION_COUNT, Service};

pub(super) fn lines<'a>(
    services: impl Iterator<Item = &'a Service>,
    runner_failures: &Path,
    stability: Duration,
) -> String {
    let quote = |s: &str| toml::Value::String(s.to_string()).to_string();
    let mut text = String::from("\n# Practice mode (added at start; not in any file).\n");
    for s in services {
        text.push_str(&format!(
            "\n[[environments]]\nname = {name}\nmode = {name}\nbase_url = {url}\nenv_file = {file}\n\
             probe_interval_secs = {PROBE_INTERVAL_SECS}\nexpected_inngest_functions = {FUNCTION_COUNT}\n\
             dependencies_auth = {{ header = \"X-Dashboard-Token\", from_env_file = \"DASHBOARD_AUTH_TOKEN\" }}\n\
             flip_after_rounds = 1\nrecover_after_rounds = 1\n\n\
             [[environments.checks]]\nname = \"queue\"\npath = \"/api/queue/health\"\nrelease = true\n\
             conditions = [\"[STATUS] == 200\", \"[BODY].queue.p95_age_seconds < 900\"]\n",
            name = quote(s.side.name()),
            url = quote(&s.base_url()),
            file = quote(&s.env_file.to_string_lossy()),
        ));
    }
    let runner = [
        "python3",
        "runner/example_runner.py",
        "--fail-cases-file",
        &runner_failures.to_string_lossy(),
    ]
    .map(quote)
    .join(", ");
    text.push_str(&format!(
        "\n[[suites]]\nname = \"practice\"\ngolden_set = \"golden_set.json\"\nmin_pass_rate = 0.95\n\
         concurrency = 4\ncase_timeout_secs = 30\nrunner = {{ kind = \"command\", command = [{runner}] }}\n\n\
         [golive]\nsuite = \"practice\"\nstability_minutes = {}\n",
        stability.as_secs().div_ceil(60).max(1)
    ));
    text
}
