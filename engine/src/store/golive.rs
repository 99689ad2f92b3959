//! Go-live records and their append-only step events. The checklist is never stored: it is
//! rebuilt by replaying the events through `domain::golive`, so what was recorded is all
//! there is.

use domain::golive::{Checklist, StepError, StepEvent, StepId, VerdictReport};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::Store;
use crate::clock::now_unix;
use crate::error::Error;
pub use domain::golive::Refusal;

/// A go-live change that did not happen: the console failing, or the go-live refusing it.
#[derive(Debug, thiserror::Error)]
pub enum GoLiveStoreError {
    #[error(transparent)]
    Store(#[from] Error),
    #[error(transparent)]
    Refused(#[from] Refusal),
}

pub use domain::golive::Decision;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoLiveRow {
    pub id: i64,
    pub staging: String,
    pub production: String,
    pub started_unix: f64,
    pub started_by: String,
    pub ended_unix: Option<f64>,
    pub decision: Option<Decision>,
    pub signed_by: Option<String>,
    pub note: Option<String>,
    /// The report of the moment of the decision, kept as it was.
    pub report: Option<VerdictReport>,
}

/// One recorded step event, with who, when and what the check saw.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepRecord {
    pub id: i64,
    pub at_unix: f64,
    pub actor: String,
    pub step: StepId,
    pub event: StepEvent,
    pub evidence: serde_json::Value,
}

const ROW_COLUMNS: &str = "id, staging, production, started_unix, started_by, ended_unix, decision, signed_by, note, report_json";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<GoLiveRow> {
    let decision: Option<String> = r.get(6)?;
    let report: Option<String> = r.get(9)?;
    Ok(GoLiveRow {
        id: r.get(0)?,
        staging: r.get(1)?,
        production: r.get(2)?,
        started_unix: r.get(3)?,
        started_by: r.get(4)?,
        ended_unix: r.get(5)?,
        decision: decision.as_deref().and_then(Decision::parse),
        signed_by: r.get(7)?,
        note: r.get(8)?,
        report: report
            .map(|j| super::json_column("report_json", &j))
            .transpose()?,
    })
}

fn get(conn: &Connection, id: i64) -> Result<Result<GoLiveRow, Refusal>, Error> {
    Ok(conn
        .query_row(
            &format!("SELECT {ROW_COLUMNS} FROM golives WHERE id = ?1"),
            [id],
            row,
        )
        .optional()
        .map_err(|e| Error::db("read go-live", e))?
        .ok_or(Refusal::NotFound(id)))
}

fn step_records(conn: &Connection, id: i64) -> Result<Vec<StepRecord>, Error> {
    let mut stmt = conn
        .prepare(
            "SELECT id, at_unix, actor, step, event_json, evidence_json FROM golive_events WHERE golive_id = ?1 ORDER BY id",
        )
        .map_err(|e| Error::db("read go-live events", e))?;
    let rows = stmt
        .query_map([id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, f64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
            ))
        })
        .map_err(|e| Error::db("read go-live events", e))?;
    let mut out = Vec::new();
    for raw in rows {
        let (id, at_unix, actor, step, event, evidence) =
            raw.map_err(|e| Error::db("read go-live events", e))?;
        let decode = |what: &str, text: &str| Error::DatabaseState {
            context: format!("decode go-live event {id}"),
            message: format!("unreadable {what}: {text}"),
        };
        out.push(StepRecord {
            id,
            at_unix,
            actor,
            step: StepId::parse(&step).ok_or_else(|| decode("step", &step))?,
            event: serde_json::from_str(&event).map_err(|_| decode("event", &event))?,
            evidence: serde_json::from_str(&evidence).unwrap_or_default(),
        });
    }
    Ok(out)
}

/// Replays recorded events into a checklist. Every event was valid when recorded, so each
/// applies again.
fn replay(records: &[StepRecord]) -> Result<Checklist, StepError> {
    let mut checklist = Checklist::default();
    for r in records {
        checklist.apply(r.step, r.event.clone())?;
    }
    Ok(checklist)
}

impl Store {
    /// Starts a go-live of `staging` → `production`; refused while one is in progress.
    pub async fn start_golive(
        &self,
        staging: &str,
        production: &str,
        actor: &str,
    ) -> Result<GoLiveRow, GoLiveStoreError> {
        let (staging, production, actor) = (
            staging.to_string(),
            production.to_string(),
            actor.to_string(),
        );
        self.write(move |conn| {
            let active: Option<i64> = conn
                .query_row(
                    "SELECT id FROM golives WHERE staging = ?1 AND production = ?2 AND ended_unix IS NULL",
                    params![staging, production],
                    |r| r.get(0),
                )
                .optional()
                .map_err(|e| Error::db("read go-lives", e))?;
            if let Some(id) = active {
                return Ok(Err(Refusal::AlreadyActive {
                    id,
                    staging,
                    production,
                }));
            }
            conn.execute(
                "INSERT INTO golives (staging, production, started_unix, started_by) VALUES (?1, ?2, ?3, ?4)",
                params![staging, production, now_unix(), actor],
            )
            .map_err(|e| Error::db("start go-live", e))?;
            get(conn, conn.last_insert_rowid())
        })
        .await?
        .map_err(GoLiveStoreError::from)
    }

