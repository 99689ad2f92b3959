-- Go-lives: one record per attempt to take an environment pair live (one active per pair),
-- and their step events, append-only (the checklist is rebuilt by replaying them).
CREATE TABLE golives (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    staging       TEXT NOT NULL,
    production    TEXT NOT NULL,
    started_unix  REAL NOT NULL,
    started_by    TEXT NOT NULL,
    ended_unix    REAL,
    decision      TEXT CHECK (decision IN ('go', 'no_go', 'hold', 'abandoned')),
    signed_by     TEXT,
    note          TEXT,
    report_json   TEXT
) STRICT;

CREATE UNIQUE INDEX golives_one_active_per_pair ON golives (staging, production)
    WHERE ended_unix IS NULL;

-- A go-live is ended once; nothing recorded changes afterwards.
CREATE TRIGGER golives_end_once BEFORE UPDATE ON golives
WHEN OLD.ended_unix IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a finished go-live cannot be changed'); END;
CREATE TRIGGER golives_never_deleted BEFORE DELETE ON golives
BEGIN SELECT RAISE(ABORT, 'go-lives are kept'); END;

CREATE TABLE golive_events (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    golive_id     INTEGER NOT NULL REFERENCES golives (id),
    at_unix       REAL NOT NULL,
    actor         TEXT NOT NULL,
    step          TEXT NOT NULL,
    -- domain::golive::StepEvent
    event_json    TEXT NOT NULL,
    -- what the check saw: probe data, validator output, run id (secrets masked)
    evidence_json TEXT NOT NULL DEFAULT '{}'
) STRICT;

CREATE INDEX golive_events_by_golive ON golive_events (golive_id, id);

CREATE TRIGGER golive_events_append_only_update BEFORE UPDATE ON golive_events
BEGIN SELECT RAISE(ABORT, 'go-live events are append-only'); END;
CREATE TRIGGER golive_events_append_only_delete BEFORE DELETE ON golive_events
BEGIN SELECT RAISE(ABORT, 'go-live events are append-only'); END;
