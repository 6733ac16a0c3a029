-- Sign-in security (issue 11, ADR 0015).

-- Login throttling by growing delays: one counter per keyed subject (an
-- account tried from browsers it does not trust, a network address, one
-- device cookie) instead of one row per failure and a hard lock.
DROP TABLE login_failures;
CREATE TABLE login_throttle (
    subject_key TEXT PRIMARY KEY,
    failures BIGINT NOT NULL,
    last_failure_at BIGINT NOT NULL
);
CREATE INDEX login_throttle_last_failure_idx ON login_throttle (last_failure_at);

-- The keyed hash of the client address an audited action came from (never
-- the address itself). Older rows have none.
ALTER TABLE audit_log ADD COLUMN client_key TEXT;
