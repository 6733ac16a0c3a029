-- OpenID Connect sign-in (issue 18, parts 1 and 2; ADR 0051).
-- An organisation's SIRET, matched against the one the provider sends, and whether its members
-- may still sign in with a password.
ALTER TABLE organisations ADD COLUMN siret TEXT;
ALTER TABLE organisations ADD COLUMN password_sign_in BIGINT NOT NULL DEFAULT 1;
CREATE UNIQUE INDEX organisations_siret_idx ON organisations (siret);

-- A sign-in sent to a provider and not yet back: consumed once by the callback, whichever
-- process serves it. The state is stored hashed; the row is deleted when read.
CREATE TABLE oidc_pending_logins (
    state_hash TEXT PRIMARY KEY,
    provider TEXT NOT NULL,
    nonce TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    next_path TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX oidc_pending_logins_expiry_idx ON oidc_pending_logins (expires_at);

-- Which account a provider's subject is, recorded at the first sign-in that matched.
CREATE TABLE oidc_identities (
    provider TEXT NOT NULL,
    subject TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    linked_at BIGINT NOT NULL,
    PRIMARY KEY (provider, subject)
);
CREATE INDEX oidc_identities_user_idx ON oidc_identities (user_id);

-- An agent the provider knows and Relais does not: an organisation administrator approves
-- (creating or linking the account) or refuses. Without a matching SIRET, organisation_id is
-- NULL and platform administrators decide.
CREATE TABLE access_requests (
    id TEXT PRIMARY KEY,
    provider TEXT NOT NULL,
    subject TEXT NOT NULL,
    email TEXT NOT NULL,
    display_name TEXT NOT NULL,
    siret TEXT,
    organisation_id TEXT REFERENCES organisations (id),
    -- pending, approved, refused
    status TEXT NOT NULL,
    requested_at BIGINT NOT NULL,
    decided_by TEXT REFERENCES users (id),
    decided_at BIGINT,
    user_id TEXT REFERENCES users (id)
);
CREATE INDEX access_requests_organisation_idx ON access_requests (organisation_id, status, requested_at);
CREATE UNIQUE INDEX access_requests_pending_idx ON access_requests (provider, subject) WHERE status = 'pending';

-- A session opened through a provider remembers which, and the ID token sent back as the
-- logout hint; both go with the session.
ALTER TABLE sessions ADD COLUMN oidc_provider TEXT;
ALTER TABLE sessions ADD COLUMN oidc_id_token TEXT;
