//! The practice processes: the console starts its practice services and redis-servers on
//! free ports and stops them with itself (SIGTERM and SIGINT leave no process behind), starts
//! none with a configuration of the user's own, leaves another console's alone, and runs
//! without Redis, saying why, when redis-server is missing.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use domain::practice::Side;

use crate::practice::env_file;
use crate::support;

const BIN: &str = env!("CARGO_BIN_EXE_greenlight");

/// The pids of processes whose command line mentions `dir`'s practice directory (the practice
/// redis-servers work there).
fn processes_in(dir: &Path) -> Vec<u32> {
    let needle = dir.join("practice").to_string_lossy().to_string();
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline"))
                .is_ok_and(|c| String::from_utf8_lossy(&c).contains(&needle))
        })
        .collect()
}

/// A console the test started; killed if the test ends without stopping it.
struct Console(Option<Child>);

impl Drop for Console {
    fn drop(&mut self) {
        if let Some(mut child) = self.0.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn serve(dir: &Path, extra: &[&str], path: Option<&str>) -> (Console, u16) {
    let port = support::free_port();
    let mut command = Command::new(BIN);
    command
        .arg("serve")
        .args(extra)
        .env_remove("GREENLIGHT_CONFIG")
        .env_remove("GREENLIGHT_NO_PRACTICE")
        .env("GREENLIGHT_ADDR", format!("127.0.0.1:{port}"))
        .env("GREENLIGHT_DATA_DIR", dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    if let Some(path) = path {
        command.env("PATH", path);
    }
    (Console(Some(command.spawn().unwrap())), port)
}

fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !done() {
        assert!(Instant::now() < deadline, "{what} within 30 s");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn up(port: u16) -> bool {
    std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
}

fn stop(mut console: Console, signal: &str) -> String {
    let mut child = console.0.take().expect("running");
    let sent = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    wait_for("the console stops", || child.try_wait().unwrap().is_some());
    assert!(child.wait().unwrap().success(), "clean exit on {signal}");
    let mut logs = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut logs).unwrap();
    logs
}

#[test]
fn the_console_starts_practice_services_on_free_ports_and_leaves_none_behind() {
    // Two consoles at once: nothing of practice mode is on a fixed port.
    let dirs = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
    let consoles: Vec<(Console, u16)> = dirs.iter().map(|d| serve(d.path(), &[], None)).collect();
    for (dir, (_, port)) in dirs.iter().zip(&consoles) {
        wait_for("the console listens", || up(*port));
        wait_for("two practice redis-servers run", || {
            processes_in(dir.path()).len() == 2
        });
    }
    let redis_url = |dir: &Path| {
        env_file(dir, Side::Staging)
            .get("REDIS_URL")
            .unwrap()
            .to_string()
    };
    assert_ne!(redis_url(dirs[0].path()), redis_url(dirs[1].path()));
    for ((child, _), (dir, signal)) in consoles.into_iter().zip(dirs.iter().zip(["-TERM", "-INT"]))
    {
        let logs = stop(child, signal);
        assert!(logs.contains("practice services stopped"), "{logs}");
        assert_eq!(
            processes_in(dir.path()),
            Vec::<u32>::new(),
            "nothing left after {signal}"
        );
    }
}

#[test]
fn a_configuration_of_ones_own_starts_nothing_of_practice_mode() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("greenlight.toml");
    std::fs::write(
        &config,
        "[[environments]]\nname = \"staging\"\nmode = \"staging\"\nbase_url = \"http://127.0.0.1:9\"\n",
    )
    .unwrap();
    let (child, port) = serve(dir.path(), &["--config", config.to_str().unwrap()], None);
    wait_for("the console listens", || up(port));
    std::thread::sleep(Duration::from_millis(500));
    assert!(!dir.path().join("practice").exists());
    assert_eq!(processes_in(dir.path()), Vec::<u32>::new());
    let logs = stop(child, "-TERM");
    assert!(!logs.contains("practice"), "{logs}");
}

#[test]
fn without_redis_server_practice_mode_runs_without_redis_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let empty = tempfile::tempdir().unwrap();
    let (child, port) = serve(dir.path(), &[], Some(empty.path().to_str().unwrap()));
    wait_for("the console listens", || up(port));
    wait_for("the practice env files are made", || {
        dir.path().join("practice/production.env").is_file()
    });
    let logs = stop(child, "-TERM");
    assert!(logs.contains("redis-server is not installed"), "{logs}");
    assert!(logs.contains("practice service started"), "{logs}");
}

#[test]
fn a_second_console_on_the_same_data_directory_leaves_the_first_ones_services_alone() {
    let dir = tempfile::tempdir().unwrap();
    let (first, first_port) = serve(dir.path(), &[], None);
    wait_for("the console listens", || up(first_port));
    wait_for("two practice redis-servers run", || {
        processes_in(dir.path()).len() == 2
    });
    let before = processes_in(dir.path());
    let redis_url = env_file(dir.path(), Side::Staging)
        .get("REDIS_URL")
        .unwrap()
        .to_string();
    let (second, second_port) = serve(dir.path(), &[], None);
    wait_for("the second console listens", || up(second_port));
    assert_eq!(
        processes_in(dir.path()),
        before,
        "the first console's Redis servers run on"
    );
    assert_eq!(
        env_file(dir.path(), Side::Staging).get("REDIS_URL"),
        Some(redis_url.as_str()),
        "its env files are not rewritten"
    );
    let logs = stop(second, "-TERM");
    assert!(
        logs.contains("another console already runs practice mode"),
        "{logs}"
    );
    assert_eq!(processes_in(dir.path()), before);
    stop(first, "-INT");
    assert_eq!(processes_in(dir.path()), Vec::<u32>::new());
}
