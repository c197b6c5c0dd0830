#!/usr/bin/env python3
"""Bad input over HTTP against the real binary: malformed JSON, wrong content types, huge and deeply nested bodies,
invalid UTF-8, overlong fields, SQL and HTML injection, path traversal in file names and paths, wrong methods and
unknown routes. Each must get a clear 4xx naming the problem (the field in the JSON error, or the form field on the
page), never a 5xx, and leave nothing half-written. Every response carries the security headers (CSP without
'unsafe-inline' scripts and with frame-ancestors, nosniff, Referrer-Policy) and no versioned Server header;
personal pages are not cached.

Usage: badinput.py /path/to/opendvc
  OPENDVC_E2E_ARTIFACTS=DIR   where the server log and failures.json are kept on failure (else a printed temp dir)
"""
import base64
import hashlib
import hmac
import http.client
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import struct
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid

if len(sys.argv) != 2:
    sys.exit(__doc__)
BIN = os.path.abspath(sys.argv[1])
WORK = tempfile.mkdtemp(prefix="opendvc-e2e-badinput.")
DATA = os.path.join(WORK, "data")
AGENCY = "000.00.61.H29"
PASSWORD = "trâu ơi ta bảo trâu này"
PDF = b"%PDF-1.4\n% to khai\n%%EOF\n"
XSS = "<script>alert('xss')</script><img src=x onerror=alert(1)>"
SQL = "Robert'); DROP TABLE dossiers;-- ' OR '1'='1"
passed = failed = 0
report = []
responses = []  # (method, path, status, headers) of every answer, for the header checks


def ok(what):
    global passed
    passed += 1
    print(f"  ok   {what}", flush=True)


def bad(what, detail=None):
    global failed
    failed += 1
    print(f"  FAIL {what}", flush=True)
    if detail is not None:
        text = detail if isinstance(detail, str) else json.dumps(detail, ensure_ascii=False, default=str)
        print(f"       {text[:400]}", flush=True)
    report.append({"check": what, "detail": detail})


def check(condition, what, detail=None):
    if condition:
        ok(what)
    else:
        bad(what, detail)
    return condition


