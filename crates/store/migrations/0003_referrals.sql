-- Referral intake (issue 3). Personal content is encrypted (details, identity,
-- messages, reasons); clear columns hold only codes and flags for queues,
-- filters and statistics.

-- People known to the mechanism. Names are never stored in clear: matching
-- uses keyed hashes of normalised names and birth years (person_match_keys).
CREATE TABLE persons (
    id TEXT PRIMARY KEY,
    identity TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE person_match_keys (
    person_id TEXT NOT NULL REFERENCES persons (id),
    match_key TEXT NOT NULL,
    PRIMARY KEY (person_id, match_key)
);
CREATE INDEX person_match_keys_key_idx ON person_match_keys (match_key);

-- Drafts, professional referrals, anonymous notifications and public
-- signalements. `details` is the encrypted form content.
CREATE TABLE referrals (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    reference TEXT UNIQUE,
    organisation_id TEXT REFERENCES organisations (id),
    created_by TEXT REFERENCES users (id),
    api_token_id TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    submitted_at BIGINT,
    step TEXT NOT NULL,
    details TEXT NOT NULL,
    catalogue_id TEXT,
    catalogue_version BIGINT,
    screening TEXT,
    departement TEXT,
    child BIGINT NOT NULL DEFAULT 0,
    urgent BIGINT NOT NULL DEFAULT 0,
    sex TEXT,
    nationality TEXT,
    forms TEXT,
    person_id TEXT REFERENCES persons (id),
    case_id TEXT,
    decided_at BIGINT,
    decided_by TEXT REFERENCES users (id),
    decision_reason TEXT,
    followup_code TEXT UNIQUE,
    passphrase_hash TEXT
);
CREATE INDEX referrals_creator_idx ON referrals (created_by, updated_at);
CREATE INDEX referrals_queue_idx ON referrals (status, urgent, submitted_at);
CREATE INDEX referrals_departement_idx ON referrals (departement, status, submitted_at);
CREATE INDEX referrals_child_idx ON referrals (child, status, submitted_at);
CREATE INDEX referrals_organisation_idx ON referrals (organisation_id, submitted_at);

-- The thread between the authority and the referrer or reporter.
CREATE TABLE referral_messages (
    id TEXT PRIMARY KEY,
    referral_id TEXT NOT NULL REFERENCES referrals (id),
    author_kind TEXT NOT NULL,
    author_user_id TEXT REFERENCES users (id),
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX referral_messages_referral_idx ON referral_messages (referral_id, created_at);

-- Opened when a referral is accepted; the identification workflow (issue 4)
-- takes it from here.
CREATE TABLE cases (
    id TEXT PRIMARY KEY,
    person_id TEXT REFERENCES persons (id),
    referral_id TEXT NOT NULL REFERENCES referrals (id),
    status TEXT NOT NULL,
    departement TEXT,
    opened_at BIGINT NOT NULL,
    opened_by TEXT REFERENCES users (id)
);
CREATE INDEX cases_status_idx ON cases (status, opened_at);

-- The child-protection unit (CRIP) of each département: the directory that
-- urgent notifications for children are addressed to.
CREATE TABLE child_protection_units (
    departement TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    phone TEXT NOT NULL
);

-- Work that someone must do by a deadline (issue 4 adds kinds).
CREATE TABLE tasks (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    referral_id TEXT REFERENCES referrals (id),
    departement TEXT,
    recipient TEXT,
    due_at BIGINT NOT NULL,
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    done_at BIGINT,
    done_by TEXT REFERENCES users (id)
);
CREATE INDEX tasks_open_idx ON tasks (status, due_at);
CREATE INDEX tasks_referral_idx ON tasks (referral_id);

-- Tokens with which an organisation's systems call the API. Only a hash is kept.
CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    label TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    created_by TEXT REFERENCES users (id),
    revoked_at BIGINT,
    last_used_at BIGINT
);
CREATE INDEX api_tokens_organisation_idx ON api_tokens (organisation_id);

-- Rate limits of public forms, keyed by keyed hashes (never a raw address).
CREATE TABLE rate_events (
    id TEXT PRIMARY KEY,
    bucket TEXT NOT NULL,
    subject_key TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX rate_events_subject_idx ON rate_events (bucket, subject_key, at);
