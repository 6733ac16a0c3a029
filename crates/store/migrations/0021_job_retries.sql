-- Retries of scheduled runs (issue 12, docs/adr/0023-job-retries.md): a run
-- that fails is recorded as failed with its attempt count and the time of its
-- next attempt, and any process claims it again once that time has come; a
-- run that succeeded is never claimed again. Holds job names, run keys,
-- counts and error summaries, never personal data. The same SQL runs on
-- SQLite and PostgreSQL.

-- running | done | failed | abandoned (relais_domain::jobs::RunState)
ALTER TABLE job_runs ADD COLUMN state TEXT NOT NULL DEFAULT 'done';
-- attempts started so far, the first included
ALTER TABLE job_runs ADD COLUMN attempts BIGINT NOT NULL DEFAULT 1;
-- set while the run is failed: when it may be claimed again
ALTER TABLE job_runs ADD COLUMN next_attempt_at BIGINT;
-- what the last failed attempt reported (a status, never a recipient)
ALTER TABLE job_runs ADD COLUMN last_error TEXT;

-- Runs claimed before this migration and never finished were lost; they
-- become running claims, which the lease lets a process take again.
UPDATE job_runs SET state = 'running' WHERE finished_at IS NULL;
