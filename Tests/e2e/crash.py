#!/usr/bin/env python3
"""Crash safety of the real binary: a kill at any moment loses no acknowledged write and leaves nothing half-written.

Several rounds on one data directory: agency systems push sync batches (each with its own event ids and an
Idempotency-Key) while citizens register, create drafts, upload files and submit dossiers; the server is killed with
SIGKILL at a random moment and started again on the same data. Then:
  - every write answered 2xx is there: synced dossiers with their applied events in the public timeline, accounts
    (their session still valid), drafts, uploaded files, submitted dossiers with their codes;
  - a batch that got no answer is all there or not there at all, and sending it again with its Idempotency-Key
    completes it;
  - the database is consistent (SQLite: PRAGMA integrity_check and foreign_key_check on the file after the kill;
    both engines: no dossier without its events, every status the latest applied event's, counters equal to the
    rows they count, no portal code beyond its day's sequence, every stored file's blob on disk);
  - the access log's hash chain verifies (`opendvc audit verify`).
With OPENDVC_E2E_POSTGRES_URL set, the same rounds run on a fresh PostgreSQL database as well.

Usage: crash.py /path/to/opendvc
  OPENDVC_E2E_CRASH_ROUNDS=N   rounds per engine (default 5)
  OPENDVC_E2E_CRASH_SEED=N     replay the kill moments of a run (the seed is printed)
  OPENDVC_E2E_POSTGRES_URL     postgres://user@host:port/db of a server where a database may be created
  OPENDVC_E2E_ARTIFACTS=DIR    where server logs and the failure report are kept (else a printed temp dir)
"""
import hashlib
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid

if len(sys.argv) != 2:
    sys.exit(__doc__)
BIN = os.path.abspath(sys.argv[1])
ROUNDS = int(os.environ.get("OPENDVC_E2E_CRASH_ROUNDS", "5"))
SEED = int(os.environ.get("OPENDVC_E2E_CRASH_SEED", str(random.randrange(1 << 30))))
PG_URL = os.environ.get("OPENDVC_E2E_POSTGRES_URL", "")
WORK = tempfile.mkdtemp(prefix="opendvc-e2e-crash.")
AGENCY = "000.00.61.H29"
PASSWORD = "trâu ơi ta bảo trâu này"
PDF = b"%PDF-1.4\n% to khai\n%%EOF\n"
rng = random.Random(SEED)
passed = failed = 0
report = []  # what failed, with enough to reproduce it


def ok(what):
    global passed
    passed += 1
    print(f"  ok   {what}", flush=True)


def bad(what, detail=None):
    global failed
    failed += 1
    print(f"  FAIL {what}", flush=True)
    report.append({"check": what, "detail": detail})


def check(condition, what, detail=None):
    if condition:
        ok(what)
    else:
        bad(what, detail)
    return condition


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# MARK: HTTP


