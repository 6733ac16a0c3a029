-- The associations' annual survey (issue 14, part 3; ADR 0041): a campaign
-- per data year, one questionnaire per association invited, its totals and
-- one coded profile per person (no name, no free text), encrypted at rest.
CREATE TABLE survey_campaigns (
    id TEXT PRIMARY KEY,
    year BIGINT NOT NULL UNIQUE,
    -- local days, YYYY-MM-DD
    opens_on TEXT NOT NULL,
    closes_on TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT REFERENCES users (id)
);

CREATE TABLE survey_responses (
    id TEXT PRIMARY KEY,
    campaign_id TEXT NOT NULL REFERENCES survey_campaigns (id),
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    -- invited | in-progress | submitted
    state TEXT NOT NULL,
    -- JSON of relais_domain::observatory::survey::Totals, once saved
    totals TEXT,
    updated_at BIGINT NOT NULL,
    updated_by TEXT REFERENCES users (id),
    submitted_at BIGINT,
    UNIQUE (campaign_id, organisation_id)
);
CREATE INDEX survey_responses_organisation_idx ON survey_responses (organisation_id, campaign_id);

CREATE TABLE survey_profiles (
    id TEXT PRIMARY KEY,
    response_id TEXT NOT NULL REFERENCES survey_responses (id),
    -- the order profiles were entered in, a spreadsheet's rows included
    position BIGINT NOT NULL,
    -- encrypted JSON of relais_domain::observatory::survey::Profile
    answers TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX survey_profiles_response_idx ON survey_profiles (response_id, position);
