-- The annual strategic plan (issue 13, part 2): for each year of a plan and
-- each measure, the cost and funding source of the year, its status with the
-- evidence and its date, milestones, indicators with dated values, and every
-- version of the year's entry (who changed what, when). Nothing here is about
-- a person.
CREATE TABLE plan_annual_entries (
    id TEXT PRIMARY KEY,
    plan_id TEXT NOT NULL REFERENCES plans (id),
    measure_id TEXT NOT NULL REFERENCES plan_measures (id),
    year BIGINT NOT NULL,
    cost_cents BIGINT,
    -- relais_domain::coordination::funding KINDS: budget, agrasc, eu_funds, other
    funding_kind TEXT,
    -- A budget source's programme (3 digits) and action (2 digits), kept
    -- apart so that budget lines can be matched on them.
    funding_programme TEXT,
    funding_action TEXT,
    -- An "other" source's label.
    funding_label TEXT,
    -- relais_domain::coordination::status::MeasureStatus keys
    status TEXT,
    status_evidence TEXT NOT NULL DEFAULT '',
    -- YYYY-MM-DD
    status_on TEXT,
    version BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
-- One entry per measure and year; the year's page lists a plan's year.
CREATE UNIQUE INDEX plan_annual_entries_year_idx ON plan_annual_entries (plan_id, year, measure_id);
CREATE INDEX plan_annual_entries_measure_idx ON plan_annual_entries (measure_id);
CREATE INDEX plan_annual_entries_funding_idx ON plan_annual_entries (funding_programme, funding_action);

CREATE TABLE plan_annual_milestones (
    id TEXT PRIMARY KEY,
    entry_id TEXT NOT NULL REFERENCES plan_annual_entries (id),
    title TEXT NOT NULL,
    -- YYYY-MM-DD
    due_on TEXT NOT NULL,
    done_on TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX plan_annual_milestones_entry_idx ON plan_annual_milestones (entry_id, due_on);

CREATE TABLE plan_annual_indicators (
    id TEXT PRIMARY KEY,
    entry_id TEXT NOT NULL REFERENCES plan_annual_entries (id),
    definition TEXT NOT NULL,
    unit TEXT NOT NULL,
    source TEXT,
    baseline TEXT,
    target TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX plan_annual_indicators_entry_idx ON plan_annual_indicators (entry_id, created_at);

CREATE TABLE plan_indicator_values (
    indicator_id TEXT NOT NULL REFERENCES plan_annual_indicators (id),
    -- YYYY-MM-DD: the day the value was reached; a second value for the same
    -- day replaces the first (the history keeps both).
    measured_on TEXT NOT NULL,
    value TEXT NOT NULL,
    recorded_at BIGINT NOT NULL,
    recorded_by TEXT REFERENCES users (id),
    PRIMARY KEY (indicator_id, measured_on)
);

-- Each version of a year's entry: its fields (milestones, indicators and
-- values included) as a JSON object of texts, for a field-by-field diff.
CREATE TABLE plan_annual_versions (
    entry_id TEXT NOT NULL REFERENCES plan_annual_entries (id),
    version BIGINT NOT NULL,
    fields TEXT NOT NULL,
    changed_at BIGINT NOT NULL,
    changed_by TEXT REFERENCES users (id),
    PRIMARY KEY (entry_id, version)
);
