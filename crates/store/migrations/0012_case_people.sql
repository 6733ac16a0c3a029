-- The people of a case file (issue 4, part 4): the person's record with
-- safe-contact instructions, and their dependants. Everything about them
-- is one encrypted document per row, bound to the row.
CREATE TABLE case_people (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    -- 'person' (at most one per case) or 'dependant'
    role TEXT NOT NULL,
    details TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT REFERENCES users (id)
);
CREATE INDEX case_people_case_idx ON case_people (case_id, role, created_at);
