-- Operations: SLO round counts (by minute for the burn-rate windows, by hour for the budget),
-- operators' maintenance windows, alert incidents and every delivery of every message.
CREATE TABLE slo_minutes (
    environment TEXT NOT NULL,
    slo         TEXT NOT NULL,
    minute_unix INTEGER NOT NULL,
    good        INTEGER NOT NULL,
    total       INTEGER NOT NULL,
    PRIMARY KEY (environment, slo, minute_unix)
) STRICT, WITHOUT ROWID;

CREATE TABLE slo_hours (
    environment TEXT NOT NULL,
    slo         TEXT NOT NULL,
    hour_unix   INTEGER NOT NULL,
    good        INTEGER NOT NULL,
    total       INTEGER NOT NULL,
    PRIMARY KEY (environment, slo, hour_unix)
) STRICT, WITHOUT ROWID;
CREATE INDEX slo_hours_by_hour ON slo_hours (hour_unix);
CREATE INDEX slo_minutes_by_minute ON slo_minutes (minute_unix);

CREATE TABLE maintenance_windows (
    id          INTEGER PRIMARY KEY,
    environment TEXT NOT NULL,
    start_unix  REAL NOT NULL,
    end_unix    REAL,
    reason      TEXT NOT NULL,
    started_by  TEXT NOT NULL,
    ended_by    TEXT
) STRICT;

-- alert_json is domain::alert::Alert's serde form.
CREATE TABLE alert_incidents (
    id                 INTEGER PRIMARY KEY,
    key                TEXT NOT NULL,
    alert_json         TEXT NOT NULL,
    opened_unix        REAL NOT NULL,
    last_notified_unix REAL NOT NULL,
    resolved_unix      REAL
) STRICT;
CREATE UNIQUE INDEX alert_incidents_open ON alert_incidents (key) WHERE resolved_unix IS NULL;

-- notification_json is domain::alert::Notification's serde form.
CREATE TABLE alert_deliveries (
    id                INTEGER PRIMARY KEY,
    incident_id       INTEGER REFERENCES alert_incidents (id),
    channel           TEXT NOT NULL,
    event             TEXT NOT NULL,
    notification_json TEXT NOT NULL,
    state             TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts          INTEGER NOT NULL DEFAULT 0,
    created_unix      REAL NOT NULL,
    finished_unix     REAL,
    error             TEXT
) STRICT;
CREATE INDEX alert_deliveries_pending ON alert_deliveries (state) WHERE state = 'pending';

-- Canary replays: a run started by a suite's schedule, and which cases it ran when not all
-- (NULL: the whole suite; only whole-suite runs count for the go-live's release gate).
ALTER TABLE replay_runs ADD COLUMN trigger TEXT NOT NULL DEFAULT 'manual' CHECK (trigger IN ('manual', 'canary'));
ALTER TABLE replay_runs ADD COLUMN selection TEXT;
CREATE INDEX replay_runs_by_trigger ON replay_runs (suite, trigger, id DESC);
