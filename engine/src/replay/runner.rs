//! Runners: where a case's output comes from. Every failure mode of a runner (crash, hang,
//! silence, garbage, a flood) becomes that case's `runner_error` with a readable message; the
//! run goes on.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use domain::python::json::dumps;
use domain::python::py_pipe_text;
use domain::run_output::{EMPTY_STDOUT_MESSAGE, runner_failure_message, stdout_is_empty};
use domain::{Case, RunOutput};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::process::Command;

use super::indexed::{IndexError, IndexedObject};

/// The most a runner may print (stdout or stderr) or answer (HTTP) for one case.
pub const MAX_RUNNER_OUTPUT: usize = 8 * 1024 * 1024;

#[derive(Debug, Clone)]
pub enum Runner {
    /// A program started once per case: case JSON on stdin, run JSON on stdout.
    Command {
        argv: Vec<String>,
        working_dir: PathBuf,
        display: String,
    },
    /// An HTTP endpoint the case JSON is POSTed to.
    Http {
        client: reqwest::Client,
        url: String,
        headers: Vec<(String, String)>,
    },
    /// Recorded outputs (case id → run object): re-judge without running anything. The file
    /// is indexed, not held: each run is read back when its case comes up.
    Recorded { runs: Arc<IndexedObject> },
}

#[derive(Debug, thiserror::Error)]
pub enum RunnerSetupError {
    #[error("--runner-cmd cannot be split into words as Python's shlex.split does: {0}")]
    Command(String),
    #[error("recorded runs {} must be a JSON object mapping case id to run object: {source}", path.display())]
    Recorded {
        path: PathBuf,
        #[source]
        source: IndexError,
    },
    #[error("secret header {header}: environment variable {var} is not set")]
    MissingSecret { header: String, var: String },
    #[error("cannot build the HTTP client: {0}")]
    Client(String),
    #[error("the runner URL `{shown}` is not an http:// or https:// URL ({reason})")]
    Url { shown: String, reason: String },
}

impl Runner {
    /// A command line as the reference's `--runner-cmd` takes it (split like a POSIX shell,
    /// without running one).
    pub fn from_command_line(line: &str, working_dir: &Path) -> Result<Self, RunnerSetupError> {
        let argv = domain::shell_words::split(line)
            .map_err(|e| RunnerSetupError::Command(e.to_string()))?;
        if argv.is_empty() {
            return Err(RunnerSetupError::Command("it is empty".into()));
        }
        Ok(Runner::Command {
            argv,
            working_dir: working_dir.to_path_buf(),
            display: line.to_string(),
        })
    }

    pub fn from_argv(argv: Vec<String>, working_dir: &Path) -> Self {
        let display = argv.join(" ");
        Runner::Command {
            argv,
            working_dir: working_dir.to_path_buf(),
            display,
        }
    }

