-- The observatory's sources and their imports (issue 14, parts 1 and 2).
-- A source's definitions are shown next to every figure that uses it; each
-- import is a version with its provenance, its rows kept as JSON objects so
-- that a consolidation reads them by version without the file. Rows of a
-- `records` source are pseudonymised personal data (the register says so).
CREATE TABLE observatory_sources (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    producer TEXT NOT NULL,
    -- relais_domain::observatory::source::Unit key
    unit TEXT NOT NULL,
    -- aggregated | records
    data_kind TEXT NOT NULL,
    counting_rule TEXT NOT NULL,
    period TEXT NOT NULL,
    territory TEXT NOT NULL,
    contact TEXT NOT NULL,
    quality_notes TEXT NOT NULL,
    -- the Table Schema descriptor (JSON) the next import is checked against
    schema_json TEXT NOT NULL,
    -- the version consolidations read; NULL before the first import
    current_version_id TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT REFERENCES users (id)
);

-- One import of a file; never changed once written.
CREATE TABLE observatory_versions (
    id TEXT PRIMARY KEY,
    source_id TEXT NOT NULL REFERENCES observatory_sources (id),
    -- 1, 2, 3… within the source
    number BIGINT NOT NULL,
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    row_count BIGINT NOT NULL,
    note TEXT NOT NULL,
    -- the descriptor the rows were checked against, as it was then
    schema_json TEXT NOT NULL,
    imported_at BIGINT NOT NULL,
    -- NULL when imported from the command line
    imported_by TEXT REFERENCES users (id),
    UNIQUE (source_id, number)
);

-- Which version became current, when and by whom: each import and each
-- restoration of an earlier version, in order.
CREATE TABLE observatory_version_events (
    id TEXT PRIMARY KEY,
    source_id TEXT NOT NULL REFERENCES observatory_sources (id),
    version_id TEXT NOT NULL REFERENCES observatory_versions (id),
    -- import | restore
    kind TEXT NOT NULL,
    at BIGINT NOT NULL,
    by_user TEXT REFERENCES users (id)
);
CREATE INDEX observatory_version_events_source_idx ON observatory_version_events (source_id, at);

-- The rows of a version: the file's line and the values as a JSON object.
CREATE TABLE observatory_rows (
    version_id TEXT NOT NULL REFERENCES observatory_versions (id),
    line BIGINT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (version_id, line)
);
