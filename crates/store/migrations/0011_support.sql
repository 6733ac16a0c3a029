-- Support of a person (issue 6): needs assessments, residence permits and
-- the closure of a case. What a person needs (health among it) and notes on
-- permits are encrypted; only codes and dates that queues and statistics
-- count stay clear (see docs/adr/0011-needs-and-rights.md).
CREATE TABLE need_assessments (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    -- The day of the assessment, YYYY-MM-DD.
    assessed_on TEXT NOT NULL,
    author_user_id TEXT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    -- Encrypted JSON list of needs (kind, urgency, status, reason, type, risk, who acts).
    needs TEXT NOT NULL,
    -- Clear for equal-access statistics: was accommodation needed, and met.
    has_accommodation_need BIGINT NOT NULL,
    accommodation_met BIGINT
);
CREATE INDEX need_assessments_case_idx ON need_assessments (case_id, assessed_on, created_at);
CREATE INDEX need_assessments_accommodation_idx ON need_assessments (has_accommodation_need, accommodation_met);

CREATE TABLE permits (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    -- relais_domain::rights::PermitKind key
    kind TEXT NOT NULL,
    -- The prefecture, as its département code.
    prefecture TEXT,
    applied_on TEXT,
    receipt_on TEXT,
    decided_on TEXT,
    expires_on TEXT,
    -- pending, granted, refused, withdrawn
    outcome TEXT NOT NULL,
    refusal_reason TEXT,
    -- Encrypted free text.
    note TEXT,
    -- The next renewal or expiry (relais_domain::rights::next_deadline), for the queue and the digest.
    next_deadline_on TEXT,
    next_deadline_kind TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT REFERENCES users (id)
);
CREATE INDEX permits_case_idx ON permits (case_id, created_at);
CREATE INDEX permits_deadline_idx ON permits (next_deadline_on);
CREATE INDEX permits_kind_idx ON permits (kind, outcome);

-- The closure in force (cleared on reopening; every closure stays in case_events).
ALTER TABLE cases ADD COLUMN closure_outcome TEXT;
-- Encrypted.
ALTER TABLE cases ADD COLUMN closure_summary TEXT;
ALTER TABLE cases ADD COLUMN closed_at BIGINT;
CREATE INDEX cases_closure_idx ON cases (closure_outcome, closed_at);
