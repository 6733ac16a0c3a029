-- The national coordination committee (issue 13, part 4): its members,
-- meetings with attendance, minutes, decisions and action items (which may
-- point at a plan measure). Members' names and e-mail addresses are personal
-- data: they are read and written through audited transactions only, and the
-- public page reads the dates of held meetings, nothing else.
CREATE TABLE committee_members (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    -- relais_domain::coordination::committee::MemberCategory keys
    category TEXT NOT NULL,
    organisation_label TEXT NOT NULL,
    email TEXT NOT NULL,
    active BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
-- The committee page lists members by category; invitations go to the active ones.
CREATE INDEX committee_members_category_idx ON committee_members (category, name);
CREATE INDEX committee_members_active_idx ON committee_members (active);

CREATE TABLE committee_meetings (
    id TEXT PRIMARY KEY,
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    place TEXT NOT NULL,
    agenda TEXT NOT NULL DEFAULT '',
    minutes TEXT NOT NULL DEFAULT '',
    -- 0: planned, 1: held (recorded with its minutes)
    held BIGINT NOT NULL DEFAULT 0,
    -- How many times the invitations were sent (the .ics SEQUENCE).
    invitations_sent BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
-- Meetings by year, and the public count of held meetings.
CREATE INDEX committee_meetings_start_idx ON committee_meetings (starts_at);
CREATE INDEX committee_meetings_held_idx ON committee_meetings (held, starts_at);

CREATE TABLE committee_attendance (
    meeting_id TEXT NOT NULL REFERENCES committee_meetings (id),
    member_id TEXT NOT NULL REFERENCES committee_members (id),
    PRIMARY KEY (meeting_id, member_id)
);
CREATE INDEX committee_attendance_member_idx ON committee_attendance (member_id);

CREATE TABLE committee_decisions (
    id TEXT PRIMARY KEY,
    meeting_id TEXT NOT NULL REFERENCES committee_meetings (id),
    text TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX committee_decisions_meeting_idx ON committee_decisions (meeting_id, created_at);

CREATE TABLE committee_action_items (
    id TEXT PRIMARY KEY,
    meeting_id TEXT NOT NULL REFERENCES committee_meetings (id),
    text TEXT NOT NULL,
    -- Who carries it out: a body or a person, as the minutes name them.
    owner TEXT NOT NULL,
    -- YYYY-MM-DD, a day (relais_domain::time::Date)
    due_on TEXT NOT NULL,
    measure_id TEXT REFERENCES plan_measures (id),
    done BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX committee_action_items_meeting_idx ON committee_action_items (meeting_id, due_on);
CREATE INDEX committee_action_items_measure_idx ON committee_action_items (measure_id);

-- An outbox message may carry one attachment (a meeting's .ics invitation).
ALTER TABLE mail_outbox ADD COLUMN attachment_name TEXT;
ALTER TABLE mail_outbox ADD COLUMN attachment_type TEXT;
ALTER TABLE mail_outbox ADD COLUMN attachment TEXT;
