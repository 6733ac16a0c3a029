-- Issue 17: the open triage queue (submitted and information requested, the default view) was
-- read from `referrals_queue_idx` once per status, or from the child or département index, and
-- sorted: every open referral of the territory, tens of thousands at a million referrals, for
-- each page. These partial indexes hold the open referrals alone in the queue's order, nationally
-- and by département, so a page is read in order and stopped at its end. The queue's condition
-- names the statuses as written here, so that both planners match it to them.
CREATE INDEX referrals_open_queue_idx ON referrals (urgent DESC, submitted_at, id)
    WHERE status IN ('submitted', 'information-requested');
CREATE INDEX referrals_open_departement_idx ON referrals (departement, urgent DESC, submitted_at, id)
    WHERE status IN ('submitted', 'information-requested');