def section(title):
    print(f"== {title}", flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Answer:
    def __init__(self, method, path, status, headers, body):
        self.method, self.path, self.status, self.headers, self.body = method, path, status, headers, body

    def json(self):
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    @property
    def error(self):
        value = self.json()
        return value.get("error") if isinstance(value, dict) and isinstance(value.get("error"), dict) else None

    def describe(self):
        return {"request": f"{self.method} {self.path[:200]}", "status": self.status,
                "body": self.body[:300].decode(errors="replace")}


class Client:
    """A visitor with a cookie jar; every answer is recorded for the header checks."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def request(self, method, path, body=None, headers=None, timeout=60):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.putrequest(method, path, skip_accept_encoding=True)
            if body is not None:
                headers.setdefault("Content-Length", str(len(body)))
            for name, value in headers.items():
                conn.putheader(name, value)
            conn.endheaders()
            if body:
                conn.send(body)
            response = conn.getresponse()
            data = response.read()
        except (ConnectionError, http.client.HTTPException) as error:
            return Answer(method, path, None, {}, repr(error).encode())
        finally:
            conn.close()
        header_map = {}
        for name, value in response.getheaders():
            header_map.setdefault(name.lower(), value)
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                value = rest.split(";")[0]
                if value:
                    self.cookies[key] = value
                else:
                    self.cookies.pop(key, None)
        answer = Answer(method, path, response.status, header_map, data)
        responses.append(answer)
        return answer

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def form(self, path, fields):
        body = urllib.parse.urlencode(fields).encode()
        return self.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})

    def upload(self, path, fields, filename, content, content_type="application/pdf"):
        boundary = uuid.uuid4().hex
        parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
                 for k, v in fields.items()]
        name = filename.encode() if isinstance(filename, str) else filename
        parts.append(f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"".encode() + name
                     + f'"\r\nContent-Type: {content_type}\r\n\r\n'.encode() + content + b"\r\n")
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request("POST", path, b"".join(parts), {"Content-Type": f"multipart/form-data; boundary={boundary}"})


def csrf_of(page):
    match = re.search(rb'name="csrf_token" value="([0-9a-f]+)"', page)
    return match.group(1).decode() if match else None


def names_field(page, field):
    """Whether an answer names the field at fault: in a re-rendered form's error summary, or on the error page."""
    return field in form_errors(page) or f"<code>{field}</code>".encode() in page


def form_errors(page):
    """The error summary of a re-rendered form: {field: message}."""
    return {urllib.parse.unquote(f.decode()): m.decode(errors="replace").strip()
            for f, m in re.findall(rb'<li><a href="#([^"]*)">([^<]*)</a></li>', page)}


def totp(secret):
    key = base64.b32decode(secret + "=" * ((8 - len(secret) % 8) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 15
    return "%06d" % ((struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1000000)


def is_4xx(answer):
    return answer.status is not None and 400 <= answer.status < 500


def json_error(answer, status, field=None, what=""):
    """A JSON error with the status, a code, a message, a request id and (when given) the field at fault."""
    error = answer.error
    good = (answer.status == status and error is not None and error.get("code") and error.get("message")
            and error.get("requestId") and "application/json" in answer.headers.get("content-type", "")
            and (field is None or error.get("field") == field))
    named = f", field {field}" if field else ""
    return check(good, f"{what} → {status}{named} ({answer.status}"
                 f"{', ' + str(error.get('field')) if error else ''})", None if good else answer.describe())


# MARK: The portal under test


class Portal:
    def __init__(self):
        self.port = free_port()
        self.log = open(os.path.join(WORK, "server.log"), "w")
        env = dict(os.environ, OPENDVC_BCRYPT_COST="4", OPENDVC_LOOKUP_PER_MINUTE="1000000")
        self.process = subprocess.Popen([BIN, "serve", "--port", str(self.port), "--data-dir", DATA], cwd=WORK,
                                        env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 30
        while time.time() < deadline and self.process.poll() is None:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/readyz")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError("the server did not start; see server.log")

    def alive(self):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
            conn.request("GET", "/healthz")
            return conn.getresponse().status == 200
        except OSError:
            return False

    def command(self, *args):
        run = subprocess.run([BIN, *args, "--data-dir", DATA], cwd=WORK, capture_output=True, text=True, timeout=60)
        return run.returncode, run.stdout + run.stderr

    def stop(self):
        if self.process is None:
            return None
        self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        self.process = None
        return code


class Sync:
    """An agency system with its bearer token (and no cookies: it is not a browser)."""

    def __init__(self, portal, token):
        self.client = Client(portal.port)
        self.token = token
        self.sequence = 100

    def code(self):
        self.sequence += 1
        return f"{AGENCY}-250702-{self.sequence:04d}"

    @staticmethod
    def item(code, **changes):
        item = {"dossier_code": code, "procedure_code": "1.001193", "agency": AGENCY,
                "applicant": {"type": 1, "id": "001090001234", "name": "Nguyễn Văn An"}, "channel": 1,
                "received_at": "2025-07-02T08:00:00+07:00", "due_at": "2025-07-10T17:00:00+07:00", "status": 2,
                "event_id": f"{code}/2", "event_at": "2025-07-02T08:00:00+07:00"}
        item.update(changes)
        return item

    def post(self, body, content_type="application/json", headers=None, path="/api/v1/sync/dossiers"):
        if not isinstance(body, bytes):
            body = json.dumps(body, ensure_ascii=False).encode()
        all_headers = {"Authorization": f"Bearer {self.token}"}
        if content_type:
            all_headers["Content-Type"] = content_type
        all_headers.update(headers or {})
        return self.client.request("POST", path, body, all_headers)

    def exists(self, code):
        answer = self.client.get(f"/api/v1/dossiers/{urllib.parse.quote(code)}/status")
        return answer.status == 200


def register(client, number, **changes):
    page = client.get("/dang-ky").body
    fields = {"account_type": "citizen", "personal_id": f"001090{number:06d}", "full_name": f"Công Dân {number}",
              "birth_date": "1990-03-27", "sex": "male", "phone": "0912345678", "email": f"badinput{number}@example.vn",
              "province_code": "01", "password": PASSWORD, "password_confirm": PASSWORD, "csrf_token": csrf_of(page)}
    fields.update(changes)
    return client.form("/dang-ky", fields)


def can_sign_in(port, login):
    client = Client(port)
    page = client.get("/dang-nhap").body
    return client.form("/dang-nhap", {"login": login, "password": PASSWORD, "csrf_token": csrf_of(page)}).status == 303


# MARK: The checks


def malformed_json(sync):
    section("malformed JSON")
    code = sync.code()
    truncated = json.dumps({"items": [sync.item(code)]})[:-3].encode()
    for body, what in [(truncated, "a truncated batch"), (b"", "an empty body"), (b"[]", "a bare array"),
                       (b'{"items": {}}', "items as an object"), (b"null", "null"), (b"{'items': []}", "single quotes"),
                       (b'{"items": [] } trailing', "text after the JSON")]:
        json_error(sync.post(body), 400, "items", f"sync: {what}")
    check(not sync.exists(code), "the truncated batch wrote nothing")
    answer = sync.post(b'{"items": [1, "x", null]}')
    results = (answer.json() or {}).get("results", [])
    check(answer.status == 200 and [r.get("outcome") for r in results] == ["rejected"] * 3
          and all(r.get("error", {}).get("field") == "items" for r in results),
          "sync: items that are not objects are each rejected naming items", answer.describe())
    for body, what in [(b'{"cursor":', "truncated"), (b'{"cursor": "5"}', "a string cursor"),
                       (b'{"cursor": -1}', "a negative cursor"), (b'{"cursor": 1.5}', "a fractional cursor"),
                       (b'{"cursor": true}', "a boolean cursor")]:
        json_error(sync.post(body, path="/api/v1/sync/inbox/ack"), 400, "cursor", f"inbox ack: {what}")
    json_error(sync.post(b'{"url":', path="/api/v1/sync/webhooks"), 400, "body", "webhooks: truncated JSON")
    json_error(sync.post(b'{"url": 5, "events": ["dossier.submitted"]}', path="/api/v1/sync/webhooks"), 422, "url",
               "webhooks: a number as url")
    json_error(sync.post(b'{"url": "https://motcua.example.vn/hook", "events": "dossier.submitted"}',
                         path="/api/v1/sync/webhooks"), 422, "events", "webhooks: events not a list")
    legacy = Client(sync.client.port)
    for body in [b'{"username":', b"", b"[1,2"]:
        answer = legacy.request("POST", "/api/v1/sync/dvcqg/login", body, {"Content-Type": "application/json"})
        value = answer.json()
        check(answer.status == 200 and isinstance(value, dict) and value.get("error_code") not in (None, 0),
              f"national-portal login with {body[:12]!r}: HTTP 200 with a non-zero error_code (its protocol)",
              answer.describe())
    # Items of the right shape with values of the wrong type: each rejected naming its field, nothing stored.
    cases = [("status", {"status": "2"}), ("status", {"status": True}), ("channel", {"channel": True}),
             ("applicant.type", {"applicant": {"type": True, "id": "001090001234", "name": "A"}}),
             ("applicant", {"applicant": "Nguyễn Văn An"}), ("event_at", {"event_at": "hôm qua"}),
             ("received_at", {"received_at": "2025-13-45T08:00:00+07:00"}), ("status", {"status": 11}),
             ("event_id", {"event_id": 42}), ("applicant.id", {"applicant": {"type": 1, "id": 1234, "name": "A"}})]
    codes = [sync.code() for _ in cases]
    answer = sync.post({"items": [sync.item(code, **changes) for code, (_, changes) in zip(codes, cases)]})
    results = (answer.json() or {}).get("results", [])
    for (field, changes), code, result in zip(cases, codes, results + [{}] * len(cases)):
        got = (result.get("outcome"), (result.get("error") or {}).get("field"))
        check(got == ("rejected", field) and not sync.exists(code),
              f"sync item with {json.dumps(changes, ensure_ascii=False)[:60]}: rejected naming {field} ({got[1]}), "
              "nothing stored", {"result": result, "stored": sync.exists(code)})


def wrong_content_types(sync, citizen, ref, token, port):
    section("wrong content types")
    for content_type in ["text/plain", "application/x-www-form-urlencoded", "application/xml"]:
        code = sync.code()
        answer = sync.post({"items": [sync.item(code)]}, content_type=content_type)
        json_error(answer, 415, "Content-Type", f"sync batch sent as {content_type}")
        check(not sync.exists(code), f"and the batch sent as {content_type} wrote nothing")
    json_error(sync.post(b'{"cursor": 0}', content_type="text/plain", path="/api/v1/sync/inbox/ack"), 415,
               "Content-Type", "inbox ack sent as text/plain")
    json_error(sync.post(b'{"url": "https://motcua.example.vn/hook", "events": ["dossier.submitted"]}',
                         content_type="text/plain", path="/api/v1/sync/webhooks"), 415, "Content-Type",
               "webhook registration sent as text/plain")
    answer = Client(port).request("POST", "/dang-ky", json.dumps({"full_name": "A"}).encode(),
                                  {"Content-Type": "application/json"})
    check(is_4xx(answer), f"registration posted as JSON → 4xx ({answer.status})", answer.describe())
    answer = citizen.request("POST", f"/ho-so/{ref}/tep", f"slot=0&csrf_token={token}".encode(),
                             {"Content-Type": "application/x-www-form-urlencoded"})
    check(answer.status in (400, 415), f"an upload sent as a form → 400/415 ({answer.status})", answer.describe())
    answer = citizen.request("POST", f"/ho-so/{ref}/tep", b"--x\r\n\r\n--x--\r\n", {"Content-Type": "multipart/form-data"})
    check(answer.status == 400, f"multipart without a boundary → 400 ({answer.status})", answer.describe())
    answer = citizen.request("POST", f"/ho-so/{ref}/tep", b"not multipart at all",
                             {"Content-Type": "multipart/form-data; boundary=zzz"})
    check(answer.status in (400, 422), f"a body that is not multipart → 400/422 ({answer.status})", answer.describe())


def huge_bodies(sync, citizen, ref, token, port):
    section("huge bodies")
    json_error(sync.post(b"{\"items\":[" + b" " * (5 * 1024 * 1024) + b"]}"), 413, "items", "sync: a 5 MB body")
    codes = [sync.code() for _ in range(1001)]
    answer = sync.post({"items": [sync.item(code) for code in codes]})
    json_error(answer, 413, "items", "sync: 1,001 items")
    check(not sync.exists(codes[0]) and not sync.exists(codes[-1]), "and the 1,001 items wrote nothing")
    json_error(sync.post(b'{"cursor": 1, "pad": "' + b"a" * 10000 + b'"}', path="/api/v1/sync/inbox/ack"), 413, None,
               "inbox ack: a 10 KB body")
    json_error(sync.post(b'{"url": "https://x.example.vn", "pad": "' + b"a" * 200000 + b'"}',
                         path="/api/v1/sync/webhooks"), 413, None, "webhooks: a 200 KB body")
    answer = Client(port).request("POST", "/api/v1/sync/dvcqg", b"[" + b" " * (6 * 1024 * 1024) + b"]",
                                  {"Content-Type": "application/json"})
    check(answer.status == 413 or (answer.status == 200 and (answer.json() or {}).get("error_code") not in (None, 0)),
          f"national-portal connector: a 6 MB body → 413 or its in-band error ({answer.status})", answer.describe())
    before = count_accounts()
    answer = Client(port).request("POST", "/dang-ky", b"full_name=" + b"a" * (2 * 1024 * 1024),
                                  {"Content-Type": "application/x-www-form-urlencoded"})
    check(answer.status == 413, f"a 2 MB form → 413 ({answer.status})", answer.describe())
    answer = citizen.upload(f"/ho-so/{ref}/tep", {"csrf_token": token, "slot": "0"}, "lon.pdf",
                            b"%PDF-1.4\n" + b"a" * (11 * 1024 * 1024))
    check(answer.status == 413 and "file" in form_errors(answer.body),
          f"an 11 MB file (the limit is 10 MB) → 413 naming the file field ({answer.status}, "
          f"{list(form_errors(answer.body))})", answer.describe())
    answer = Client(port).get("/thu-tuc", headers={"X-Padding": "a" * 100000})
    check(answer.status is None or is_4xx(answer), f"a 100 KB header → 4xx or the connection closed ({answer.status})",
          answer.describe())
    answer = Client(port).get("/api/v1/procedures?q=" + "a" * 100000)
    check(answer.status is None or is_4xx(answer), f"a 100 KB URL → 4xx or the connection closed ({answer.status})",
          answer.describe())
    check(count_accounts() == before, "the refused form created no account")


def deep_json(sync, port):
    section("deeply nested JSON")
    deep = b"[" * 100000 + b"]" * 100000
    json_error(sync.post(b'{"items":' + deep + b"}"), 400, "items", "sync: 100,000 nested arrays")
    code = sync.code()
    nested = b'{"a":' * 50000 + b"1" + b"}" * 50000
    answer = sync.post(b'{"items":[{"dossier_code":"' + code.encode() + b'","applicant":' + nested + b"}]}")
    check(answer.status in (200, 400) and not sync.exists(code),
          f"sync: an item with 50,000 nested objects → 400 or rejected, nothing stored ({answer.status})",
          answer.describe())
    # Within each endpoint's body limit (4 KB and 64 KB).
    json_error(sync.post(b'{"cursor":' + b"[" * 2000 + b"]" * 2000 + b"}", path="/api/v1/sync/inbox/ack"), 400,
               "cursor", "inbox ack: 2,000 nested arrays")
    json_error(sync.post(b'{"url":' + b"[" * 30000 + b"]" * 30000 + b"}", path="/api/v1/sync/webhooks"), 400, "body",
               "webhooks: 30,000 nested arrays")
    answer = Client(port).request("POST", "/api/v1/sync/dvcqg", deep, {"Content-Type": "application/json"})
    check(answer.status == 200 and (answer.json() or {}).get("error_code") not in (None, 0),
          f"national-portal connector: nested arrays → its in-band error ({answer.status})", answer.describe())
    check(Portal.alive(PORTAL), "the server is still up after the nested bodies")


def invalid_utf8(sync, citizen, ref, token, port):
    section("invalid UTF-8")
    code = sync.code()
    body = json.dumps({"items": [sync.item(code)]}).encode().replace(b"Nguy", b"\xff\xfe\xc3(")
    json_error(sync.post(body), 400, "items", "sync: invalid UTF-8 inside a string")
    check(not sync.exists(code), "and the batch wrote nothing")
    json_error(sync.post({"items": []}, headers={"Idempotency-Key": b"\xff\xfe-key"}), 400, "Idempotency-Key",
               "sync: an Idempotency-Key that is not ASCII")
    before = count_accounts()
    page = Client(port)
    token_page = csrf_of(page.get("/dang-ky").body)
    fields = ("account_type=citizen&personal_id=001090700001&full_name=%FF%FE%C3%28&birth_date=1990-03-27&sex=male"
              "&phone=0912345678&email=utf8a%40example.vn&province_code=01&password=" + urllib.parse.quote(PASSWORD)
              + "&password_confirm=" + urllib.parse.quote(PASSWORD) + "&csrf_token=" + token_page)
    answer = page.request("POST", "/dang-ky", fields.encode(), {"Content-Type": "application/x-www-form-urlencoded"})
    check(answer.status in (400, 422) and names_field(answer.body, "full_name"),
          f"registration with a percent-encoded name that is not UTF-8 → 400/422 naming full_name ({answer.status})",
          answer.describe())
    page = Client(port)
    token_page = csrf_of(page.get("/dang-ky").body)
    raw = ("account_type=citizen&personal_id=001090700002&full_name=\x00&birth_date=1990-03-27&sex=male"
           "&phone=0912345678&email=utf8b%40example.vn&province_code=01&password=" + urllib.parse.quote(PASSWORD)
           + "&password_confirm=" + urllib.parse.quote(PASSWORD) + "&csrf_token=" + token_page).encode()
    raw = raw.replace(b"full_name=\x00", b"full_name=\xff\xfe\xc3(An")
    answer = page.request("POST", "/dang-ky", raw, {"Content-Type": "application/x-www-form-urlencoded"})
    check(answer.status in (400, 422) and names_field(answer.body, "full_name"),
          f"registration with raw bytes that are not UTF-8 → 400/422 naming full_name ({answer.status})",
          answer.describe())
    check(count_accounts() == before, "neither registration created an account",
          {"before": before, "after": count_accounts()})
    answer = citizen.request("POST", f"/ho-so/{ref}/luu",
                             b"request_details=%FF%FEabc&next=review&csrf_token=" + token.encode(),
                             {"Content-Type": "application/x-www-form-urlencoded"})
    check(answer.status in (400, 422), f"dossier details that are not UTF-8 → 400/422 ({answer.status})",
          answer.describe())
    answer = Client(port).get("/api/v1/procedures?q=%FF%FE")
    check(answer.status in (200, 400), f"search for bytes that are not UTF-8 → 200 or 400, no error ({answer.status})",
          answer.describe())
    answer = Client(port).get("/api/v1/procedures/%FF%FE")
    json_error(answer, 404, None, "a procedure code that is not UTF-8")
    answer = citizen.upload(f"/ho-so/{ref}/tep", {"csrf_token": token, "slot": "0"}, b"t\xff\xfe.pdf", PDF)
    check(is_4xx(answer) or answer.status == 303, f"a file name that is not UTF-8 → 4xx or stored ({answer.status})",
          answer.describe())


def overlong_fields(sync, citizen, ref, token, port):
    section("overlong fields")
    cases = [("applicant.name", {"applicant": {"type": 1, "id": "001090001234", "name": "A" * 201}}),
             ("applicant.id", {"applicant": {"type": 1, "id": "1" * 21, "name": "A"}}),
             ("event_id", {"event_id": "e" * 101}), ("note", {"note": "n" * 100001}),
             ("procedure_code", {"procedure_code": "1" * 61}), ("agency", {"agency": "A" * 41})]
    codes = [sync.code() for _ in cases]
    answer = sync.post({"items": [sync.item(code, **changes) for code, (_, changes) in zip(codes, cases)]})
    results = (answer.json() or {}).get("results", [])
    for (field, _), code, result in zip(cases, codes, results + [{}] * len(cases)):
        got = (result.get("outcome"), (result.get("error") or {}).get("field"))
        check(got == ("rejected", field) and not sync.exists(code),
              f"sync: an overlong {field} is rejected naming it ({got[1]})", result)
    long_code = AGENCY + "-250702-" + "1" * 60
    answer = sync.post({"items": [sync.item(long_code)]})
    result = ((answer.json() or {}).get("results") or [{}])[0]
    check(result.get("outcome") == "rejected" and (result.get("error") or {}).get("field") == "dossier_code",
          "sync: an overlong dossier_code is rejected naming it", result)
    code = sync.code()
    answer = sync.post({"items": [sync.item(code, note="n" * 5000)]})
    check(answer.status == 200 and (answer.json() or {}).get("accepted") == 1 and sync.exists(code),
          "sync: a 5,000-character note is accepted (the contract cuts it to 2,000)", answer.describe())
    json_error(sync.post({"items": []}, headers={"Idempotency-Key": "k" * 201}), 400, "Idempotency-Key",
               "sync: a 201-character Idempotency-Key")
    json_error(sync.post({"url": "https://motcua.example.vn/" + "a" * 600, "events": ["dossier.submitted"]},
                         path="/api/v1/sync/webhooks"), 422, "url", "webhooks: a 626-character url")
    before = count_accounts()
    answer = register(Client(port), 700010, full_name="Nguyễn " * 2000)
    check(answer.status == 422 and "full_name" in form_errors(answer.body),
          f"registration with a 14,000-character name → 422 naming full_name ({answer.status})", answer.describe())
    answer = register(Client(port), 700011, email="a" * 300 + "@example.vn")
    check(answer.status == 422 and "email" in form_errors(answer.body),
          f"registration with a 311-character e-mail → 422 naming email ({answer.status})", answer.describe())
    check(count_accounts() == before, "neither created an account")
    answer = citizen.form(f"/ho-so/{ref}/luu", {"request_details": "chi tiết " * 6000, "next": "review",
                                                "csrf_token": token})
    check(answer.status in (413, 422), f"54,000 characters of dossier details → 413/422 ({answer.status})",
          answer.describe())
    answer = citizen.upload(f"/ho-so/{ref}/tep", {"csrf_token": token, "slot": "0"}, "t" * 1000 + ".pdf", PDF)
    check(answer.status == 422 and "file" in form_errors(answer.body),
          f"a 1,004-character file name → 422 naming the file field ({answer.status})", answer.describe())
    answer = Client(port).get("/api/v1/procedures?q=" + urllib.parse.quote("dang ky " * 2000))
    check(answer.status in (200, 400), f"a 16,000-character search → 200 (cut to 200) or 400 ({answer.status})",
          answer.describe())


def injection(sync, citizen, token, port, officer, admin):
    section("SQL and HTML injection")
    page = citizen.get("/tai-khoan")
    check(b"&lt;script&gt;" in page.body and b"<script>alert" not in page.body,
          "the account page shows the injected name escaped")
    # A second dossier, with HTML and SQL in its details and a file named with HTML, submitted to the agency.
    answer = citizen.form("/ho-so", {"procedure_code": "1.001193", "agency_code": AGENCY, "csrf_token": token})
    ref = answer.headers.get("location", "").rsplit("/", 1)[-1]
    answer = citizen.upload(f"/ho-so/{ref}/tep", {"csrf_token": token, "slot": "0"}, "<img src=x onerror=alert(1)>.pdf",
                            PDF + b"%x")
    check(answer.status in (303, 422), f"a file named with HTML is stored or refused ({answer.status})",
          answer.describe())
    if answer.status != 303:
        citizen.upload(f"/ho-so/{ref}/tep", {"csrf_token": token, "slot": "0"}, "to-khai.pdf", PDF + b"%y")
    citizen.form(f"/ho-so/{ref}/luu", {"request_details": XSS + SQL, "next": "review", "csrf_token": token})
    for path in [f"/ho-so/{ref}/xem-lai", f"/ho-so/{ref}"]:
        page = citizen.get(path)
        check(page.status == 200 and b"&lt;script&gt;" in page.body and b"<script>alert" not in page.body
              and b"<img src=x" not in page.body, f"GET {path}: the details and the file name are escaped",
              page.describe())
    answer = citizen.form(f"/ho-so/{ref}/nop", {"csrf_token": token})
    check(answer.status == 303, f"the dossier is submitted ({answer.status})", answer.describe())
    if officer:
        inbox = officer.get("/can-bo")
        check(inbox.status == 200 and b"<script>alert" not in inbox.body and b"&lt;script&gt;" in inbox.body,
              "the officer's inbox shows the applicant's name escaped", inbox.describe())
        page = officer.get(f"/can-bo/ho-so/{ref}")
        check(page.status == 200 and b"<script>alert" not in page.body and b"<img src=x" not in page.body
              and b"&lt;script&gt;" in page.body, "the officer's dossier page shows name, details and file escaped",
              page.describe())
        check(page.headers.get("cache-control") == "no-store", "the officer's dossier page is no-store")
    code = sync.code()
    answer = sync.post({"items": [sync.item(code, applicant={"type": 1, "id": "001090001234", "name": XSS + SQL},
                                            note=XSS + SQL)]})
    check(answer.status == 200 and (answer.json() or {}).get("accepted") == 1,
          "a sync item with HTML and SQL in its name and note is stored as text", answer.describe())
    check(sync.exists(code), "the dossiers table is still there (the status lookup finds the dossier)")
    if admin:
        page = admin.get("/quan-tri/ho-so?code=" + urllib.parse.quote(code))
        check(page.status == 200 and b"<script>alert" not in page.body and b"<img src=x" not in page.body
              and page.body.count(b"&lt;script&gt;") >= 2,
              "the administrator's view of the synced dossier shows name and note escaped", page.describe())
    for q in ["' OR 1=1 --", "%' UNION SELECT password_hash, email FROM accounts --", "\\'; DROP TABLE procedures; --"]:
        answer = Client(port).get("/api/v1/procedures?q=" + urllib.parse.quote(q))
        check(answer.status == 200 and b"$2" not in answer.body and b"@example" not in answer.body,
              f"search for {q!r} is a plain search ({answer.status})", answer.describe())
    answer = Client(port).get("/api/v1/procedures/" + urllib.parse.quote("1.001193' OR '1'='1"))
    json_error(answer, 404, None, "a procedure code with SQL")
    answer = Client(port).get("/api/v1/stats/procedures?agency=" + urllib.parse.quote("x' OR '1'='1"))
    json_error(answer, 400, "agency", "a statistics agency with SQL")
    page = Client(port).get("/thu-tuc?q=" + urllib.parse.quote(XSS))
    check(page.status == 200 and b"<script>alert" not in page.body and b"&lt;script&gt;" in page.body,
          "the search page shows the query escaped", page.describe())
    page = Client(port).get("/tra-cuu?code=" + urllib.parse.quote(XSS))
    check(page.status == 400 and b"<script>alert" not in page.body, f"the lookup page refuses HTML as a code "
          f"({page.status}) without echoing it raw", page.describe())
    check(Client(port).get("/api/v1/procedures/1.001193").status == 200, "the catalogue is intact")


def path_traversal(citizen, ref, token, port):
    section("path traversal")
    before = files_outside_store()
    for name in ["../../etc/passwd", "../../../../tmp/evil.pdf", "..\\..\\evil.pdf", "/etc/passwd.pdf",
                 "%2e%2e%2f%2e%2e%2fevil.pdf", "a.pdf\x00.png", "./../x.pdf"]:
        answer = citizen.upload(f"/ho-so/{ref}/tep", {"csrf_token": token, "slot": "0"}, name, PDF + os.urandom(4))
        listed = re.findall(rb'href="/ho-so/[0-9a-f]+/tep/[^"]*"[^>]*>([^<]*)<', citizen.get(f"/ho-so/{ref}").body)
        unsafe = [n for n in listed if b"/" in n or b"\\" in n or b"\x00" in n]
        refused = answer.status == 422 and "file" in form_errors(answer.body)
        check((refused or answer.status == 303) and not unsafe,
              f"upload named {name!r}: refused naming the file field, or stored without a path ({answer.status})",
              {"answer": answer.describe(), "listed": [n.decode(errors='replace') for n in listed]})
    check(files_outside_store() == before, "no file was written outside the attachment store",
          sorted(files_outside_store() - before))
    check(not os.path.exists("/tmp/evil.pdf") and not os.path.exists(os.path.join(WORK, "evil.pdf")),
          "nothing named evil.pdf anywhere it was aimed at")
    for path in [f"/ho-so/{ref}/tep/..%2F..%2Fopendvc.sqlite", f"/ho-so/{ref}/tep/../../../data/opendvc.sqlite",
                 "/static/../../../../etc/passwd", "/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
                 "/static/..%2f..%2f..%2fetc%2fpasswd", "/static/....//....//etc/passwd"]:
        answer = citizen.get(path)
        check(answer.status in (400, 404) and b"root:" not in answer.body and b"SQLite format" not in answer.body,
              f"GET {path} → 400/404 ({answer.status})", answer.describe())
    check(Client(port).get("/static/site.css").status == 200, "the stylesheet is still served")


def wrong_methods(port):
    section("wrong methods (405 with Allow)")
    client = Client(port)
    for method, path, allowed, is_api in [
            ("PUT", "/api/v1/sync/dossiers", "POST", True), ("DELETE", "/api/v1/procedures", "GET", True),
            ("POST", "/api/v1/procedures/1.001193", "GET", True), ("PATCH", "/healthz", "GET", False),
            ("POST", "/thu-tuc", "GET", False), ("GET", "/dang-xuat", "POST", False), ("TRACE", "/", "GET", False),
            ("DELETE", "/api/v1/units/provinces", "GET", True), ("PUT", "/api/v1/sync/webhooks", "GET", True)]:
        answer = client.request(method, path, b"" if method in ("POST", "PUT", "PATCH") else None)
        allow = answer.headers.get("allow", "")
        good = answer.status == 405 and allowed in [m.strip() for m in allow.split(",")]
        if is_api:
            good = good and answer.error is not None
        check(good, f"{method} {path} → 405 with Allow: {allowed} ({answer.status}, Allow: {allow or '-'})",
              answer.describe())
    for path in ["/", "/healthz", "/thu-tuc/1.001193"]:
        answer = client.request("HEAD", path)
        check(answer.status == 200 and answer.body == b"", f"HEAD {path} answers like GET without a body "
              f"({answer.status})", answer.describe())


def unknown_routes(port):
    section("unknown routes")
    client = Client(port)
    for path in ["/api/v1/nothing", "/api/v2/procedures", "/api/v1/procedures/1.001193/extra", "/api/"]:
        json_error(client.get(path), 404, None, f"GET {path}")
    for path in ["/nothing", "/thu-tuc/1.001193/khong-co", "/ho-so-khong-co"]:
        answer = client.get(path)
        check(answer.status == 404 and "text/html" in answer.headers.get("content-type", "")
              and b"<html" in answer.body, f"GET {path} → an HTML 404 page ({answer.status})", answer.describe())


def security_headers():
    section(f"headers of all {len(responses)} answers")
    problems = {}

    def note(what, answer):
        problems.setdefault(what, []).append(f"{answer.method} {answer.path[:80]} {answer.status}")

    for answer in responses:
        if answer.status is None:
            continue
        if answer.status >= 500:
            note("a 5xx answer", answer)
        # The HTTP parser's own refusal of a malformed request (an empty 400 before any routing) has no headers.
        if answer.status == 400 and answer.body == b"" and answer.headers.get("connection") == "close":
            continue
        csp = answer.headers.get("content-security-policy", "")
        directives = {d.strip().split(" ")[0]: d.strip() for d in csp.split(";") if d.strip()}
        script = directives.get("script-src", directives.get("default-src", ""))
        if not script or "'unsafe-inline'" in script or "'unsafe-eval'" in script:
            note("CSP script-src without 'unsafe-inline'", answer)
        if "frame-ancestors" not in directives:
            note("CSP frame-ancestors", answer)
        if answer.headers.get("x-content-type-options", "").lower() != "nosniff":
            note("X-Content-Type-Options: nosniff", answer)
        if not answer.headers.get("referrer-policy"):
            note("Referrer-Policy", answer)
        server = answer.headers.get("server")
        if server is not None and re.search(r"[0-9/]", server):
            note("no Server header with a version", answer)
    for what in ["a 5xx answer", "CSP script-src without 'unsafe-inline'", "CSP frame-ancestors",
                 "X-Content-Type-Options: nosniff", "Referrer-Policy", "no Server header with a version"]:
        where = problems.get(what, [])
        label = "no answer was a 5xx" if what == "a 5xx answer" else f"every answer has {what}"
        check(not where, f"{label}" + (f" ({len(where)} do not)" if where else ""), where[:10])


def count_accounts():
    connection = sqlite3.connect(os.path.join(DATA, "opendvc.sqlite"), timeout=10)
    try:
        return connection.execute("SELECT COUNT(*) FROM accounts").fetchone()[0]
    finally:
        connection.close()


def files_outside_store():
    """Every file under the work directory but the attachment store, the database, the outbox and the logs."""
    found = set()
    for root, _, files in os.walk(WORK):
        for name in files:
            path = os.path.join(root, name)
            relative = os.path.relpath(path, WORK)
            if relative.startswith(("data/attachments/sha256/", "data/outbox/")) or "opendvc.sqlite" in name \
                    or name.endswith((".log", ".json")):
                continue
            found.add(relative)
    return found


def staff_session(portal, role, email, *arguments):
    """An officer or administrator created on the command line, signed in, enrolled in two-factor."""
    password = "mật khẩu cán bộ dài"
    code, out = portal.command(f"create-{role}", "--email", email, "--password", password, *arguments)
    if not check(code == 0, f"an {role} account is created", out):
        return None
    staff = Client(portal.port)
    page = staff.get("/dang-nhap").body
    staff.form("/dang-nhap", {"login": email, "password": password, "csrf_token": csrf_of(page)})
    page = staff.get("/xac-thuc-hai-buoc").body
    secret = re.search(rb'<code class="secret">([^<]*)', page)
    if not check(secret is not None, f"the {role} is asked to enrol in two-factor"):
        return None
    answer = staff.form("/xac-thuc-hai-buoc", {"code": totp(secret.group(1).decode().replace(" ", "")),
                                               "csrf_token": csrf_of(page)})
    return staff if check(b"recovery-codes" in answer.body, f"the {role} enrols") else None


PORTAL = None


def main():
    global PORTAL
    started = time.time()
    print(f"bad input: work directory {WORK}", flush=True)
    PORTAL = Portal()
    port = PORTAL.port
    try:
        code, out = PORTAL.command("agency", "add-client", "--agency", AGENCY, "--name", "badinput")
        token = out.strip().splitlines()[-1]
        check(code == 0 and re.fullmatch(r"[0-9a-f]{64}", token), "an agency client is created", out)
        sync = Sync(PORTAL, token)
        citizen = Client(port)
        answer = register(citizen, 700100, full_name=XSS + SQL)
        check(answer.status == 303, f"a citizen registers with HTML and SQL in the name ({answer.status})")
        page = citizen.get("/tai-khoan")
        csrf = csrf_of(page.body)
        answer = citizen.form("/ho-so", {"procedure_code": "1.001193", "agency_code": AGENCY, "csrf_token": csrf})
        ref = answer.headers.get("location", "").rsplit("/", 1)[-1]
        check(answer.status == 303 and len(ref) == 32, "the citizen starts a draft")
        officer = staff_session(PORTAL, "officer", "canbo@example.gov.vn", "--name", "Trần Thị Bình", "--agency", AGENCY)
        admin = staff_session(PORTAL, "admin", "quantri@example.gov.vn")

        malformed_json(sync)
        wrong_content_types(sync, citizen, ref, csrf, port)
        huge_bodies(sync, citizen, ref, csrf, port)
        deep_json(sync, port)
        invalid_utf8(sync, citizen, ref, csrf, port)
        overlong_fields(sync, citizen, ref, csrf, port)
        injection(sync, citizen, csrf, port, officer, admin)
        path_traversal(citizen, ref, csrf, port)
        wrong_methods(port)
        unknown_routes(port)

        section("personal pages are not cached")
        citizen.upload(f"/ho-so/{ref}/tep", {"csrf_token": csrf, "slot": "0"}, "to-khai.pdf", PDF)
        citizen.form(f"/ho-so/{ref}/luu", {"request_details": "Khai sinh cho con", "next": "review", "csrf_token": csrf})
        answer = citizen.form(f"/ho-so/{ref}/nop", {"csrf_token": csrf})
        check(answer.status == 303, f"the citizen submits the dossier ({answer.status})", answer.describe())
        for path in ["/tai-khoan", "/ho-so", f"/ho-so/{ref}", f"/ho-so/{ref}/bien-nhan"]:
            answer = citizen.get(path)
            check(answer.status == 200 and answer.headers.get("cache-control") == "no-store",
                  f"GET {path}: Cache-Control: no-store ({answer.status}, {answer.headers.get('cache-control')})")
        check(can_sign_in(port, "badinput700100@example.vn"), "the citizen can still sign in")

        security_headers()
        section("afterwards")
        check(PORTAL.alive(), "the server is up")
        with open(os.path.join(WORK, "server.log"), errors="replace") as log:
            unexpected = [line.strip() for line in log if "unexpected error" in line]
        check(not unexpected, "no unexpected error in the server log", unexpected[:5])
        code = PORTAL.stop()
        check(code == 0, f"the server exits 0 on SIGTERM ({code})")
        connection = sqlite3.connect(os.path.join(DATA, "opendvc.sqlite"))
        check(connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok", "SQLite integrity_check")
        connection.close()
    finally:
        if PORTAL.process is not None:
            PORTAL.process.kill()
            PORTAL.process.wait()
    print(f"   ({time.time() - started:.0f} s)")
    print(f"{passed} passed, {failed} failed")
    if failed:
        with open(os.path.join(WORK, "failures.json"), "w") as out:
            json.dump({"binary": BIN, "failures": report}, out, indent=2, ensure_ascii=False, default=str)
        keep = os.environ.get("OPENDVC_E2E_ARTIFACTS")
        target = os.path.join(keep, "badinput") if keep else WORK
        if keep:
            shutil.copytree(WORK, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns("attachments"))
        print(f"--- server log and failures.json kept in {target}")
        sys.exit(1)
    shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
