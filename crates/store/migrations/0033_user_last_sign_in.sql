-- The user list shows when each account last signed in (issue 16, part 9),
-- and pages through accounts in name order (keyset on name and id).
ALTER TABLE users ADD COLUMN last_signed_in_at BIGINT;
CREATE INDEX users_display_name_idx ON users (display_name, id);
