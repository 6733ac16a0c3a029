-- Reporting rounds of the national action plan (issue 13, part 5): the
-- coordinator asks each pilot body's focal point to update its measures
-- before a committee meeting, follows completion body by body and validates
-- or returns each update. Nothing here is about a victim; who sent and who
-- decided are user ids.
CREATE TABLE reporting_rounds (
    id TEXT PRIMARY KEY,
    plan_id TEXT NOT NULL REFERENCES plans (id),
    title TEXT NOT NULL,
    -- the local day by which updates are expected, YYYY-MM-DD
    due_date TEXT NOT NULL,
    opened_at BIGINT NOT NULL,
    opened_by TEXT REFERENCES users (id),
    closed_at BIGINT
);
CREATE INDEX reporting_rounds_plan_idx ON reporting_rounds (plan_id, opened_at);

-- The bodies asked in a round, and when they were last asked or reminded.
CREATE TABLE reporting_round_bodies (
    round_id TEXT NOT NULL REFERENCES reporting_rounds (id),
    body_id TEXT NOT NULL REFERENCES plan_bodies (id),
    -- the local day of the last request or reminder, YYYY-MM-DD
    last_message_on TEXT NOT NULL,
    reminders BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (round_id, body_id)
);

-- One update per measure and round (relais_domain::coordination::round).
CREATE TABLE reporting_updates (
    round_id TEXT NOT NULL REFERENCES reporting_rounds (id),
    measure_id TEXT NOT NULL REFERENCES plan_measures (id),
    body_id TEXT NOT NULL REFERENCES plan_bodies (id),
    -- requested | submitted | validated | returned
    state TEXT NOT NULL,
    -- the status reported (MeasureStatus key), its evidence
    status TEXT,
    evidence TEXT NOT NULL DEFAULT '',
    indicator_value TEXT,
    -- the day the indicator value was measured, YYYY-MM-DD
    indicator_date TEXT,
    spent_cents BIGINT,
    -- the coordinator's reason for returning the update
    comment TEXT NOT NULL DEFAULT '',
    submitted_at BIGINT,
    submitted_by TEXT REFERENCES users (id),
    decided_at BIGINT,
    decided_by TEXT REFERENCES users (id),
    PRIMARY KEY (round_id, measure_id)
);
CREATE INDEX reporting_updates_body_idx ON reporting_updates (body_id, state);
CREATE INDEX reporting_updates_measure_idx ON reporting_updates (measure_id);
