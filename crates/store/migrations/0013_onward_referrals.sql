-- Onward referrals from a case to a service (issue 6, part 3), including
-- the safe distant placement (Ac.Sé, CESEDA R.425-8). The receiver sees
-- only `payload`: the data items its purpose needs, encrypted.
CREATE TABLE onward_referrals (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    -- service, distant-placement
    kind TEXT NOT NULL,
    service_id TEXT NOT NULL REFERENCES services (id),
    receiving_organisation_id TEXT NOT NULL REFERENCES organisations (id),
    -- The type of place a placement takes when accepted.
    place_type TEXT,
    -- sent, accepted, declined, completed, withdrawn
    status TEXT NOT NULL,
    -- consent, override (override_reason encrypted)
    basis TEXT NOT NULL,
    override_reason TEXT,
    payload TEXT NOT NULL,
    decline_reason TEXT,
    sent_by TEXT REFERENCES users (id),
    sent_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    placed_at BIGINT
);
CREATE INDEX onward_referrals_case_idx ON onward_referrals (case_id, sent_at);
CREATE INDEX onward_referrals_receiver_idx ON onward_referrals (receiving_organisation_id, status, sent_at);
