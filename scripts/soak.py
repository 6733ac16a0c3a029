"""Drives a running Relais at a fixed rate with mixed traffic and samples the
server's memory; see scripts/soak.sh. Standard library only.

Traffic, per request slot: 70 % a page view by one of the signed-in demo
users (a page that user may see), 20 % an API read (a referral's status or
the OpenAPI document) with a valid token, 10 % a public signalement (the
form, then its POST from a fresh forwarded address, so the per-address
limit does not refuse it). An error is a transport failure or any status
other than the expected one (200 for pages and reads, 303 for the post)."""

import argparse
import collections
import json
import os
import random
import re
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
import relais_client  # noqa: E402

PAGES = [
    "/dashboard", "/account", "/referrals", "/triage", "/cases", "/directory", "/directory/prefectures", "/onward",
    "/shared-cases", "/statistics/timeliness", "/statistics/equal-access", "/admin/users", "/admin/organisations",
    "/admin/audit", "/admin/catalogues", "/privacy", "/privacy/requests", "/privacy/register",
]
USERS = [
    "admin@demo.relais.test", "police@demo.relais.test", "identification@demo.relais.test",
    "coordination@demo.relais.test", "observatoire@demo.relais.test", "foyer@demo.relais.test",
    "dpd@demo.relais.test",
]
REFERRAL = {
    "family_name": "Soak", "age": "adult", "sex": "female", "nationality": "BGR", "departement": "31",
    "languages": "bulgare", "interpreter_needed": "no", "circumstances": "Soak test", "forms": ["labour"],
    "location": "france", "act": "yes", "consent": "given", "consent_language": "bulgare",
    "consent_interpreter": "no", "consent_explained_by": "Agent Soak", "consent_date": "2026-12-01",
}


def status_kib(pid, field):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def rss_kib(pid):
    return status_kib(pid, "VmRSS")