    /// Every go-live, newest first.
    pub async fn list_golives(&self) -> Result<Vec<GoLiveRow>, Error> {
        self.write(|conn| {
            let mut stmt = conn
                .prepare(&format!(
                    "SELECT {ROW_COLUMNS} FROM golives ORDER BY id DESC"
                ))
                .map_err(|e| Error::db("list go-lives", e))?;
            let rows = stmt
                .query_map([], row)
                .map_err(|e| Error::db("list go-lives", e))?;
            rows.collect::<rusqlite::Result<Vec<_>>>()
                .map_err(|e| Error::db("list go-lives", e))
        })
        .await
    }

    /// The go-lives not finished yet, oldest first.
    pub async fn open_golives(&self) -> Result<Vec<GoLiveRow>, Error> {
        self.read(|conn| {
            let mut stmt = conn
                .prepare(&format!(
                    "SELECT {ROW_COLUMNS} FROM golives WHERE ended_unix IS NULL ORDER BY id"
                ))
                .map_err(|e| Error::db("list open go-lives", e))?;
            let rows = stmt
                .query_map([], row)
                .map_err(|e| Error::db("list open go-lives", e))?;
            rows.collect::<rusqlite::Result<Vec<_>>>()
                .map_err(|e| Error::db("list open go-lives", e))
        })
        .await
    }

    /// A go-live with its recorded events and the checklist they add up to.
    pub async fn golive(
        &self,
        id: i64,
    ) -> Result<(GoLiveRow, Vec<StepRecord>, Checklist), GoLiveStoreError> {
        self.write(move |conn| {
            let golive = match get(conn, id)? {
                Ok(g) => g,
                Err(refusal) => return Ok(Err(refusal)),
            };
            let records = step_records(conn, id)?;
            Ok(replay(&records)
                .map(|checklist| (golive, records, checklist))
                .map_err(Refusal::from))
        })
        .await?
        .map_err(GoLiveStoreError::from)
    }

    /// Records a step event (a confirmation, or the result of a check with what it saw)
    /// after the checklist accepts it; refused events are not stored.
    pub async fn record_step(
        &self,
        id: i64,
        step: StepId,
        event: StepEvent,
        actor: &str,
        evidence: serde_json::Value,
    ) -> Result<Checklist, GoLiveStoreError> {
        let actor = actor.to_string();
        self.write(move |conn| {
            let golive = match get(conn, id)? {
                Ok(g) => g,
                Err(refusal) => return Ok(Err(refusal)),
            };
            if golive.ended_unix.is_some() {
                return Ok(Err(Refusal::Finished(id)));
            }
            let records = step_records(conn, id)?;
            let mut checklist = match replay(&records) {
                Ok(c) => c,
                Err(e) => return Ok(Err(e.into())),
            };
            if let Err(e) = checklist.apply(step, event.clone()) {
                return Ok(Err(e.into()));
            }
            let step_name = step.key();
            let event_json = serde_json::to_string(&event).map_err(|e| Error::DatabaseState {
                context: "encode go-live event".into(),
                message: e.to_string(),
            })?;
            conn.execute(
                "INSERT INTO golive_events (golive_id, at_unix, actor, step, event_json, evidence_json) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![id, now_unix(), actor, step_name, event_json, evidence.to_string()],
            )
            .map_err(|e| Error::db("record go-live step", e))?;
            Ok(Ok(checklist))
        })
        .await?
        .map_err(GoLiveStoreError::from)
    }

    /// Ends a go-live with the operator's decision and the report of that moment.
    pub async fn end_golive(
        &self,
        id: i64,
        decision: Decision,
        signed_by: &str,
        note: Option<&str>,
        report: &VerdictReport,
    ) -> Result<GoLiveRow, GoLiveStoreError> {
        let report = serde_json::to_string(report).map_err(|e| Error::DatabaseState {
            context: "encode the verdict report".into(),
            message: e.to_string(),
        })?;
        let (signed_by, note) = (signed_by.to_string(), note.map(str::to_string));
        self.write(move |conn| {
            let golive = match get(conn, id)? {
                Ok(g) => g,
                Err(refusal) => return Ok(Err(refusal)),
            };
            if golive.ended_unix.is_some() {
                return Ok(Err(Refusal::Finished(id)));
            }
            conn.execute(
                "UPDATE golives SET ended_unix = ?2, decision = ?3, signed_by = ?4, note = ?5, report_json = ?6 WHERE id = ?1",
                params![id, now_unix(), decision.as_str(), signed_by, note, report],
            )
            .map_err(|e| Error::db("end go-live", e))?;
            get(conn, id)
        })
        .await?
        .map_err(GoLiveStoreError::from)
    }
}

#[cfg(test)]
mod tests;
