-- The observatory's releases (issue 14, part 7; ADR 0043): tables frozen
-- after the disclosure policy, with their methodology note. Published ones
-- are read without login, so `content` holds published figures only.
CREATE TABLE observatory_releases (
    id TEXT PRIMARY KEY,
    year BIGINT NOT NULL,
    -- 1, 2… per year, given on publication
    version BIGINT,
    -- draft | published | discarded (relais_domain::observatory::release::Status)
    status TEXT NOT NULL,
    title TEXT NOT NULL,
    note TEXT NOT NULL,
    -- JSON of relais_observatory::release::Content
    content TEXT NOT NULL,
    -- SHA-256 of the open-data CSV written from `content`, hex
    sha256 TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT REFERENCES users (id),
    decided_at BIGINT,
    decided_by TEXT REFERENCES users (id),
    UNIQUE (year, version)
);
CREATE INDEX observatory_releases_status_idx ON observatory_releases (status, year, version);
