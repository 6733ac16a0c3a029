-- Foundation: organisations, users, sessions, throttling, audit.
-- Portable SQL: the same file runs on SQLite and PostgreSQL. Identifiers are
-- application-generated text, instants are Unix seconds (BIGINT), flags are
-- BIGINT 0/1, secrets and binary values are text (hex or base64).

CREATE TABLE organisations (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    org_type TEXT NOT NULL,
    territory TEXT NOT NULL,
    region TEXT,
    active BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL
);
CREATE INDEX organisations_type_idx ON organisations (org_type);
CREATE INDEX organisations_territory_idx ON organisations (territory);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT,
    totp_secret_enc TEXT,
    totp_enabled BIGINT NOT NULL DEFAULT 0,
    totp_last_step BIGINT,
    locale TEXT,
    active BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL
);
CREATE INDEX users_organisation_idx ON users (organisation_id);

CREATE TABLE user_roles (
    user_id TEXT NOT NULL REFERENCES users (id),
    role TEXT NOT NULL,
    PRIMARY KEY (user_id, role)
);

-- One-time links to set a password (account creation, admin reset).
CREATE TABLE setup_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX setup_tokens_user_idx ON setup_tokens (user_id);

-- Sessions live here, not in a process, so any app instance can serve any
-- request. Only a hash of the cookie value is stored.
CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    stage TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    authenticated_at BIGINT NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_last_seen_idx ON sessions (last_seen_at);

-- Failed logins, keyed by keyed hashes of the account and of the address.
CREATE TABLE login_failures (
    id TEXT PRIMARY KEY,
    account_key TEXT NOT NULL,
    address_key TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX login_failures_account_idx ON login_failures (account_key, at);
CREATE INDEX login_failures_address_idx ON login_failures (address_key, at);

-- The hash-chained audit trail and its head (the last seq and hash). The head
-- row is updated first in every audited transaction, which serialises
-- writers on both backends and detects deletions at the end of the chain.
CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY,
    at BIGINT NOT NULL,
    actor_user_id TEXT,
    actor_organisation_id TEXT,
    action TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id TEXT,
    reason TEXT,
    request_id TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_log_object_idx ON audit_log (object_type, object_id);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_user_id);

CREATE TABLE audit_head (
    id BIGINT PRIMARY KEY,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
