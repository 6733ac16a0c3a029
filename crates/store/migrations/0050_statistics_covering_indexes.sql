-- Issue 17: the statistics pages read every case of the territory with its referral's
-- categories, its formal decision and its latest needs assessment. Each was a lookup into a
-- wide row (a referral holds its sealed details, an assessment its sealed needs, about 1 KB
-- each): hundreds of MB of pages read at random at 300,000 cases. These indexes hold only what
-- the figures need, so the lookups read them alone (SQLite's `COVERING INDEX`, PostgreSQL's
-- index-only scans); the formal decisions' is partial, as the query names them.
CREATE INDEX referrals_statistics_idx ON referrals (id, submitted_at, departement, child, sex, nationality, forms);
CREATE INDEX case_events_formal_idx ON case_events (case_id, at, id, to_status)
    WHERE pending = 0 AND to_status IN ('identified', 'not-identified', 'insufficient-evidence');
CREATE INDEX need_assessments_statistics_idx
    ON need_assessments (case_id, assessed_on, created_at, has_accommodation_need, accommodation_met);
