-- Scheduled jobs (daily digest…): the first process to insert the row for
-- a run does the work, so several app processes never do it twice.
CREATE TABLE job_runs (
    job TEXT NOT NULL,
    run_key TEXT NOT NULL,
    claimed_at BIGINT NOT NULL,
    finished_at BIGINT,
    outcome TEXT,
    PRIMARY KEY (job, run_key)
);
