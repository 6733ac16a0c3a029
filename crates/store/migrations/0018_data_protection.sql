-- The data-protection lifecycle (issue 11, part 2): legal holds that stop
-- the retention job, erasure and subject-access requests decided by two
-- people, emergency accesses with the alerts they raise, the outbox that
-- carries those alerts by e-mail, and the signed checkpoints that let the
-- audit trail be purged at its own retention while `audit verify` passes
-- (docs/adr/0020-data-protection-lifecycle.md). Free text is encrypted.

-- A hold on a case: while one is not lifted, nothing of the case is erased.
CREATE TABLE legal_holds (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    reason TEXT NOT NULL,
    placed_by TEXT REFERENCES users (id),
    placed_at BIGINT NOT NULL,
    lift_reason TEXT,
    lifted_by TEXT REFERENCES users (id),
    lifted_at BIGINT
);
CREATE INDEX legal_holds_case_idx ON legal_holds (case_id, lifted_at);

-- An erasure or subject-access request about the person of a case. The
-- row outlives an erasure (case_id is then cleared) as the record of it.
CREATE TABLE data_requests (
    id TEXT PRIMARY KEY,
    -- erasure, access
    kind TEXT NOT NULL,
    -- pending, done, refused
    status TEXT NOT NULL,
    case_id TEXT REFERENCES cases (id),
    -- The case reference, kept after an erasure (a code, no name).
    reference TEXT NOT NULL,
    reason TEXT NOT NULL,
    requested_by TEXT REFERENCES users (id),
    requested_at BIGINT NOT NULL,
    decided_by TEXT REFERENCES users (id),
    decided_at BIGINT,
    decision_reason TEXT,
    -- After an erasure: how many rows went (counts only).
    erased_rows BIGINT
);
CREATE INDEX data_requests_status_idx ON data_requests (status, requested_at);
CREATE INDEX data_requests_case_idx ON data_requests (case_id);

-- An emergency access (bris de glace) to a case outside the actor's reach.
CREATE TABLE break_glass (
    id TEXT PRIMARY KEY,
    case_id TEXT REFERENCES cases (id),
    reference TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    reason TEXT NOT NULL,
    granted_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    reviewed_by TEXT REFERENCES users (id),
    reviewed_at BIGINT,
    -- justified, not-justified
    finding TEXT,
    review_note TEXT
);
CREATE INDEX break_glass_review_idx ON break_glass (reviewed_at, granted_at);
CREATE INDEX break_glass_user_idx ON break_glass (user_id, case_id, expires_at);
CREATE INDEX break_glass_case_idx ON break_glass (case_id);

-- The organisations alerted of an emergency access (the case's lead).
CREATE TABLE break_glass_alerts (
    break_glass_id TEXT NOT NULL REFERENCES break_glass (id),
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    acknowledged_by TEXT REFERENCES users (id),
    acknowledged_at BIGINT,
    PRIMARY KEY (break_glass_id, organisation_id)
);
CREATE INDEX break_glass_alerts_organisation_idx ON break_glass_alerts (organisation_id, acknowledged_at);

-- E-mails written in the same transaction as what they announce, sent by
-- the serving processes; a row is claimed before sending, deleted once sent.
CREATE TABLE mail_outbox (
    id TEXT PRIMARY KEY,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    claimed_at BIGINT,
    attempts BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX mail_outbox_pending_idx ON mail_outbox (claimed_at, created_at);

-- Where the audit trail starts after its oldest rows were purged: the last
-- purged row's number and hash, signed with a key derived from the secret.
CREATE TABLE audit_checkpoints (
    seq BIGINT PRIMARY KEY,
    hash TEXT NOT NULL,
    at BIGINT NOT NULL,
    signature TEXT NOT NULL
);

-- What the daily retention job looks for.
CREATE INDEX cases_retention_idx ON cases (status, closed_at);
CREATE INDEX referrals_retention_idx ON referrals (kind, status, updated_at);
CREATE INDEX audit_log_at_idx ON audit_log (at);
