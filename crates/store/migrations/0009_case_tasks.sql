-- Tasks of a case file with their due dates (issue 4); the title is
-- encrypted, bound to its row.
ALTER TABLE tasks ADD COLUMN case_id TEXT REFERENCES cases (id);
ALTER TABLE tasks ADD COLUMN title TEXT;
CREATE INDEX tasks_case_idx ON tasks (case_id, status, due_at);
