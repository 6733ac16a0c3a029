-- A reporting round concerns one year of the annual strategic plan (ADR
-- 0030): the focal point picks the indicator of that year a value is for,
-- and a validated update writes the value and the year's spending into the
-- annual plan.
ALTER TABLE reporting_rounds ADD COLUMN year BIGINT NOT NULL DEFAULT 0;
-- Rounds opened before: the year of their due date, the default of a new one.
UPDATE reporting_rounds SET year = CAST(substr(due_date, 1, 4) AS BIGINT);

-- The indicator of the round's year the reported value is for.
ALTER TABLE reporting_updates ADD COLUMN indicator_id TEXT REFERENCES plan_annual_indicators (id);

-- What was spent on the measure in the year, as last validated in a round.
ALTER TABLE plan_annual_entries ADD COLUMN spent_cents BIGINT;