    /// A runner that POSTs each case to `url`; its TLS trusts `roots`.
    pub fn http(
        url: &str,
        headers: Vec<(String, String)>,
        roots: &crate::tls::TrustedRoots,
    ) -> Result<Self, RunnerSetupError> {
        let client = roots
            .http_client()
            .connect_timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| RunnerSetupError::Client(e.to_string()))?;
        Ok(Runner::Http {
            client,
            url: url.to_string(),
            headers,
        })
    }

    /// An HTTP runner (console suites and `--runner-url` alike): `url` must be an http(s) URL;
    /// each `(header, variable)` of `secret_headers` is read from this process's environment
    /// now, never from a file or the browser, and sent with every case after `headers`.
    pub fn http_with_secrets<'a>(
        url: &str,
        mut headers: Vec<(String, String)>,
        secret_headers: impl IntoIterator<Item = (&'a str, &'a str)>,
        roots: &crate::tls::TrustedRoots,
    ) -> Result<Self, RunnerSetupError> {
        crate::clients::http_url(url).map_err(|reason| RunnerSetupError::Url {
            shown: domain::secret::mask_url(url),
            reason,
        })?;
        for (header, var) in secret_headers {
            let value = std::env::var(var).map_err(|_| RunnerSetupError::MissingSecret {
                header: header.to_string(),
                var: var.to_string(),
            })?;
            headers.push((header.to_string(), value));
        }
        Self::http(url, headers, roots)
    }

    pub fn recorded(path: &Path) -> Result<Self, RunnerSetupError> {
        let runs = IndexedObject::open(path).map_err(|source| RunnerSetupError::Recorded {
            path: path.to_path_buf(),
            source,
        })?;
        Ok(Runner::Recorded {
            runs: Arc::new(runs),
        })
    }

    /// What the summary's `runner_cmd` says about this runner.
    pub fn describe(&self) -> String {
        match self {
            Runner::Command { display, .. } => display.clone(),
            Runner::Http { url, .. } => domain::secret::mask_url(url),
            Runner::Recorded { runs } => format!("recorded:{}", runs.path().display()),
        }
    }

    /// Whether a case's answer comes without waiting for anything outside (recorded runs).
    pub fn is_immediate(&self) -> bool {
        matches!(self, Runner::Recorded { .. })
    }

    /// Runs one case. `Err` is the case's `runner_error`, worded for people.
    pub async fn run(&self, case: &Case, timeout: Duration) -> Result<RunOutput, String> {
        match self {
            Runner::Command {
                argv, working_dir, ..
            } => run_command(argv, working_dir, case, timeout).await,
            Runner::Http {
                client,
                url,
                headers,
            } => run_http(client, url, headers, case, timeout).await,
            Runner::Recorded { runs } => match runs.get(&case.id) {
                Some(value) => RunOutput::from_py_value(value?),
                None => Err(format!("No recorded run for case {}.", case.id)),
            },
        }
    }
}

/// What the runner is sent: `json.dumps(case)` of the case as the golden set wrote it.
fn case_json(case: &Case) -> Vec<u8> {
    dumps(&case.source).into_bytes()
}

/// Kills the runner's whole process group when dropped, so a runner that started children
/// (a shell script, `python -m ...`) leaves nothing behind after a timeout or a cancel.
struct GroupGuard(Option<u32>);

impl Drop for GroupGuard {
    fn drop(&mut self) {
        #[cfg(unix)]
        if let Some(pid) = self
            .0
            .take()
            .and_then(|p| rustix::process::Pid::from_raw(p as i32))
        {
            let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
        }
    }
}

async fn run_command(
    argv: &[String],
    dir: &Path,
    case: &Case,
    timeout: Duration,
) -> Result<RunOutput, String> {
    let input = case_json(case);
    let mut command = Command::new(&argv[0]);
    command
        .args(&argv[1..])
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    #[cfg(unix)]
    command.process_group(0);
    let mut child = command
        .spawn()
        .map_err(|e| format!("Runner command could not start ({}): {e}", argv[0]))?;
    let mut guard = GroupGuard(child.id());

    let mut stdin = child.stdin.take().expect("stdin is piped");
    let stdout = child.stdout.take().expect("stdout is piped");
    let stderr = child.stderr.take().expect("stderr is piped");
    let exchange = async {
        // Feed stdin while draining stdout and stderr: a runner that prints before it has
        // read all its input must not deadlock against us.
        let write = async move {
            let _ = stdin.write_all(&input).await;
            let _ = stdin.shutdown().await;
        };
        let (_, out, err, status) = tokio::join!(
            write,
            read_limited(stdout, MAX_RUNNER_OUTPUT),
            read_limited(stderr, MAX_RUNNER_OUTPUT),
            child.wait()
        );
        (out, err, status)
    };
    let (out, err, status) = match tokio::time::timeout(timeout, exchange).await {
        Ok(done) => done,
        Err(_) => {
            return Err(format!(
                "Runner timed out after {} s and was stopped.",
                timeout.as_secs_f64()
            ));
        }
    };
    guard.0 = None; // exited on its own; its group may be gone or reused
    let stdout = out.map_err(|e| e.into_message("stdout"))?;
    let stderr = err.map_err(|e| e.into_message("stderr"))?;
    let status = status.map_err(|e| format!("Cannot wait for the runner: {e}"))?;
    // As the reference's `subprocess.run(..., text=True)`: strict UTF-8, universal newlines;
    // then its checks in its order, each error in its words.
    let stdout = py_pipe_text(&stdout)?;
    let stderr = py_pipe_text(&stderr)?;
    if !status.success() {
        return Err(runner_failure_message(exit_code(&status), &stdout, &stderr));
    }
    if stdout_is_empty(&stdout) {
        return Err(EMPTY_STDOUT_MESSAGE.to_string());
    }
    RunOutput::from_runner_json(domain::python::py_strip(&stdout))
}

