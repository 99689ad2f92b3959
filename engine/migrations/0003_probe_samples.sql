-- One row per probe round of one environment: the verdict and the whole report (masked).
CREATE TABLE probe_samples (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    environment  TEXT NOT NULL,
    checked_unix REAL NOT NULL,
    readiness    TEXT NOT NULL CHECK (readiness IN ('ready', 'not_ready', 'unknown')),
    report_json  TEXT NOT NULL
) STRICT;

CREATE INDEX probe_samples_by_env_time ON probe_samples (environment, checked_unix);
