//! Stored replay runs: every run from the console or from `greenlight replay --data-dir`.

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::Store;
use crate::error::{Error, Result};
use domain::replay_run::CaseRecord;
use domain::{Case, JudgeResult, RunOutput};

pub use domain::replay_run::{CaseStatus, RunStatus, RunTrigger};

#[derive(Debug, Clone)]
pub struct NewRun {
    pub suite: String,
    pub suite_version: String,
    pub golden_set_path: String,
    pub runner: String,
    pub min_pass_rate: f64,
    pub total_cases: usize,
    pub trigger: RunTrigger,
    /// Which cases, in words, when not the whole suite.
    pub selection: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunRow {
    pub id: i64,
    pub suite: String,
    pub suite_version: String,
    pub golden_set_path: String,
    pub runner: String,
    pub status: RunStatus,
    pub started_at: String,
    pub finished_at: Option<String>,
    pub min_pass_rate: f64,
    pub total_cases: i64,
    pub passed_cases: Option<i64>,
    pub pass_rate: Option<f64>,
    pub average_score: Option<f64>,
    pub block_build: Option<bool>,
    pub is_baseline: bool,
    /// Cases recorded so far (all of them once completed).
    pub finished_cases: i64,
    pub trigger: RunTrigger,
    /// Which cases, in words, when the run did not run the whole suite.
    pub selection: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredCase {
    pub ordinal: i64,
    pub case_id: String,
    pub status: CaseStatus,
    pub pass: bool,
    pub overall_score: f64,
    pub duration_ms: i64,
    /// The case as the golden set wrote it.
    pub case: Case,
    /// What the runner answered (none for a runner error).
    pub run: Option<RunOutput>,
    pub judge: Option<JudgeResult>,
    pub error: Option<String>,
}

impl StoredCase {
    /// The case as the run diff compares it.
    pub fn view(&self) -> domain::run_diff::CaseView {
        domain::run_diff::CaseView::of(
            &self.case_id,
            self.run.as_ref(),
            self.judge.as_ref(),
            self.error.as_deref(),
        )
    }
}

/// At open: a run still 'running' whose owner process is gone will never finish; mark it
/// interrupted. Runs owned by a live process (a CLI replay next to the console) are left alone.
pub(super) fn mark_interrupted(conn: &Connection) -> Result<()> {
    let mut stmt = conn
        .prepare("SELECT id, owner_pid FROM replay_runs WHERE status = 'running'")
        .map_err(|e| Error::db("find running runs", e))?;
    let running = stmt
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))
        .map_err(|e| Error::db("find running runs", e))?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(|e| Error::db("find running runs", e))?;
    for (id, pid) in running {
        if process_alive(pid) {
            continue;
        }
        conn.execute(
            "UPDATE replay_runs SET status = 'interrupted', finished_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
             WHERE id = ?1 AND status = 'running'",
            [id],
        )
        .map_err(|e| Error::db("mark interrupted run", e))?;
        tracing::warn!(
            run = id,
            "replay run left running by a process that is gone is now marked interrupted"
        );
    }
    Ok(())
}

fn process_alive(pid: i64) -> bool {
    if i64::from(std::process::id()) == pid {
        return true;
    }
    #[cfg(unix)]
    {
        i32::try_from(pid)
            .ok()
            .and_then(rustix::process::Pid::from_raw)
            .is_some_and(|pid| rustix::process::test_kill_process(pid).is_ok())
    }
    #[cfg(not(unix))]
    {
        false
    }
}

const RUN_COLUMNS: &str = "r.id, r.suite, r.suite_version, r.golden_set_path, r.runner, r.status, r.started_at,
    r.finished_at, r.min_pass_rate, r.total_cases, r.passed_cases, r.pass_rate, r.average_score, r.block_build,
    r.is_baseline, (SELECT COUNT(*) FROM replay_cases c WHERE c.run_id = r.id), r.trigger, r.selection";

