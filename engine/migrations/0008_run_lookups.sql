-- Run lookups that must not grow with history:
-- a suite's baseline, read by every run detail and every replay start;
CREATE INDEX replay_runs_baseline ON replay_runs (suite) WHERE is_baseline = 1;
-- the newest runs of one trigger across suites (the Replays list of people's runs), which
-- without it would scan past every canary to find them.
CREATE INDEX replay_runs_by_trigger_only ON replay_runs (trigger, id DESC);
