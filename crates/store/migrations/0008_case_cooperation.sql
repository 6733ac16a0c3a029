-- Cooperation with police and justice, recorded apart from the
-- identification decision, which never depends on it (issue 4).
ALTER TABLE cases ADD COLUMN cooperation TEXT;
ALTER TABLE cases ADD COLUMN cooperation_at BIGINT;
