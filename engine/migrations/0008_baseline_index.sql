-- A suite's baseline is read by every run detail and every replay start: find it by index
-- instead of scanning the suite's runs.
CREATE INDEX replay_runs_baseline ON replay_runs (suite) WHERE is_baseline = 1;
