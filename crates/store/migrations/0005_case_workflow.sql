-- The identification workflow of a case (issue 4): its stage, the reflection
-- period, a negative decision waiting for its second decision-maker, and
-- every transition with its structured reasons (free text encrypted).
ALTER TABLE cases ADD COLUMN owner_organisation_id TEXT REFERENCES organisations (id);
ALTER TABLE cases ADD COLUMN reflection_ends TEXT;
ALTER TABLE cases ADD COLUMN early_formal_requested BIGINT NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN pending_event TEXT;
ALTER TABLE cases ADD COLUMN pending_by TEXT;
ALTER TABLE cases ADD COLUMN updated_at BIGINT;
ALTER TABLE cases ADD COLUMN preliminary_at BIGINT;
ALTER TABLE cases ADD COLUMN formal_at BIGINT;
CREATE INDEX cases_departement_idx ON cases (departement, status);

CREATE TABLE case_events (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    at BIGINT NOT NULL,
    actor_user_id TEXT REFERENCES users (id),
    event TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    pending BIGINT NOT NULL DEFAULT 0,
    reasons TEXT NOT NULL,
    note TEXT
);
CREATE INDEX case_events_case_idx ON case_events (case_id, at);
