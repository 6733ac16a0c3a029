-- The audit log page filters by action (issue 16): an index for it, beside
-- those on the actor, the object and the time (0001, 0018). With the
-- sequence number, so that a filtered page reads in keyset order.
CREATE INDEX audit_log_action_idx ON audit_log (action, seq);
