//! The runner a replay uses: a URL, recorded runs, a command, or the reference's default.

use std::path::Path;

use engine::replay::Runner;

use super::ReplayArgs;

const DEFAULT_RUNNER_SCRIPT: &str = "scripts/swarm_replay_runner.py";

/// The reference's default runner: its own interpreter running the team's runner script. Here
/// the `python3` on PATH, written as its full path as the reference's `sys.executable` is.
fn default_runner_command(cwd: &Path) -> String {
    let python = std::env::var_os("PATH")
        .and_then(|path| {
            std::env::split_paths(&path)
                .map(|dir| cwd.join(dir).join("python3"))
                .find(|candidate| is_executable(candidate))
        })
        .map_or_else(|| "python3".to_string(), |p| p.display().to_string());
    let quoted = if python.contains(|c: char| c.is_whitespace() || c == '\'' || c == '"') {
        format!("'{}'", python.replace('\'', r"'\''"))
    } else {
        python
    };
    format!("{quoted} {DEFAULT_RUNNER_SCRIPT}")
}

fn is_executable(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        path.is_file()
    }
}

pub fn build_runner(args: &ReplayArgs, cwd: &Path) -> Result<Runner, String> {
    if let Some(url) = &args.runner_url {
        let mut secret_headers = Vec::new();
        for spec in &args.runner_header {
            let Some(pair) = spec.split_once('=') else {
                return Err(format!("--runner-header `{spec}` must be NAME=ENV_VAR"));
            };
            secret_headers.push(pair);
        }
        let roots = crate::cli::trusted_roots(args.ca_file.as_deref())
            .map_err(|e| format!("--ca-file: {e}"))?;
        return Runner::http_with_secrets(url, Vec::new(), secret_headers, &roots)
            .map_err(|e| format!("--runner-url: {e}"));
    }
    if let Some(path) = &args.recorded_runs {
        return Runner::recorded(path).map_err(|e| e.to_string());
    }
    let line = args
        .runner_cmd
        .clone()
        .unwrap_or_else(|| default_runner_command(cwd));
    Runner::from_command_line(&line, cwd).map_err(|e| e.to_string())
}
