"""Load scenarios of scripts/load.sh (issue 17, part 2), run by Locust.

Three kinds of traffic, from the setup file that load_setup.py wrote
(RELAIS_LOAD_SETUP): staff signed in as the demo's identification officers,
with think times (the triage queue with filters, the case queue, a case's
decision page and file, a note written, the directory, the equal-access and
timeliness pages); integrations sending referrals with their API tokens; and
the public sending signalements. Every unexpected status is a failure, so a
run with any error response fails (load.sh checks the CSV). Each request's
time since the start, route, duration and outcome is also written to
RELAIS_LOAD_TIMINGS, from which summary.py reports the run once the users are
all at work apart from its first seconds."""

import csv
import itertools
import json
import os
import random
import re
import time

from locust import FastHttpUser, HttpUser, between, events, task

with open(os.environ["RELAIS_LOAD_SETUP"]) as handle:
    SETUP = json.load(handle)

CSRF = re.compile(r'name="csrf" value="([^"]+)"')
FORM_TOKEN = re.compile(r'name="form_token" value="([^"]+)"')
# The triage queue's filters as an officer combines them.
TRIAGE_FILTERS = [
    "?departement=93",
    "?departement=75&urgent=yes",
    "?child=yes",
    "?older_than_days=3",
    "?departement=13&child=no",
    "",
]
REFERRAL = {
    "family_name": "Charge", "age": "adult", "sex": "female", "nationality": "BGR", "departement": "31",
    "languages": "bulgare", "interpreter_needed": "no", "circumstances": "Test de charge (fictif)",
    "forms": ["labour"], "location": "france", "act": "yes", "consent": "given", "consent_language": "bulgare",
    "consent_interpreter": "no", "consent_explained_by": "Agent Charge", "consent_date": "2026-12-01",
}


# Every request as (seconds from the start to when it was sent, route, milliseconds, succeeded), written at the end.
TIMINGS = []
STARTED = [time.monotonic()]


@events.test_start.add_listener
def started(**_):
    STARTED[0] = time.monotonic()


@events.request.add_listener
def timed(request_type, name, response_time, exception, **_):
    # Counted from when the request was sent, so that a slow one falls in the second it began.
    sent = time.monotonic() - STARTED[0] - response_time / 1000
    TIMINGS.append((sent, f"{request_type} {name}", response_time, exception is None))


@events.test_stop.add_listener
def write_timings(**_):
    path = os.environ.get("RELAIS_LOAD_TIMINGS")
    if not path:
        return
    with open(path, "w", newline="") as handle:
        rows = csv.writer(handle)
        rows.writerow(["seconds", "route", "ms", "ok"])
        rows.writerows((f"{seconds:.3f}", route, f"{ms:.1f}", int(ok)) for seconds, route, ms, ok in TIMINGS)


def expect(response, status):
    """Marks the response failed unless it has the status expected."""
    if response.status_code != status:
        response.failure(f"{response.status_code} instead of {status}")
    else:
        response.success()


class Officer(HttpUser):
    """An identification officer at work: reads queues and files, writes a note now and then."""

    fixed_count = int(os.environ.get("RELAIS_LOAD_USERS", "50"))
    wait_time = between(1, 3)

    def on_start(self):
        cookies = random.choice(SETUP["officers"])
        for name, value in cookies.items():
            self.client.cookies.set(name, value)

    def get(self, path, name):
        with self.client.get(path, name=name, catch_response=True, allow_redirects=False) as response:
            expect(response, 200)
            return response.text

    def case(self):
        return random.choice(SETUP["cases"])

    @task(4)
    def triage_queue(self):
        self.get("/triage" + random.choice(TRIAGE_FILTERS), "/triage?filters")

    @task(3)
    def case_queue(self):
        self.get("/cases", "/cases")

    @task(4)
    def decision_page(self):
        self.get(f"/cases/{self.case()}", "/cases/{id}")

    @task(4)
    def case_file(self):
        self.get(f"/cases/{self.case()}/file", "/cases/{id}/file")

    @task(1)
    def write_note(self):
        case = self.case()
        page = self.get(f"/cases/{case}/file", "/cases/{id}/file")
        token = CSRF.search(page)
        if not token:
            return
        fields = {"csrf": token.group(1), "sensitivity": "general", "body": "Note de charge (fictive)."}
        with self.client.post(
            f"/cases/{case}/file/notes", data=fields, name="/cases/{id}/file/notes",
            catch_response=True, allow_redirects=False,
        ) as response:
            expect(response, 303)

    @task(2)
    def directory(self):
        self.get("/directory", "/directory")

    @task(1)
    def equal_access(self):
        self.get("/statistics/equal-access", "/statistics/equal-access")

    @task(1)
    def timeliness(self):
        self.get("/statistics/timeliness", "/statistics/timeliness")


def send_referral(user):
    """Posts one referral with the user's API token; anything but 201 is a failure."""
    with user.client.post(
        "/api/v1/referrals", json=REFERRAL, name="/api/v1/referrals",
        headers={"Authorization": f"Bearer {user.token}"}, catch_response=True,
    ) as response:
        expect(response, 201)


class Integration(HttpUser):
    """One of the integrations sending referrals through the API with its own token."""

    fixed_count = int(os.environ.get("RELAIS_LOAD_INTEGRATIONS", "10"))
    wait_time = between(0.2, 1)

    started = itertools.count()

    def on_start(self):
        self.token = SETUP["tokens"][next(Integration.started) % len(SETUP["tokens"])]

    @task
    def refer(self):
        send_referral(self)


class Intake(FastHttpUser):
    """An integration sending referrals back to back, with no think time: `load.sh --intake`
    runs only these, to measure how many referrals a second the API takes in."""

    fixed_count = int(os.environ.get("RELAIS_LOAD_INTAKE") or "20")

    started = itertools.count()

    def on_start(self):
        self.token = SETUP["tokens"][next(Intake.started) % len(SETUP["tokens"])]

    @task
    def refer(self):
        send_referral(self)


class Public(HttpUser):
    """Someone sending a signalement from the public form, each from their own address."""

    fixed_count = int(os.environ.get("RELAIS_LOAD_PUBLIC", "2"))
    wait_time = between(5, 10)

    @task
    def signalement(self):
        self.client.cookies.clear()
        forwarded = {"X-Forwarded-For": f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"}
        with self.client.get("/signalement", name="/signalement", headers=forwarded, catch_response=True) as response:
            expect(response, 200)
            page = response.text
        token = CSRF.search(page)
        if not token:
            return
        fields = {
            "csrf": token.group(1),
            "description": "Charge : des personnes travaillent la nuit dans un entrepôt (fictif).",
            "departement": "31",
            "minor": "unknown",
            "forms": "labour",
        }
        form_token = FORM_TOKEN.search(page)
        if form_token:
            fields["form_token"] = form_token.group(1)
        with self.client.post(
            "/signalement", data=fields, name="/signalement", headers=forwarded,
            catch_response=True, allow_redirects=False,
        ) as response:
            expect(response, 303)