fn run_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<RunRow> {
    Ok(RunRow {
        id: row.get(0)?,
        suite: row.get(1)?,
        suite_version: row.get(2)?,
        golden_set_path: row.get(3)?,
        runner: row.get(4)?,
        status: RunStatus::parse(&row.get::<_, String>(5)?),
        started_at: row.get(6)?,
        finished_at: row.get(7)?,
        min_pass_rate: row.get(8)?,
        total_cases: row.get(9)?,
        passed_cases: row.get(10)?,
        pass_rate: row.get(11)?,
        average_score: row.get(12)?,
        block_build: row.get::<_, Option<i64>>(13)?.map(|b| b != 0),
        is_baseline: row.get::<_, i64>(14)? != 0,
        finished_cases: row.get(15)?,
        trigger: RunTrigger::parse(&row.get::<_, String>(16)?),
        selection: row.get(17)?,
    })
}

fn to_json<T: Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::DatabaseState {
        context: "encode JSON".into(),
        message: e.to_string(),
    })
}

/// The runs `filter` (the rest of a query after `WHERE`, over `replay_runs r`) picks.
fn runs_where(
    conn: &Connection,
    filter: &str,
    params: impl rusqlite::Params,
) -> Result<Vec<RunRow>> {
    let mut stmt = conn
        .prepare_cached(&format!(
            "SELECT {RUN_COLUMNS} FROM replay_runs r WHERE {filter}"
        ))
        .map_err(|e| Error::db("list runs", e))?;
    let rows = stmt
        .query_map(params, run_row)
        .map_err(|e| Error::db("list runs", e))?;
    rows.collect::<rusqlite::Result<Vec<_>>>()
        .map_err(|e| Error::db("list runs", e))
}

/// The one run `filter` picks, if any.
fn one_run(
    conn: &Connection,
    filter: &str,
    params: impl rusqlite::Params,
) -> Result<Option<RunRow>> {
    conn.query_row(
        &format!("SELECT {RUN_COLUMNS} FROM replay_runs r WHERE {filter}"),
        params,
        run_row,
    )
    .optional()
    .map_err(|e| Error::db("read run", e))
}

impl Store {
    pub async fn start_run(&self, run: NewRun) -> Result<i64> {
        self.write(move |conn| {
            conn.execute(
                "INSERT INTO replay_runs (suite, suite_version, golden_set_path, runner, status, started_at, min_pass_rate, total_cases, owner_pid, trigger, selection)
                 VALUES (?1, ?2, ?3, ?4, 'running', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?5, ?6, ?7, ?8, ?9)",
                params![
                    run.suite,
                    run.suite_version,
                    run.golden_set_path,
                    run.runner,
                    run.min_pass_rate,
                    run.total_cases as i64,
                    i64::from(std::process::id()),
                    run.trigger.as_str(),
                    run.selection
                ],
            )
            .map_err(|e| Error::db("start replay run", e))?;
            Ok(conn.last_insert_rowid())
        })
        .await
    }

    pub async fn record_case(&self, run_id: i64, record: &CaseRecord) -> Result<()> {
        let case_json = to_json(&record.case)?;
        let run_json = record.run.as_ref().map(to_json).transpose()?;
        let judge_json = record.judge.as_ref().map(to_json).transpose()?;
        let (pass, score) = record
            .judge
            .as_ref()
            .map_or((false, 0.0), |j| (j.pass, j.overall_score));
        let (ordinal, case_id, status, error) = (
            record.index as i64,
            record.case.id.clone(),
            record.status.as_str(),
            record.error.clone(),
        );
        let duration_ms = record.duration.as_millis() as i64;
        self.write(move |conn| {
            conn.execute(
                "INSERT OR REPLACE INTO replay_cases
                 (run_id, ordinal, case_id, status, pass, overall_score, duration_ms, case_json, run_json, judge_json, error)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                params![run_id, ordinal, case_id, status, pass, score, duration_ms, case_json, run_json, judge_json, error],
            )
            .map_err(|e| Error::db("record replay case", e))?;
            Ok(())
        })
        .await
    }

    /// Closes a run with its summary (the reference `summary.json` object).
    pub async fn finish_run(
        &self,
        run_id: i64,
        status: RunStatus,
        summary: &domain::RunSummary,
        summary_json: String,
    ) -> Result<()> {
        let (passed, rate, avg, block) = (
            summary.passed_cases as i64,
            summary.pass_rate,
            summary.average_score,
            summary.block_build,
        );
        self.write(move |conn| {
            conn.execute(
                "UPDATE replay_runs SET status = ?2, finished_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
                 passed_cases = ?3, pass_rate = ?4, average_score = ?5, block_build = ?6, summary_json = ?7
                 WHERE id = ?1",
                params![run_id, status.as_str(), passed, rate, avg, block, summary_json],
            )
            .map_err(|e| Error::db("finish replay run", e))?;
            Ok(())
        })
        .await
    }

