-- Issue 17: the audit trail's two filtered reads page by sequence number, newest first
-- (a case's access log; /admin/audit filtered by person). Ending both indexes with `seq`
-- lets the database walk them in that order and stop at the page's end, instead of
-- gathering every row of the object or the person and sorting them: at 10 million rows an
-- officer has hundreds of thousands. Plans before and after: docs/PERFORMANCE.md, "Load".
DROP INDEX audit_log_object_idx;
CREATE INDEX audit_log_object_idx ON audit_log (object_type, object_id, seq);
DROP INDEX audit_log_actor_idx;
CREATE INDEX audit_log_actor_idx ON audit_log (actor_user_id, seq);
