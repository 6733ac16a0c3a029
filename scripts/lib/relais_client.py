"""A small HTTP client of a running Relais (standard library only), shared by
scripts/soak.py and scripts/contract.sh: signs a demo user in (password then
the TOTP code that `relais demo code` prints) and issues an API token."""

import html
import http.client
import re
import subprocess
import urllib.parse


class Session:
    """One keep-alive connection with its cookies; redirects are not followed."""

    def __init__(self, host, port, timeout=30):
        self.host, self.port, self.timeout = host, port, timeout
        self.cookies = {}
        self.conn = None

    def request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # The server closed an idle keep-alive connection: reconnect once.
                self.conn.close()
                self.conn = None
                if attempt:
                    raise
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                pair = value.split(";", 1)[0]
                key, _, val = pair.partition("=")
                if val:
                    self.cookies[key.strip()] = val.strip()
                else:
                    self.cookies.pop(key.strip(), None)
        return response.status, response, data.decode("utf-8", "replace")

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)

    def post_form(self, path, fields, headers=None):
        headers = dict(headers or {})
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        return self.request("POST", path, urllib.parse.urlencode(fields), headers)


def csrf_of(page):
    match = re.search(r'name="csrf" value="([^"]+)"', page)
    if not match:
        raise RuntimeError("no CSRF field on the page")
    return match.group(1)


def sign_in(host, port, relais, env, email, password):
    """A signed-in session of `email` (a demo user: `relais demo code` knows its secret)."""
    session = Session(host, port)
    _, _, page = session.get("/login")
    status, _, _ = session.post_form(
        "/login", {"csrf": csrf_of(page), "email": email, "password": password, "next": "/dashboard"}
    )
    if status != 303:
        raise RuntimeError(f"sign-in of {email}: password step answered {status}")
    code = subprocess.run(
        [relais, "demo", "code", email], env=env, check=True, capture_output=True, text=True
    ).stdout.strip().split()[-1]
    _, _, page = session.get("/login/mfa")
    status, _, _ = session.post_form("/login/mfa", {"csrf": csrf_of(page), "code": code, "next": "/dashboard"})
    if status != 303:
        raise RuntimeError(f"sign-in of {email}: code step answered {status}")
    return session


def issue_token(admin, label):
    """An API token of the first organisation listed, issued through the administration page."""
    _, _, page = admin.get("/admin/api-tokens")
    organisation = re.search(r'<option value="([^"]+)"', page)
    if not organisation:
        raise RuntimeError("no organisation to issue an API token to")
    status, _, page = admin.post_form(
        "/admin/api-tokens",
        {"csrf": csrf_of(page), "organisation_id": html.unescape(organisation.group(1)), "label": label},
    )
    secret = re.search(r'id="api-token-secret">([^<]+)<', page)
    if status != 200 or not secret:
        raise RuntimeError(f"issuing an API token answered {status}")
    return secret.group(1)
