-- Coordination of the national action plan (issue 13): the bodies named by
-- plans, plans with their axes, actions and measures, and every version of a
-- measure (who changed what, when). Nothing here is about a person.
CREATE TABLE plan_bodies (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    -- The Relais organisation this body is, where it has one.
    organisation_id TEXT REFERENCES organisations (id),
    created_at BIGINT NOT NULL
);
-- Bodies are matched by name whatever the case.
CREATE UNIQUE INDEX plan_bodies_name_idx ON plan_bodies (lower(name));

CREATE TABLE plans (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    start_year BIGINT NOT NULL,
    end_year BIGINT NOT NULL,
    -- Shown on the public page only once the coordinator publishes it.
    published BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE plan_axes (
    plan_id TEXT NOT NULL REFERENCES plans (id),
    number BIGINT NOT NULL,
    title TEXT NOT NULL,
    PRIMARY KEY (plan_id, number)
);

CREATE TABLE plan_actions (
    plan_id TEXT NOT NULL REFERENCES plans (id),
    number BIGINT NOT NULL,
    axis BIGINT,
    title TEXT NOT NULL,
    PRIMARY KEY (plan_id, number)
);

CREATE TABLE plan_measures (
    id TEXT PRIMARY KEY,
    plan_id TEXT NOT NULL REFERENCES plans (id),
    number BIGINT NOT NULL,
    axis BIGINT,
    action BIGINT,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    pilot_id TEXT REFERENCES plan_bodies (id),
    -- YYYY, YYYY-MM or YYYY-MM-DD (relais_domain::coordination::deadline)
    deadline TEXT,
    indicator TEXT,
    baseline TEXT,
    target TEXT,
    cost_cents BIGINT,
    funding TEXT,
    -- relais_domain::coordination::status::MeasureStatus keys
    status TEXT,
    -- relais_domain::coordination::status::Rating keys
    rating TEXT,
    rating_justification TEXT NOT NULL DEFAULT '',
    -- Where the measure's facts come from (e.g. the CNCDH's 2023 evaluation, or
    -- "fictional demonstration data").
    source TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX plan_measures_number_idx ON plan_measures (plan_id, number);
CREATE INDEX plan_measures_pilot_idx ON plan_measures (pilot_id);

CREATE TABLE plan_measure_partners (
    measure_id TEXT NOT NULL REFERENCES plan_measures (id),
    body_id TEXT NOT NULL REFERENCES plan_bodies (id),
    PRIMARY KEY (measure_id, body_id)
);
CREATE INDEX plan_measure_partners_body_idx ON plan_measure_partners (body_id);

-- Each version of a measure: its fields as a JSON object of texts, so that
-- the history shows a field-by-field diff (relais_domain::coordination::measure::diff).
CREATE TABLE plan_measure_versions (
    measure_id TEXT NOT NULL REFERENCES plan_measures (id),
    version BIGINT NOT NULL,
    fields TEXT NOT NULL,
    changed_at BIGINT NOT NULL,
    changed_by TEXT REFERENCES users (id),
    PRIMARY KEY (measure_id, version)
);
