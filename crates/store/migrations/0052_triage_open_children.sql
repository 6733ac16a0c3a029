-- Issue 17: the triage queue filtered on children (`child = 1`, a filter the officers use
-- daily) was read from `referrals_child_idx` once per open status, every open child's row
-- fetched for its columns, then sorted: 5,267 rows for a page of 50 at a million cases (17 ms
-- warm, 400 ms on a server just started). This partial index holds the open referrals by the
-- child flag in the queue's order, so that a page is read in order and stopped at its end. Its
-- condition is written as the queue's (migration 0049), so that both planners match it.
CREATE INDEX referrals_open_child_idx ON referrals (child, urgent DESC, submitted_at, id)
    WHERE status IN ('submitted', 'information-requested');
