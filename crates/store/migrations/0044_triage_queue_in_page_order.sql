-- Issue 17: the triage queue is read a page at a time, urgent first, then oldest, then by id
-- (the keyset). An index in exactly that order, directions included, lets a filtered status
-- (e.g. accepted: most referrals) be read in order and stopped at the page's end instead of
-- sorting every referral of that status. It replaces `referrals_queue_idx`, its prefix.
DROP INDEX referrals_queue_idx;
CREATE INDEX referrals_queue_idx ON referrals (status, urgent DESC, submitted_at, id);
