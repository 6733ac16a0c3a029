-- Issue 17: a case's earliest permit deadline (read whenever its queue deadline is refreshed:
-- every decision, transfer and permit change) was found on PostgreSQL by reading
-- `permits_deadline_idx` in deadline order and filtering on the case, every permit with a
-- deadline in the database for each call (12 ms at 11,000 such permits, growing with them):
-- the plan PostgreSQL picks for `ORDER BY next_deadline_on LIMIT 1`. This index answers it by
-- the case first, in deadline order, on both databases.
CREATE INDEX permits_case_deadline_idx ON permits (case_id, next_deadline_on, id)
    WHERE next_deadline_on IS NOT NULL;
