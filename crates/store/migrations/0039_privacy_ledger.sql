-- The privacy-budget ledger of the observatory's releases (issue 14, part 6; ADR 0046): a
-- release's budget ε, and what each of its tables spent, written with the draft.
ALTER TABLE observatory_releases ADD COLUMN epsilon_hundredths BIGINT;

CREATE TABLE observatory_privacy_ledger (
    release_id TEXT NOT NULL REFERENCES observatory_releases (id),
    position BIGINT NOT NULL,
    source_code TEXT NOT NULL,
    dimension TEXT NOT NULL,
    -- hundredths of ε
    epsilon_hundredths BIGINT NOT NULL,
    -- the noise added, e.g. discrete-laplace
    mechanism TEXT NOT NULL,
    spent_at BIGINT NOT NULL,
    PRIMARY KEY (release_id, position)
);
