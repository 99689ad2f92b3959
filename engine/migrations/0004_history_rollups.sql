-- Readiness history that stays fast for 30 days: per-probe latencies on each raw round,
-- hourly rollups (round counts, latency histograms) that outlive the raw rounds, and verdict
-- transitions for exact streaks.
ALTER TABLE probe_samples ADD COLUMN latencies_json TEXT NOT NULL DEFAULT '{}';

CREATE TABLE probe_rollups (
    environment   TEXT NOT NULL,
    hour_unix     INTEGER NOT NULL,
    ready         INTEGER NOT NULL,
    not_ready     INTEGER NOT NULL,
    unknown       INTEGER NOT NULL,
    -- probe name -> domain::history::LatencyHistogram
    latency_json  TEXT NOT NULL,
    PRIMARY KEY (environment, hour_unix)
) STRICT;

CREATE TABLE readiness_transitions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    environment  TEXT NOT NULL,
    at_unix      REAL NOT NULL,
    ready        INTEGER NOT NULL CHECK (ready IN (0, 1))
) STRICT;

CREATE INDEX readiness_transitions_by_env_time ON readiness_transitions (environment, at_unix);

-- Rounds stored before this migration: counts into rollups (their latencies were not kept
-- separately), and the verdict changes among them.
INSERT INTO probe_rollups (environment, hour_unix, ready, not_ready, unknown, latency_json)
SELECT environment, CAST(checked_unix / 3600 AS INTEGER) * 3600,
       SUM(readiness = 'ready'), SUM(readiness = 'not_ready'), SUM(readiness = 'unknown'), '{}'
FROM probe_samples GROUP BY 1, 2;

INSERT INTO readiness_transitions (environment, at_unix, ready)
SELECT environment, checked_unix, is_ready FROM (
    SELECT environment, checked_unix, readiness = 'ready' AS is_ready,
           LAG(readiness = 'ready') OVER (PARTITION BY environment ORDER BY checked_unix, id) AS was_ready
    FROM probe_samples
) WHERE was_ready IS NULL OR was_ready != is_ready
ORDER BY environment, checked_unix;