def database_kib():
    """The SQLite files' size (database, WAL, shared memory) in the data directory: tells the
    database's growth from the process's own."""
    folder = os.environ.get("RELAIS_DATA_DIR", "")
    if not folder or not os.path.isdir(folder):
        return 0
    return sum(
        os.path.getsize(os.path.join(folder, name)) for name in os.listdir(folder) if ".db" in name or ".sqlite" in name
    ) // 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--relais", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--duration", type=int, default=600)
    parser.add_argument("--rate", type=int, default=100)
    args = parser.parse_args()
    host, env = "127.0.0.1", dict(os.environ)

    # Setup: sign every user in, keep the pages each may see, issue a token, submit a referral.
    sessions = []
    for email in USERS:
        session = relais_client.sign_in(host, args.port, args.relais, env, email, args.password)
        pages = [p for p in PAGES if session.get(p)[0] == 200]
        sessions.append((email, session, pages))
        print(f"signed in {email}: {len(pages)} pages", flush=True)
    admin = sessions[0][1]
    token = relais_client.issue_token(admin, "soak")
    api = relais_client.Session(host, args.port)
    auth = {"Authorization": f"Bearer {token}"}
    status, _, body = api.request(
        "POST", "/api/v1/referrals", json.dumps(REFERRAL), dict(auth, **{"Content-Type": "application/json"})
    )
    if status != 201:
        raise SystemExit(f"API submission answered {status}: {body}")
    location = json.loads(body)["location"]

    # Each worker thread has its own connection per user (http.client is not thread-safe).
    local = threading.local()

    def conn(key, template):
        pool = local.__dict__.setdefault("sessions", {})
        if key not in pool:
            copy = relais_client.Session(host, args.port)
            copy.cookies = dict(template.cookies) if template else {}
            pool[key] = copy
        return pool[key]

    lock = threading.Lock()
    counts = collections.Counter()
    errors = collections.Counter()
    latencies = []

    def record(kind, status, expected, started):
        with lock:
            counts[kind] += 1
            latencies.append(time.monotonic() - started)
            if status != expected:
                errors[f"{kind} {status}"] += 1

    def one(slot):
        roll = slot % 10
        try:
            if roll < 7:
                email, template, pages = sessions[slot % len(sessions)]
                session = conn(email, template)
                started = time.monotonic()
                status, _, _ = session.get(random.choice(pages))
                record("page", status, 200, started)
            elif roll < 9:
                session = conn("api", None)
                started = time.monotonic()
                path = location if roll == 7 else "/api/v1/openapi.json"
                status, _, _ = session.get(path, auth)
                record("api", status, 200, started)
            else:
                session = relais_client.Session(host, args.port)
                forwarded = {"X-Forwarded-For": f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"}
                started = time.monotonic()
                status, _, page = session.get("/signalement", forwarded)
                record("public-form", status, 200, started)
                fields = {
                    "csrf": relais_client.csrf_of(page),
                    "description": "Soak: des personnes travaillent la nuit dans un entrepôt.",
                    "departement": "31",
                    "minor": "unknown",
                    "forms": "labour",
                }
                token = re.search(r'name="form_token" value="([^"]+)"', page)
                if token:
                    fields["form_token"] = token.group(1)
                started = time.monotonic()
                status, _, _ = session.post_form("/signalement", fields, forwarded)
                record("public-post", status, 303, started)
        except Exception as error:  # noqa: BLE001 - every failure is counted, none stops the run
            with lock:
                errors[f"transport {type(error).__name__}"] += 1

    samples = []
    # Beside RSS: its anonymous part (the heap) and the database files, to tell growth of
    # the process from the database's pages it maps or caches.
    details = []
    stop = threading.Event()

    def sample():
        start = time.monotonic()
        while not stop.is_set():
            samples.append((round(time.monotonic() - start), rss_kib(args.pid)))
            details.append((status_kib(args.pid, "RssAnon"), database_kib()))
            stop.wait(10)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.monotonic()
    slot = 0
    late = 0
    with ThreadPoolExecutor(max_workers=32) as pool:
        while time.monotonic() - started < args.duration:
            due = started + slot / args.rate
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            elif delay < -1:
                late += 1
            pool.submit(one, slot)
            slot += 1
    elapsed = time.monotonic() - started
    stop.set()
    sampler.join()
    samples.append((round(elapsed), rss_kib(args.pid)))

    total = sum(counts.values())
    latencies.sort()
    def pct(p):
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else 0
    second = [kib for t, kib in samples if 60 <= t < 120]
    last = [kib for t, kib in samples if t >= elapsed - 60]
    second_avg = sum(second) / len(second) if second else 0
    last_avg = sum(last) / len(last) if last else 0
    growth = (last_avg - second_avg) / second_avg * 100 if second_avg else 0
    print()
    print(f"Soak: {elapsed:.0f} s, {total} requests ({total / elapsed:.1f}/s), slots more than 1 s late: {late}")
    print("  by kind: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    print(f"  latency ms: p50 {pct(0.5):.1f}, p90 {pct(0.9):.1f}, p99 {pct(0.99):.1f}, max {pct(1.0):.1f}")
    print(f"  errors: {sum(errors.values())}" + (" (" + ", ".join(f"{k}: {v}" for k, v in errors.items()) + ")" if errors else ""))
    print("  RSS MiB every 10 s: " + " ".join(f"{kib / 1024:.1f}" for _, kib in samples))
    print("  of which anonymous (heap), MiB: " + " ".join(f"{anon / 1024:.1f}" for anon, _ in details))
    print("  database files, MiB: " + " ".join(f"{db / 1024:.1f}" for _, db in details))
    print(f"  RSS second minute {second_avg / 1024:.1f} MiB, last minute {last_avg / 1024:.1f} MiB ({growth:+.1f} %)")
    failed = bool(errors) or (second and abs(growth) > 5)
    print("Soak " + ("FAILED" if failed else "passed"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
