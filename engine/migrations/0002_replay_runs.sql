-- Replay runs and their cases. A run is 'running' while cases are recorded; a process that
-- dies mid-run leaves it 'running', and the next open of the store marks it 'interrupted' once
-- its owner process (owner_pid) is gone.
CREATE TABLE replay_runs (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    suite            TEXT NOT NULL,
    suite_version    TEXT NOT NULL,
    golden_set_path  TEXT NOT NULL,
    runner           TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('running', 'completed', 'cancelled', 'interrupted')),
    started_at       TEXT NOT NULL,
    finished_at      TEXT,
    min_pass_rate    REAL NOT NULL,
    total_cases      INTEGER NOT NULL,
    passed_cases     INTEGER,
    pass_rate        REAL,
    average_score    REAL,
    block_build      INTEGER,
    summary_json     TEXT,
    is_baseline      INTEGER NOT NULL DEFAULT 0,
    owner_pid        INTEGER NOT NULL
) STRICT;

CREATE INDEX replay_runs_by_suite ON replay_runs (suite, id DESC);

CREATE TABLE replay_cases (
    run_id        INTEGER NOT NULL REFERENCES replay_runs (id) ON DELETE CASCADE,
    ordinal       INTEGER NOT NULL,
    case_id       TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('ok', 'runner_error')),
    pass          INTEGER NOT NULL,
    overall_score REAL NOT NULL,
    duration_ms   INTEGER NOT NULL,
    case_json     TEXT NOT NULL,
    run_json      TEXT,
    judge_json    TEXT,
    error         TEXT,
    PRIMARY KEY (run_id, case_id)
) STRICT;
