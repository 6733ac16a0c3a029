-- Issue 17: the overdue count of the case queue (home page, queue) kept per département and due
-- day, so that it sums a few hundred days instead of reading the index entry of every overdue
-- case. Each open case with a deadline is counted once, in the bucket its `due_counted_…`
-- columns name ('' for a case without a département); the store moves it between buckets in
-- the transaction that changes its deadline, status or département.
CREATE TABLE case_due_counts (
    departement TEXT NOT NULL,
    due_on TEXT NOT NULL,
    cases BIGINT NOT NULL,
    PRIMARY KEY (departement, due_on)
);
ALTER TABLE cases ADD COLUMN due_counted_departement TEXT;
ALTER TABLE cases ADD COLUMN due_counted_on TEXT;
UPDATE cases SET due_counted_departement = COALESCE(departement, ''), due_counted_on = next_due_on
    WHERE status <> 'closed' AND next_due_on IS NOT NULL;
INSERT INTO case_due_counts (departement, due_on, cases)
    SELECT due_counted_departement, due_counted_on, COUNT(*) FROM cases
    WHERE due_counted_on IS NOT NULL GROUP BY due_counted_departement, due_counted_on;