class Client:
    """One visitor: a cookie jar and one connection per request (a killed server cannot leave it half-open)."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def request(self, method, path, body=None, headers=None, timeout=30):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    value = rest.split(";")[0]
                    if value:
                        self.cookies[key] = value
                    else:
                        self.cookies.pop(key, None)
            return response.status, {k.lower(): v for k, v in response.getheaders()}, data
        finally:
            conn.close()

    def form(self, path, fields):
        body = urllib.parse.urlencode(fields).encode()
        return self.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})

    def upload(self, path, fields, filename, content, content_type="application/pdf"):
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in fields.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n".encode() + content + b"\r\n")
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request("POST", path, b"".join(parts), {"Content-Type": f"multipart/form-data; boundary={boundary}"})


def csrf_of(page):
    match = re.search(rb'name="csrf_token" value="([0-9a-f]+)"', page)
    return match.group(1).decode() if match else None


# MARK: The server


class Server:
    def __init__(self, name, data_dir, db_url=None):
        self.name, self.data_dir, self.db_url = name, data_dir, db_url
        self.log_path = os.path.join(WORK, f"{name}.log")
        self.process = None
        self.port = None
        self.starts = 0

    @property
    def storage(self):
        return ["--data-dir", self.data_dir] + (["--db-url", self.db_url] if self.db_url else [])

    def start(self):
        self.starts += 1
        self.port = free_port()
        env = dict(os.environ, OPENDVC_BCRYPT_COST="4", OPENDVC_LOOKUP_PER_MINUTE="1000000")
        with open(self.log_path, "a") as log:
            log.write(f"\n===== start {self.starts} on port {self.port}\n")
            log.flush()
            self.process = subprocess.Popen(
                [BIN, "serve", "--port", str(self.port)] + self.storage, cwd=WORK, env=env, stdout=log,
                stderr=subprocess.STDOUT)
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                status, _, _ = Client(self.port).request("GET", "/readyz", timeout=2)
                if status == 200:
                    return True
            except OSError:
                pass
            time.sleep(0.05)
        return False

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self.process = None

    def terminate(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        self.process = None
        return code

    def command(self, *args):
        run = subprocess.run([BIN, *args] + self.storage, cwd=WORK, capture_output=True, text=True, timeout=60)
        return run.returncode, run.stdout + run.stderr


# MARK: Load


class Load:
    """Writers running against the server until it dies, recording what was acknowledged and what got no answer."""

    def __init__(self, port, token, round_number, counters):
        self.port, self.token, self.round = port, token, round_number
        self.counters = counters  # shared across rounds: unique dossier numbers and people
        self.lock = threading.Lock()
        self.killed = threading.Event()
        self.batches_answered, self.batches_unanswered = [], []
        self.citizens, self.drafts, self.uploads, self.submissions, self.unanswered_submissions = [], [], [], [], []
        self.errors = []  # answers that should not happen while the server is up

    def next(self, name):
        with self.lock:
            self.counters[name] += 1
            return self.counters[name]

    def unexpected(self, what, status, body):
        if not self.killed.is_set():
            with self.lock:
                self.errors.append(f"{what}: {status} {body[:300]!r}")

    def sync_worker(self, worker):
        client = Client(self.port)
        batch_number = 0
        while not self.killed.is_set():
            batch_number += 1
            items, codes = [], []
            for _ in range(10):
                sequence = self.next("dossier")
                code = f"{AGENCY}-250701-{sequence:04d}"
                codes.append(code)
                base = {
                    "dossier_code": code, "procedure_code": "1.001193", "agency": AGENCY,
                    "applicant": {"type": 1, "id": "001090001234", "name": "Nguyễn Văn An"}, "channel": 1,
                    "received_at": "2025-07-01T08:00:00+07:00", "due_at": "2025-07-10T17:00:00+07:00"}
                items.append({**base, "status": 2, "event_id": f"{code}/2", "event_at": "2025-07-01T08:00:00+07:00"})
                items.append({**base, "status": 4, "event_id": f"{code}/4", "event_at": "2025-07-01T09:00:00+07:00",
                              "note": f"round {self.round} worker {worker} batch {batch_number}"})
            body = json.dumps({"items": items}).encode()
            record = {"key": f"crash-{self.round}-{worker}-{batch_number}-{uuid.uuid4().hex[:8]}", "body": body,
                      "codes": codes}
            try:
                status, _, data = client.request(
                    "POST", "/api/v1/sync/dossiers", body,
                    {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json",
                     "Idempotency-Key": record["key"]})
            except (OSError, http.client.HTTPException):
                with self.lock:
                    self.batches_unanswered.append(record)
                return
            if status == 200:
                answer = json.loads(data)
                record["answer"] = answer
                if answer.get("accepted") != len(items):
                    self.unexpected("sync batch not fully applied", status, data)
                with self.lock:
                    self.batches_answered.append(record)
            else:
                self.unexpected("sync batch", status, data)
                return

    def citizen_worker(self, worker):
        number = self.next("citizen")
        client = Client(self.port)
        person = {"login": f"crash{number}@example.vn", "personal_id": f"001090{number:06d}", "client": client}
        try:
            status, _, page = client.request("GET", "/dang-ky")
            token = csrf_of(page)
            status, headers, data = client.form("/dang-ky", {
                "account_type": "citizen", "personal_id": person["personal_id"], "full_name": f"Công Dân {number}",
                "birth_date": "1990-03-27", "sex": "male", "phone": "0912345678", "email": person["login"],
                "province_code": "01", "password": PASSWORD, "password_confirm": PASSWORD, "csrf_token": token})
            if status != 303:
                return self.unexpected("registration", status, data)
            with self.lock:
                self.citizens.append(person)
            while not self.killed.is_set():
                status, _, page = client.request("GET", "/tai-khoan")
                token = csrf_of(page)
                if status != 200 or not token:
                    return self.unexpected("account page", status, page)
                status, headers, data = client.form(
                    "/ho-so", {"procedure_code": "1.001193", "agency_code": AGENCY, "csrf_token": token})
                if status != 303:
                    return self.unexpected("new draft", status, data)
                ref = headers["location"].rsplit("/", 1)[1]
                with self.lock:
                    self.drafts.append((person, ref))
                filename = f"to-khai-{self.next('file')}.pdf"
                status, _, data = client.upload(f"/ho-so/{ref}/tep", {"csrf_token": token, "slot": "0"}, filename, PDF)
                if status != 303:
                    return self.unexpected("upload", status, data)
                with self.lock:
                    self.uploads.append((person, ref, filename))
                status, _, data = client.form(f"/ho-so/{ref}/luu", {
                    "request_details": "Khai sinh cho con", "next": "review", "csrf_token": token})
                if status != 303:
                    return self.unexpected("save", status, data)
                try:
                    status, headers, data = client.form(f"/ho-so/{ref}/nop", {"csrf_token": token})
                except (OSError, http.client.HTTPException):
                    with self.lock:
                        self.unanswered_submissions.append((person, ref))
                    return
                if status != 303 or not headers.get("location", "").endswith("/bien-nhan"):
                    return self.unexpected("submission", status, data)
                with self.lock:
                    self.submissions.append((person, ref))
        except (OSError, http.client.HTTPException):
            return

    def run_until_killed(self, server, delay):
        threads = [threading.Thread(target=self.sync_worker, args=(w,)) for w in range(2)]
        threads += [threading.Thread(target=self.citizen_worker, args=(w,)) for w in range(2)]
        for thread in threads:
            thread.start()
        time.sleep(delay)
        self.killed.set()
        server.kill()
        for thread in threads:
            thread.join(timeout=60)


# MARK: Checks after a restart


def lookup(client, code):
    status, _, data = client.request("GET", f"/api/v1/dossiers/{urllib.parse.quote(code)}/status")
    return status, (json.loads(data) if status == 200 else data)


def check_batches(client, load, engine, round_number):
    missing = []
    for record in load.batches_answered:
        for code in record["codes"]:
            status, dossier = lookup(client, code)
            if status != 200 or [s["status"] for s in dossier["timeline"]] != [2, 4] or dossier["status"]["code"] != 4:
                missing.append({"code": code, "status": status, "answer": dossier if status == 200 else str(dossier),
                                "batch": record["body"].decode(), "idempotency_key": record["key"]})
    events = sum(2 * len(r["codes"]) for r in load.batches_answered)
    check(not missing, f"{engine} round {round_number}: {len(load.batches_answered)} acknowledged sync batches "
          f"({events} events) are all in the timelines", missing[:5])

    half, retry_failures, committed = [], [], 0
    for record in load.batches_unanswered:
        found = [lookup(client, code)[0] == 200 for code in record["codes"]]
        committed += all(found)
        if any(found) and not all(found):
            half.append({"codes": record["codes"], "found": found})
        status, _, data = client.request(
            "POST", "/api/v1/sync/dossiers", record["body"],
            {"Authorization": f"Bearer {load.token}", "Content-Type": "application/json",
             "Idempotency-Key": record["key"]})
        outcomes = {r["outcome"] for r in json.loads(data)["results"]} if status == 200 else {status}
        after = [lookup(client, code) for code in record["codes"]]
        if not outcomes <= {"applied", "duplicate"} or any(
                s != 200 or d["status"]["code"] != 4 for s, d in after):
            retry_failures.append({"key": record["key"], "status": status, "answer": data.decode(errors="replace")})
    check(not half, f"{engine} round {round_number}: {len(load.batches_unanswered)} unanswered batches are all or "
          f"nothing ({committed} committed)", half)
    check(not retry_failures, f"{engine} round {round_number}: resending the unanswered batches with their "
          "Idempotency-Key completes them", retry_failures[:3])


def check_citizens(port, load, engine, round_number):
    sessions_lost, sign_in_failed, drafts_lost, files_lost, submissions_lost, bad_unanswered = [], [], [], [], [], []
    for person in load.citizens:
        client = person["client"]
        client.port = port
        status, _, _ = client.request("GET", "/tai-khoan")
        if status != 200:
            sessions_lost.append(person["login"])
        fresh = Client(port)
        _, _, page = fresh.request("GET", "/dang-nhap")
        status, _, _ = fresh.form("/dang-nhap", {"login": person["login"], "password": PASSWORD,
                                                  "csrf_token": csrf_of(page)})
        if status != 303:
            sign_in_failed.append({"login": person["login"], "status": status})
    for person, ref in load.drafts:
        status, _, _ = person["client"].request("GET", f"/ho-so/{ref}")
        if status != 200:
            drafts_lost.append({"ref": ref, "status": status})
    for person, ref, filename in load.uploads:
        status, _, page = person["client"].request("GET", f"/ho-so/{ref}")
        if status != 200 or filename.encode() not in page:
            files_lost.append({"ref": ref, "file": filename, "status": status})
    public = Client(port)
    for person, ref in load.submissions:
        status, _, page = person["client"].request("GET", f"/ho-so/{ref}/bien-nhan")
        match = re.search(rb'class="dossier-code">([^<]*)', page)
        code = match.group(1).decode() if match else None
        found, dossier = lookup(public, code) if code else (None, None)
        if status != 200 or found != 200 or 1 not in [s["status"] for s in dossier["timeline"]]:
            submissions_lost.append({"ref": ref, "receipt": status, "code": code, "lookup": found})
    for person, ref in load.unanswered_submissions:
        status, _, page = person["client"].request("GET", f"/ho-so/{ref}/bien-nhan")
        match = re.search(rb'class="dossier-code">([^<]*)', page)
        if status == 200 and match:
            found, _ = lookup(public, match.group(1).decode())
            if found != 200:
                bad_unanswered.append({"ref": ref, "code": match.group(1).decode(), "lookup": found})
        elif status != 404:
            bad_unanswered.append({"ref": ref, "receipt": status})
    where = f"{engine} round {round_number}"
    check(not sessions_lost, f"{where}: {len(load.citizens)} registered citizens keep their sessions", sessions_lost)
    check(not sign_in_failed, f"{where}: and can sign in again", sign_in_failed)
    check(not drafts_lost, f"{where}: {len(load.drafts)} acknowledged drafts are there", drafts_lost)
    check(not files_lost, f"{where}: {len(load.uploads)} acknowledged uploads are listed", files_lost)
    check(not submissions_lost, f"{where}: {len(load.submissions)} acknowledged submissions have their code and "
          "status", submissions_lost)
    check(not bad_unanswered, f"{where}: {len(load.unanswered_submissions)} unanswered submissions are either "
          "submitted whole or still drafts", bad_unanswered)


# MARK: Consistency of the stored data

CONSISTENCY = [
    ("every dossier with a status has an applied event",
     "SELECT COUNT(*) FROM dossiers d WHERE d.status IS NOT NULL AND NOT EXISTS "
     "(SELECT 1 FROM dossier_events e WHERE e.dossier_id = d.id AND e.applied = 1)"),
    ("every dossier's status is its latest applied event's",
     "SELECT COUNT(*) FROM dossiers d WHERE d.status IS NOT NULL AND d.status <> (SELECT e.status FROM "
     "dossier_events e WHERE e.dossier_id = d.id AND e.applied = 1 ORDER BY e.at DESC, e.id DESC LIMIT 1)"),
    ("a dossier has a code exactly when it has a status",
     "SELECT COUNT(*) FROM dossiers WHERE (code IS NULL) <> (status IS NULL)"),
    ("every submitted portal dossier has its submission event and time",
     "SELECT COUNT(*) FROM dossiers d WHERE d.origin = 'portal' AND d.status IS NOT NULL AND (d.submitted_at IS NULL "
     "OR NOT EXISTS (SELECT 1 FROM dossier_events e WHERE e.dossier_id = d.id AND e.status = 1))"),
    ("no event, file or sync record without its dossier",
     "SELECT (SELECT COUNT(*) FROM dossier_events e WHERE NOT EXISTS (SELECT 1 FROM dossiers d WHERE d.id = e.dossier_id))"
     " + (SELECT COUNT(*) FROM dossier_files f WHERE NOT EXISTS (SELECT 1 FROM dossiers d WHERE d.id = f.dossier_id))"
     " + (SELECT COUNT(*) FROM sync_events s WHERE NOT EXISTS (SELECT 1 FROM dossiers d WHERE d.id = s.dossier_id))"),
    ("every recorded sync event is in a timeline",
     "SELECT (SELECT COUNT(*) FROM sync_events WHERE outcome IN ('applied', 'stale'))"
     " - (SELECT COUNT(*) FROM dossier_events WHERE source = 'agency_sync')"),
    ("the status_syncs counter equals the recorded sync events",
     "SELECT COALESCE((SELECT value FROM portal_counters WHERE name = 'status_syncs'), 0)"
     " - (SELECT COUNT(*) FROM sync_events WHERE outcome IN ('applied', 'stale'))"),
    ("the accounts counter equals the accounts",
     "SELECT COALESCE((SELECT value FROM portal_counters WHERE name = 'accounts'), 0) - (SELECT COUNT(*) FROM accounts)"),
    ("the dossiers_processed counter equals the finished dossiers",
     "SELECT COALESCE((SELECT value FROM portal_counters WHERE name = 'dossiers_processed'), 0)"
     " - (SELECT COUNT(*) FROM dossiers WHERE finished_at IS NOT NULL)"),
    ("no portal dossier code beyond its day's sequence",
     "SELECT COUNT(*) FROM dossiers d WHERE d.origin = 'portal' AND d.code IS NOT NULL AND NOT EXISTS "
     "(SELECT 1 FROM dossier_code_sequences s WHERE s.agency_code = substr(d.code, 1, 13) AND s.day = '20' || "
     "substr(d.code, 15, 2) || '-' || substr(d.code, 17, 2) || '-' || substr(d.code, 19, 2) AND "
     "s.last_sequence >= CAST(substr(d.code, 22) AS INTEGER))"),
]


class SQLiteQueries:
    def __init__(self, path):
        self.path = path

    def scalar(self, sql):
        connection = sqlite3.connect(self.path, timeout=10)
        try:
            return connection.execute(sql).fetchone()[0]
        finally:
            connection.close()

    def column(self, sql):
        connection = sqlite3.connect(self.path, timeout=10)
        try:
            return [row[0] for row in connection.execute(sql).fetchall()]
        finally:
            connection.close()


class PostgresQueries:
    def __init__(self, url):
        self.url = url

    def column(self, sql):
        run = subprocess.run(["psql", "-X", "-At", "-v", "ON_ERROR_STOP=1", self.url, "-c", sql],
                             capture_output=True, text=True, timeout=60)
        if run.returncode != 0:
            raise RuntimeError(run.stderr.strip())
        return [line for line in run.stdout.splitlines() if line]

    def scalar(self, sql):
        value = self.column(sql)[0]
        return int(value) if re.fullmatch(r"-?\d+", value) else value


def check_stored(queries, data_dir, where):
    problems = {}
    for what, sql in CONSISTENCY:
        try:
            value = queries.scalar(sql)
        except Exception as error:  # a query that fails is a finding too
            value = f"query failed: {error}"
        if value != 0:
            problems[what] = value
    check(not problems, f"{where}: the stored data is consistent ({len(CONSISTENCY)} rules)", problems)
    missing = []
    for digest in set(queries.column("SELECT sha256 FROM dossier_files")):
        path = os.path.join(data_dir, "attachments", "sha256", digest[:2], digest[2:4], digest)
        try:
            with open(path, "rb") as blob:
                if hashlib.sha256(blob.read()).hexdigest() != digest:
                    missing.append({"sha256": digest, "problem": "content differs"})
        except OSError:
            missing.append({"sha256": digest, "problem": "no blob"})
    check(not missing, f"{where}: every stored file's blob is on disk and whole", missing)


# MARK: Rounds


def run_engine(engine, server, queries, sqlite_path=None):
    print(f"== {engine}: {ROUNDS} rounds of load and SIGKILL", flush=True)
    code, out = server.command("agency", "add-client", "--agency", AGENCY, "--name", f"crash-{engine}")
    token = out.strip().splitlines()[-1] if out.strip() else ""
    if not check(code == 0 and re.fullmatch(r"[0-9a-f]{64}", token), f"{engine}: an agency client is created", out):
        return
    if not check(server.start(), f"{engine}: the server starts"):
        return
    counters = {"dossier": 0, "citizen": 0, "file": 0}
    everything = []
    for round_number in range(1, ROUNDS + 1):
        load = Load(server.port, token, round_number, counters)
        delay = rng.uniform(0.4, 3.0)
        load.run_until_killed(server, delay)
        print(f"   round {round_number}: killed after {delay:.2f} s: {len(load.batches_answered)} batches answered, "
              f"{len(load.batches_unanswered)} not; {len(load.citizens)} citizens, {len(load.submissions)} "
              f"submissions answered, {len(load.unanswered_submissions)} not", flush=True)
        check(not load.errors, f"{engine} round {round_number}: no error answers before the kill", load.errors[:5])
        if sqlite_path:
            integrity = queries.scalar("PRAGMA integrity_check")
            check(integrity == "ok", f"{engine} round {round_number}: PRAGMA integrity_check after the kill",
                  integrity)
            foreign = queries.column("PRAGMA foreign_key_check")
            check(not foreign, f"{engine} round {round_number}: PRAGMA foreign_key_check after the kill", foreign)
        check_stored(queries, server.data_dir, f"{engine} round {round_number}, after the kill")
        if not check(server.start(), f"{engine} round {round_number}: the server starts again on the same data"):
            return
        client = Client(server.port)
        check_batches(client, load, engine, round_number)
        check_citizens(server.port, load, engine, round_number)
        everything.append(load)
    # At the end, every acknowledged write of every round once more.
    client = Client(server.port)
    gone = [code for load in everything for record in load.batches_answered for code in record["codes"]
            if lookup(client, code)[0] != 200]
    check(not gone, f"{engine}: after {ROUNDS} kills every acknowledged synced dossier is still there", gone[:10])
    code = server.terminate()
    check(code == 0, f"{engine}: the server exits 0 on SIGTERM at the end ({code})")
    if sqlite_path:
        check(queries.scalar("PRAGMA integrity_check") == "ok", f"{engine}: PRAGMA integrity_check at the end")
    check_stored(queries, server.data_dir, f"{engine} at the end")
    code, out = server.command("audit", "verify")
    check(code == 0 and "Access log intact" in out, f"{engine}: opendvc audit verify finds the access log intact",
          out)


def main():
    started = time.time()
    print(f"crash safety: seed {SEED}, work directory {WORK}", flush=True)
    servers = []
    try:
        data = os.path.join(WORK, "sqlite-data")
        server = Server("sqlite", data)
        servers.append(server)
        path = os.path.join(data, "opendvc.sqlite")
        run_engine("sqlite", server, SQLiteQueries(path), sqlite_path=path)
        if PG_URL:
            database = f"opendvc_e2e_crash_{os.getpid()}"
            admin = PostgresQueries(PG_URL)
            admin.column(f"DROP DATABASE IF EXISTS {database}")
            admin.column(f"CREATE DATABASE {database}")
            url = PG_URL.rsplit("/", 1)[0] + "/" + database
            try:
                server = Server("postgres", os.path.join(WORK, "pg-data"), url)
                servers.append(server)
                run_engine("postgres", server, PostgresQueries(url))
            finally:
                for s in servers:
                    if s.process:
                        s.kill()
                admin.column(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
    finally:
        for s in servers:
            if s.process:
                s.kill()
    print(f"   ({time.time() - started:.0f} s)")
    print(f"{passed} passed, {failed} failed")
    if failed:
        with open(os.path.join(WORK, "failures.json"), "w") as out:
            json.dump({"seed": SEED, "binary": BIN, "failures": report}, out, indent=2, ensure_ascii=False)
        keep = os.environ.get("OPENDVC_E2E_ARTIFACTS")
        if keep:
            target = os.path.join(keep, "crash")
            shutil.copytree(WORK, target, dirs_exist_ok=True)
            print(f"--- logs and failures.json kept in {target} (replay with OPENDVC_E2E_CRASH_SEED={SEED})")
        else:
            print(f"--- logs and failures.json kept in {WORK} (replay with OPENDVC_E2E_CRASH_SEED={SEED})")
        sys.exit(1)
    shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
