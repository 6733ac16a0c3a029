-- Issue 17: every column that points at a row the retention job or an erasure deletes (a
-- referral, a person, a case) has an index, so that finding what points at it, and the
-- database's own foreign-key check on the delete, reads no whole table. At 100,000 cases the
-- retention job took 49 ms per unfollowed referral, scanning `cases`, `referrals` and the
-- status notices for each.
CREATE INDEX cases_referral_idx ON cases (referral_id);
CREATE INDEX cases_person_idx ON cases (person_id);
CREATE INDEX referrals_person_idx ON referrals (person_id);
CREATE INDEX referrals_case_idx ON referrals (case_id);
CREATE INDEX referral_status_notices_referral_idx ON referral_status_notices (referral_id);
CREATE INDEX signalement_submissions_referral_idx ON signalement_submissions (referral_id);
CREATE INDEX api_idempotency_keys_referral_idx ON api_idempotency_keys (referral_id);
