# Sign-in: delays after repeated failures (ADR 0015).
auth-wait = Too many attempts for this account or from your connection. For your security, wait { $minutes } min before trying again.
