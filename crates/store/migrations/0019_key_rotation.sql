-- Key rotation (issue 11, docs/adr/0016-key-rotation.md): how far
-- `relais key rotate` has re-encrypted each encrypted column under the
-- active key, so that an interrupted run resumes where it stopped. Holds
-- key ids, row identifiers and counts, never a key or any content.
CREATE TABLE key_rotation_progress (
    -- table.column
    encrypted_column TEXT PRIMARY KEY,
    -- the key id this column is being rotated to
    target_key TEXT NOT NULL,
    -- the greatest row identifier already rotated ('' before the first batch)
    last_id TEXT NOT NULL,
    -- 1 once every row of the column is under target_key
    done BIGINT NOT NULL,
    rewritten BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