/// Python's `returncode`: the exit code, or minus the signal that killed the process.
fn exit_code(status: &std::process::ExitStatus) -> i32 {
    if let Some(code) = status.code() {
        return code;
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return -signal;
        }
    }
    -1
}

enum ReadError {
    TooLarge,
    Io(std::io::Error),
}

impl ReadError {
    fn into_message(self, stream: &str) -> String {
        match self {
            ReadError::TooLarge => format!(
                "Runner printed more than {} MiB on {stream}; its output was discarded.",
                MAX_RUNNER_OUTPUT / (1024 * 1024)
            ),
            ReadError::Io(e) => format!("Cannot read the runner's {stream}: {e}"),
        }
    }
}

async fn read_limited(
    mut stream: impl AsyncRead + Unpin,
    limit: usize,
) -> Result<Vec<u8>, ReadError> {
    let mut buf = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        let n = stream.read(&mut chunk).await.map_err(ReadError::Io)?;
        if n == 0 {
            return Ok(buf);
        }
        if buf.len() + n > limit {
            return Err(ReadError::TooLarge);
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

async fn run_http(
    client: &reqwest::Client,
    url: &str,
    headers: &[(String, String)],
    case: &Case,
    timeout: Duration,
) -> Result<RunOutput, String> {
    let body = case_json(case);
    let mut request = client
        .post(url)
        .timeout(timeout)
        .header("content-type", "application/json")
        .body(body);
    for (name, value) in headers {
        request = request.header(name, value);
    }
    let shown = domain::secret::mask_url(url);
    let mut response = request.send().await.map_err(|e| {
        if e.is_timeout() {
            format!(
                "Runner at {shown} did not answer within {} s.",
                timeout.as_secs_f64()
            )
        } else {
            format!("Runner at {shown} could not be reached: {e}")
        }
    })?;
    let status = response.status();
    if let Some(refused) = crate::redirects::refused(&shown, status.as_u16(), response.headers()) {
        return Err(format!("Runner at {refused}."));
    }
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| format!("Runner at {shown} broke off its answer: {e}"))?
    {
        if body.len() + chunk.len() > MAX_RUNNER_OUTPUT {
            return Err(format!(
                "Runner at {shown} answered more than {} MiB; the answer was discarded.",
                MAX_RUNNER_OUTPUT / (1024 * 1024)
            ));
        }
        body.extend_from_slice(&chunk);
    }
    let text = String::from_utf8_lossy(&body);
    if !status.is_success() {
        let snippet: String = domain::python::py_strip(&text).chars().take(500).collect();
        return Err(format!(
            "Runner at {shown} answered HTTP {}: {snippet}",
            status.as_u16()
        ));
    }
    if stdout_is_empty(&text) {
        return Err(format!("Runner at {shown} answered with an empty body."));
    }
    RunOutput::from_runner_json(domain::python::py_strip(&text))
}
