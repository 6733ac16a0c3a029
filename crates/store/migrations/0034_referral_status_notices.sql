-- A referrer is told by e-mail when someone else changes the status of their
-- referral (issue 16, part 6). The change writes a notice in its own
-- transaction; the outbox loop turns each notice into a message in the
-- referrer's language, once (`queued_at`), whichever process does it.
CREATE TABLE referral_status_notices (
    id TEXT PRIMARY KEY,
    referral_id TEXT NOT NULL REFERENCES referrals (id),
    recipient_user_id TEXT NOT NULL REFERENCES users (id),
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    queued_at BIGINT
);
CREATE INDEX referral_status_notices_queue_idx ON referral_status_notices (queued_at, created_at);
