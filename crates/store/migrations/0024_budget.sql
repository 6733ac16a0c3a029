-- The budget of a national action plan (issue 13, part 3): budget lines by
-- programme and action of the State budget, per year, with their planned,
-- committed and paid amounts; the measures each line funds, with the amount
-- assigned to each; grants to associations. Amounts in cents. Nothing here
-- is about a person: grant beneficiaries are organisations.
CREATE TABLE budget_lines (
    id TEXT PRIMARY KEY,
    plan_id TEXT NOT NULL REFERENCES plans (id),
    year BIGINT NOT NULL,
    -- Three digits (relais_domain::coordination::budget::Programme).
    programme TEXT NOT NULL,
    programme_label TEXT NOT NULL,
    -- Two digits (relais_domain::coordination::budget::BudgetAction).
    action TEXT NOT NULL,
    action_label TEXT NOT NULL,
    -- relais_domain::coordination::budget::CreditNature keys.
    nature TEXT NOT NULL,
    ae_planned_cents BIGINT NOT NULL,
    ae_committed_cents BIGINT NOT NULL,
    cp_planned_cents BIGINT NOT NULL,
    cp_paid_cents BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
-- The budget page lists a plan's lines (all years: the funded amount of the
-- plan's period), grouped by year, programme and action.
CREATE INDEX budget_lines_plan_idx ON budget_lines (plan_id, year, programme, action);

CREATE TABLE budget_line_measures (
    line_id TEXT NOT NULL REFERENCES budget_lines (id),
    measure_id TEXT NOT NULL REFERENCES plan_measures (id),
    -- The part of the line's planned AE assigned to the measure.
    amount_cents BIGINT NOT NULL,
    PRIMARY KEY (line_id, measure_id)
);
CREATE INDEX budget_line_measures_measure_idx ON budget_line_measures (measure_id);

CREATE TABLE budget_grants (
    id TEXT PRIMARY KEY,
    plan_id TEXT NOT NULL REFERENCES plans (id),
    year BIGINT NOT NULL,
    -- An association or another organisation, never a person.
    beneficiary TEXT NOT NULL,
    amount_cents BIGINT NOT NULL,
    measure_id TEXT NOT NULL REFERENCES plan_measures (id),
    -- The budget line it is paid from, when known.
    line_id TEXT REFERENCES budget_lines (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX budget_grants_plan_idx ON budget_grants (plan_id, year);
CREATE INDEX budget_grants_measure_idx ON budget_grants (measure_id);
CREATE INDEX budget_grants_line_idx ON budget_grants (line_id);
