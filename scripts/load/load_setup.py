"""Prepares a load run (scripts/load.sh): signs the demo's identification
officers in, issues one API token per integration, and picks the cases the
officers will open; writes them as JSON for the Locust scenarios.

Usage: load_setup.py PORT RELAIS PASSWORD INTEGRATIONS OUT < CASE_IDS"""

import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import relais_client  # noqa: E402

OFFICERS = ["identification@demo.relais.test", "decision@demo.relais.test"]


def main():
    port, relais, password, integrations, out = sys.argv[1:6]
    host, env = "127.0.0.1", dict(os.environ)
    officers = [relais_client.sign_in(host, int(port), relais, env, email, password) for email in OFFICERS]
    admin = relais_client.sign_in(host, int(port), relais, env, "admin@demo.relais.test", password)
    tokens = [relais_client.issue_token(admin, f"charge-{n}") for n in range(1, int(integrations) + 1)]
    cases = [line.strip() for line in sys.stdin if line.strip()]
    if not cases:
        raise SystemExit("no open case to open during the load")
    with open(out, "w") as handle:
        json.dump({"officers": [s.cookies for s in officers], "tokens": tokens, "cases": cases}, handle)


if __name__ == "__main__":
    main()
