-- Issue 17: the statistics pages read every case in their scope. Their figures, once past the
-- disclosure policy, are kept here per page, policy and territory, and shown with the time they
-- were computed until they are older than the configured freshness; any process recomputes them
-- then. Only published-safe aggregates are kept: no case, no reference, no group under the
-- policy's minimum.
CREATE TABLE statistics_snapshots (
    page TEXT NOT NULL,
    scope TEXT NOT NULL,
    computed_at INTEGER NOT NULL,
    figures TEXT NOT NULL,
    PRIMARY KEY (page, scope)
);
