-- The observatory's estimates with the methods side by side (issue 19, part 3; ADR 0053): a
-- table of how lists overlap estimated by the stepwise, BIC and latent-class methods, queued
-- and run like the linkage runs (same columns for the claim, the heartbeat and the end, shared
-- by `relais_store::observatory::work`).
CREATE TABLE observatory_estimates (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    -- queued | running | done | failed (relais_domain::observatory::work::RunState)
    state TEXT NOT NULL,
    -- 0 to 100
    progress BIGINT NOT NULL,
    -- JSON of relais_stats::CompareOptions
    settings TEXT NOT NULL,
    -- JSON: where the table came from (a file's name and SHA-256, or a linkage run)
    inputs TEXT NOT NULL,
    -- the table in the command line's CSV format, sealed with the field key: cells of one or
    -- two persons are kept confidential
    sealed_table TEXT NOT NULL,
    -- JSON of relais_stats::Comparison, once done
    outcome TEXT,
    -- why it failed, in words without personal data
    failure TEXT,
    created_at BIGINT NOT NULL,
    created_by TEXT REFERENCES users (id),
    heartbeat_at BIGINT,
    attempts BIGINT NOT NULL DEFAULT 0,
    finished_at BIGINT
);
CREATE INDEX observatory_estimates_state_idx ON observatory_estimates (state, created_at);
CREATE INDEX observatory_estimates_created_idx ON observatory_estimates (created_at, id);
