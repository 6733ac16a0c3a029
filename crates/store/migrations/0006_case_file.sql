-- The case file (issue 4): notes with a sensitivity level, and shares that
-- give another organisation temporary, revocable, purpose-bound access.
CREATE TABLE case_notes (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    author_user_id TEXT REFERENCES users (id),
    sensitivity TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX case_notes_case_idx ON case_notes (case_id, sensitivity, created_at);

CREATE TABLE case_shares (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    purpose TEXT NOT NULL,
    basis TEXT NOT NULL,
    override_reason TEXT,
    granted_by TEXT REFERENCES users (id),
    granted_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX case_shares_organisation_idx ON case_shares (organisation_id, case_id);
CREATE INDEX case_shares_case_idx ON case_shares (case_id);
