"""Prepares a load run (scripts/load.sh): signs the demo's identification
officers in, issues one API token per integration, and picks the cases the
officers will open; writes them as JSON for the Locust scenarios.

Usage: load_setup.py PORT RELAIS PASSWORD INTEGRATIONS OUT < CASE_IDS"""

import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import relais_client  # noqa: E402

OFFICERS = ["identification@demo.relais.test", "decision@demo.relais.test"]


def sign_in(port, relais, password, email):
    """Signs in, waiting out a busy server: just started, it may still be answering 503
    (its start-up jobs hold the database, or the password hashes are all in use)."""
    for attempt in range(60):
        try:
            return relais_client.sign_in("127.0.0.1", int(port), relais, dict(os.environ), email, password)
        except RuntimeError as error:
            if "503" not in str(error) or attempt == 59:
                raise
            time.sleep(2)
    raise RuntimeError(f"sign-in of {email} never succeeded")


def main():
    port, relais, password, integrations, out = sys.argv[1:6]
    officers = [sign_in(port, relais, password, email) for email in OFFICERS]
    admin = sign_in(port, relais, password, "admin@demo.relais.test")
    tokens = [relais_client.issue_token(admin, f"charge-{n}") for n in range(1, int(integrations) + 1)]
    cases = [line.strip() for line in sys.stdin if line.strip()]
    if not cases:
        raise SystemExit("no open case to open during the load")
    with open(out, "w") as handle:
        json.dump({"officers": [s.cookies for s in officers], "tokens": tokens, "cases": cases}, handle)


if __name__ == "__main__":
    main()