    /// A suite's runs started by `trigger` since `since` (RFC 3339), newest first.
    pub async fn runs_by_trigger(
        &self,
        suite: &str,
        trigger: RunTrigger,
        since: &str,
        limit: usize,
    ) -> Result<Vec<RunRow>> {
        let (suite, since) = (suite.to_string(), since.to_string());
        self.read(move |conn| {
            runs_where(
                conn,
                "r.suite = ?1 AND r.trigger = ?2 AND r.started_at >= ?3 ORDER BY r.id DESC LIMIT ?4",
                params![suite, trigger.as_str(), since, limit as i64],
            )
        })
        .await
    }

    /// The suite's newest completed run of the whole suite (manual, or a canary that took
    /// every case).
    pub async fn latest_whole_run(&self, suite: &str) -> Result<Option<RunRow>> {
        let suite = suite.to_string();
        self.read(move |conn| {
            one_run(
                conn,
                "r.suite = ?1 AND r.status = 'completed' AND r.selection IS NULL ORDER BY r.id DESC LIMIT 1",
                [suite],
            )
        })
        .await
    }

    /// The suite's baseline run, if one was chosen.
    pub async fn baseline_run(&self, suite: &str) -> Result<Option<RunRow>> {
        let suite = suite.to_string();
        self.read(move |conn| one_run(conn, "r.suite = ?1 AND r.is_baseline = 1", [suite]))
            .await
    }

    /// The newest `limit` runs started by `trigger`, newest first.
    pub async fn list_runs_by(&self, trigger: RunTrigger, limit: usize) -> Result<Vec<RunRow>> {
        self.read(move |conn| {
            runs_where(
                conn,
                "r.trigger = ?1 ORDER BY r.id DESC LIMIT ?2",
                params![trigger.as_str(), limit as i64],
            )
        })
        .await
    }

    pub async fn run(&self, run_id: i64) -> Result<Option<RunRow>> {
        self.write(move |conn| one_run(conn, "r.id = ?1", [run_id]))
            .await
    }

    pub async fn run_cases(&self, run_id: i64) -> Result<Vec<StoredCase>> {
        self.write(move |conn| {
            let mut stmt = conn
                .prepare(
                    "SELECT ordinal, case_id, status, pass, overall_score, duration_ms, case_json, run_json, judge_json, error
                     FROM replay_cases WHERE run_id = ?1 ORDER BY ordinal",
                )
                .map_err(|e| Error::db("read run cases", e))?;
            let rows = stmt
                .query_map([run_id], |row| {
                    Ok(StoredCase {
                        ordinal: row.get(0)?,
                        case_id: row.get(1)?,
                        status: CaseStatus::parse(&row.get::<_, String>(2)?),
                        pass: row.get::<_, i64>(3)? != 0,
                        overall_score: row.get(4)?,
                        duration_ms: row.get(5)?,
                        case: super::json_column("case_json", &row.get::<_, String>(6)?)?,
                        run: row
                            .get::<_, Option<String>>(7)?
                            .map(|raw| super::json_column("run_json", &raw))
                            .transpose()?,
                        judge: row
                            .get::<_, Option<String>>(8)?
                            .map(|raw| super::json_column("judge_json", &raw))
                            .transpose()?,
                        error: row.get(9)?,
                    })
                })
                .map_err(|e| Error::db("read run cases", e))?;
            rows.collect::<rusqlite::Result<Vec<_>>>().map_err(|e| Error::db("read run cases", e))
        })
        .await
    }

