-- Issue 17: the case queue is read a page at a time in the order of each open case's next
-- deadline (its stage's or a permit's, the earlier). That deadline depends on no clock, so it is
-- kept with the case whenever its stage, département or permits change (the domain's
-- `QueueDeadline`), and read through these indexes instead of computing it for every case.
-- `next_due_kind` is 'none' for a case without a deadline and NULL until first computed:
-- `Store::migrate` computes it for the cases already there.
ALTER TABLE cases ADD COLUMN next_due_on TEXT;
ALTER TABLE cases ADD COLUMN next_due_kind TEXT;
CREATE INDEX cases_due_idx ON cases (next_due_on, id) WHERE status <> 'closed';
CREATE INDEX cases_departement_due_idx ON cases (departement, next_due_on, id) WHERE status <> 'closed';
CREATE INDEX cases_second_decision_idx ON cases (departement) WHERE pending_event IS NOT NULL AND status <> 'closed';
CREATE INDEX cases_due_unknown_idx ON cases (id) WHERE next_due_kind IS NULL;
