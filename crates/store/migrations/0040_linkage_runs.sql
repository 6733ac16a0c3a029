-- The observatory's linkage runs (issue 15, part 4; ADR 0050): the encoded files of several
-- sources linked into persons and the estimate of how many none counted, run by whichever
-- serving process claims the run first. A run keeps its parameters and its inputs'
-- checksums so that it can be reproduced; the encoded files themselves are kept, sealed,
-- only until the run ends.
CREATE TABLE observatory_linkage_runs (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    -- queued | running | done | failed (relais_domain::observatory::linkage::RunState)
    state TEXT NOT NULL,
    -- 0 to 100
    progress BIGINT NOT NULL,
    -- JSON of relais_observatory::linkage::Settings
    settings TEXT NOT NULL,
    -- JSON: per source, its name, file name, SHA-256 and record count
    inputs TEXT NOT NULL,
    -- JSON of relais_observatory::linkage::Outcome, once done
    outcome TEXT,
    -- why it failed, in words without personal data
    failure TEXT,
    created_at BIGINT NOT NULL,
    created_by TEXT REFERENCES users (id),
    -- while running: the last sign of life of the process running it, so that a run left by
    -- a process that stopped is taken up by another
    heartbeat_at BIGINT,
    -- how many times a process took the run: only the last one may report on it
    attempts BIGINT NOT NULL DEFAULT 0,
    finished_at BIGINT
);
CREATE INDEX observatory_linkage_runs_state_idx ON observatory_linkage_runs (state, created_at);
CREATE INDEX observatory_linkage_runs_created_idx ON observatory_linkage_runs (created_at, id);

-- The encoded files of a run until it ends, sealed with the field key.
CREATE TABLE observatory_linkage_inputs (
    run_id TEXT NOT NULL REFERENCES observatory_linkage_runs (id),
    position BIGINT NOT NULL,
    sealed TEXT NOT NULL,
    PRIMARY KEY (run_id, position)
);