    /// Makes `run_id` the baseline of its suite (the one other runs are diffed against).
    pub async fn set_baseline(&self, run_id: i64) -> Result<bool> {
        self.write(move |conn| {
            let tx = conn.transaction().map_err(|e| Error::db("begin", e))?;
            let suite: Option<String> = tx
                .query_row(
                    "SELECT suite FROM replay_runs WHERE id = ?1",
                    [run_id],
                    |r| r.get(0),
                )
                .optional()
                .map_err(|e| Error::db("find run", e))?;
            let Some(suite) = suite else { return Ok(false) };
            tx.execute(
                "UPDATE replay_runs SET is_baseline = (id = ?1) WHERE suite = ?2",
                params![run_id, suite],
            )
            .map_err(|e| Error::db("set baseline", e))?;
            tx.commit().map_err(|e| Error::db("commit", e))?;
            Ok(true)
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use domain::{Case, GoldenSet};

    use super::*;
    use domain::replay_run::CaseStatus;

    fn case(id: &str) -> Case {
        let text = format!(
            r#"[{{"id": "{id}", "input_query": "q", "expected_tools": [], "positive_constraints": [], "negative_constraints": []}}]"#
        );
        GoldenSet::parse(&text).unwrap().into_cases().remove(0)
    }

    fn new_run() -> NewRun {
        NewRun {
            suite: "s".into(),
            suite_version: "v1".into(),
            golden_set_path: "g.json".into(),
            runner: "python3 r.py".into(),
            min_pass_rate: 0.95,
            total_cases: 2,
            trigger: RunTrigger::Manual,
            selection: None,
        }
    }

    #[tokio::test]
    async fn a_run_is_stored_with_its_cases_and_summary() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let id = store.start_run(new_run()).await.unwrap();
        let record = CaseRecord {
            index: 0,
            case: case("A"),
            status: CaseStatus::RunnerError,
            run: None,
            judge: None,
            error: Some("Runner produced empty stdout.".into()),
            duration: Duration::from_millis(12),
        };
        store.record_case(id, &record).await.unwrap();
        let running = store.run(id).await.unwrap().unwrap();
        assert_eq!(running.status, RunStatus::Running);
        assert_eq!(running.finished_cases, 1);

        let outcomes = [record.outcome()];
        let summary = domain::summarize(&outcomes, 0.95);
        store
            .finish_run(id, RunStatus::Completed, &summary, "{}".into())
            .await
            .unwrap();
        let done = store.run(id).await.unwrap().unwrap();
        assert_eq!(done.status, RunStatus::Completed);
        assert_eq!(done.block_build, Some(true));
        assert_eq!(done.pass_rate, Some(0.0));
        let cases = store.run_cases(id).await.unwrap();
        assert_eq!(
            cases[0].error.as_deref(),
            Some("Runner produced empty stdout.")
        );
        assert_eq!(cases[0].case.id, "A");
        assert_eq!(
            store
                .list_runs_by(RunTrigger::Manual, 10)
                .await
                .unwrap()
                .len(),
            1
        );
        assert!(
            store
                .list_runs_by(RunTrigger::Canary, 10)
                .await
                .unwrap()
                .is_empty()
        );
    }

    #[tokio::test]
    async fn only_one_run_per_suite_is_the_baseline() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let a = store.start_run(new_run()).await.unwrap();
        let b = store.start_run(new_run()).await.unwrap();
        assert!(store.set_baseline(a).await.unwrap());
        assert!(store.set_baseline(b).await.unwrap());
        assert!(!store.run(a).await.unwrap().unwrap().is_baseline);
        assert!(store.run(b).await.unwrap().unwrap().is_baseline);
        assert!(!store.set_baseline(999).await.unwrap());
    }

    #[tokio::test]
    async fn a_running_run_of_a_dead_process_is_marked_interrupted_at_open() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let mine = store.start_run(new_run()).await.unwrap();
        let orphan = store.start_run(new_run()).await.unwrap();
        // A pid that cannot be alive: above the kernel's pid_max.
        store
            .write(move |c| {
                c.execute(
                    "UPDATE replay_runs SET owner_pid = 99999999 WHERE id = ?1",
                    [orphan],
                )
                .map_err(|e| Error::db("q", e))
            })
            .await
            .unwrap();
        drop(store);
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(
            store.run(orphan).await.unwrap().unwrap().status,
            RunStatus::Interrupted
        );
        assert_eq!(
            store.run(mine).await.unwrap().unwrap().status,
            RunStatus::Running,
            "owner alive: untouched"
        );
    }
}
