-- Studies and training (issue 14, part 8; ADR 0044).
--
-- The library: published studies and awareness material. An entry is a draft,
-- published or withdrawn; every change of state is an event with who, when
-- and why; nothing is deleted. Its content is an https link or a PDF kept
-- here (base64 text, the same column type on both backends).
CREATE TABLE library_entries (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    producer TEXT NOT NULL,
    -- YYYY-MM-DD
    published_on TEXT NOT NULL,
    -- relais_domain::observatory::library::StudyKind keys
    kind TEXT NOT NULL,
    summary TEXT NOT NULL,
    link TEXT,
    -- draft, published, withdrawn
    state TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT REFERENCES users (id),
    updated_at BIGINT NOT NULL
);
-- The public list: published entries by kind, newest first (keyset pages).
CREATE INDEX library_entries_list_idx ON library_entries (state, kind, published_on, id);
CREATE INDEX library_entries_date_idx ON library_entries (state, published_on, id);

-- The professions an entry is for (relais_domain::observatory::training::Profession keys).
CREATE TABLE library_audiences (
    entry_id TEXT NOT NULL REFERENCES library_entries (id),
    profession TEXT NOT NULL,
    PRIMARY KEY (entry_id, profession)
);
CREATE INDEX library_audiences_profession_idx ON library_audiences (profession, entry_id);

-- An entry's PDF, apart so that lists never read it.
CREATE TABLE library_files (
    entry_id TEXT PRIMARY KEY REFERENCES library_entries (id),
    file_name TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    content TEXT NOT NULL
);

CREATE TABLE library_events (
    entry_id TEXT NOT NULL REFERENCES library_entries (id),
    at BIGINT NOT NULL,
    -- create, publish, withdraw
    event TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    by_user TEXT REFERENCES users (id)
);
CREATE INDEX library_events_entry_idx ON library_events (entry_id, at);

-- Training sessions given to professionals: counts by profession, never a
-- trainee's name. `year` is the year of `held_on`, kept for the totals.
CREATE TABLE training_sessions (
    id TEXT PRIMARY KEY,
    -- YYYY-MM-DD
    held_on TEXT NOT NULL,
    year BIGINT NOT NULL,
    title TEXT NOT NULL,
    organiser TEXT NOT NULL,
    departement TEXT NOT NULL,
    total BIGINT NOT NULL,
    recorded_at BIGINT NOT NULL,
    recorded_by TEXT REFERENCES users (id),
    -- A record entered by mistake is cancelled, not deleted: it stops counting.
    cancelled_at BIGINT,
    cancelled_by TEXT REFERENCES users (id)
);
CREATE INDEX training_sessions_year_idx ON training_sessions (year, held_on, id);

CREATE TABLE training_counts (
    session_id TEXT NOT NULL REFERENCES training_sessions (id),
    profession TEXT NOT NULL,
    trained BIGINT NOT NULL,
    PRIMARY KEY (session_id, profession)
);

-- A plan indicator whose value is counted from the training records of its
-- year (relais_domain::observatory::training::TrainingCount keys); NULL: typed by hand.
ALTER TABLE plan_annual_indicators ADD COLUMN counts_training TEXT;
