-- Nothing sent twice, nothing lost, no long write (issue 11).

-- A public signalement form's one-time token (keyed hash), recorded when
-- the form is sent: sending the same form again files nothing new. The
-- follow-up code and passphrase wait here, encrypted, until the
-- confirmation page has shown them once (then `receipt` is cleared).
CREATE TABLE signalement_submissions (
    token_hash TEXT PRIMARY KEY,
    referral_id TEXT NOT NULL REFERENCES referrals (id) ON DELETE CASCADE,
    receipt TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX signalement_submissions_created_idx ON signalement_submissions (created_at);

-- The API's Idempotency-Key: one per token and key (SHA-256 of the key,
-- which the client chose and might have made of anything), with the
-- SHA-256 of the body and the response to replay. Kept 24 hours.
CREATE TABLE api_idempotency_keys (
    token_id TEXT NOT NULL REFERENCES api_tokens (id),
    key_hash TEXT NOT NULL,
    body_hash TEXT NOT NULL,
    referral_id TEXT NOT NULL REFERENCES referrals (id) ON DELETE CASCADE,
    response TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (token_id, key_hash)
);
CREATE INDEX api_idempotency_keys_created_idx ON api_idempotency_keys (created_at);

-- Directory imports are staged here in short transactions, then applied in
-- one short transaction: the directory is always before or after an
-- import, and no write holds the database for the length of a big file.
CREATE TABLE directory_imports (
    id TEXT PRIMARY KEY,
    -- services, prefecture-contacts
    kind TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    -- 1 once applied: its staged rows are left only to be deleted.
    applied BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX directory_imports_created_idx ON directory_imports (created_at);

CREATE TABLE directory_import_services (
    import_id TEXT NOT NULL REFERENCES directory_imports (id) ON DELETE CASCADE,
    line BIGINT NOT NULL,
    -- The id the service gets if it is new.
    service_id TEXT NOT NULL,
    organisation_id TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    departement TEXT NOT NULL,
    covers TEXT NOT NULL,
    accepts_sexes TEXT NOT NULL,
    min_age BIGINT,
    max_age BIGINT,
    accepts_children BIGINT NOT NULL,
    forms TEXT NOT NULL,
    languages TEXT NOT NULL,
    contact TEXT NOT NULL,
    PRIMARY KEY (import_id, line)
);

CREATE TABLE directory_import_covers (
    import_id TEXT NOT NULL,
    line BIGINT NOT NULL,
    departement TEXT NOT NULL,
    PRIMARY KEY (import_id, line, departement),
    FOREIGN KEY (import_id, line) REFERENCES directory_import_services (import_id, line) ON DELETE CASCADE
);

CREATE TABLE directory_import_places (
    import_id TEXT NOT NULL,
    line BIGINT NOT NULL,
    place_type TEXT NOT NULL,
    total BIGINT NOT NULL,
    free BIGINT NOT NULL,
    PRIMARY KEY (import_id, line, place_type),
    FOREIGN KEY (import_id, line) REFERENCES directory_import_services (import_id, line) ON DELETE CASCADE
);

CREATE TABLE directory_import_contacts (
    import_id TEXT NOT NULL REFERENCES directory_imports (id) ON DELETE CASCADE,
    line BIGINT NOT NULL,
    contact_id TEXT NOT NULL,
    departement TEXT NOT NULL,
    prefecture TEXT NOT NULL,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    phone TEXT NOT NULL,
    PRIMARY KEY (import_id, line)
);
