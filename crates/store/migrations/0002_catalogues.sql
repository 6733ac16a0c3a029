-- Identification indicator catalogues, one row per version. The file is kept
-- as imported so that any screening can be re-run against the exact version
-- it used; versions are never changed or deleted, only added.
CREATE TABLE catalogues (
    id TEXT NOT NULL,
    version BIGINT NOT NULL,
    title_fr TEXT NOT NULL,
    title_en TEXT NOT NULL,
    source_text TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    shipped BIGINT NOT NULL,
    imported_at BIGINT NOT NULL,
    PRIMARY KEY (id, version)
);
