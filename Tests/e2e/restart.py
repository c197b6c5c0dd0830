#!/usr/bin/env python3
"""Graceful restart of the real binary under load: concurrent page views, API reads and sync batches run while the
server gets SIGTERM. Every request sent before the signal gets its whole answer, no answer is a 5xx, the server
exits 0, and every acknowledged sync batch is stored. A connection refused or closed without an answer is accepted
only for a request started after the signal (the listener closes); those are counted apart.

With OPENDVC_E2E_POSTGRES_URL set, a second server on the same PostgreSQL database (started before the SIGTERM, on
another port, under its own load) keeps answering every request while the first shuts down, shows the dossiers
synced through the first, and takes new writes.

Usage: restart.py /path/to/opendvc
  OPENDVC_E2E_POSTGRES_URL     postgres://user@host:port/db of a server where a database may be created
  OPENDVC_E2E_ARTIFACTS=DIR    where the server logs and failures.json are kept on failure (else a printed temp dir)
"""
import http.client
import json
import os
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

if len(sys.argv) != 2:
    sys.exit(__doc__)
BIN = os.path.abspath(sys.argv[1])
PG_URL = os.environ.get("OPENDVC_E2E_POSTGRES_URL", "")
WORK = tempfile.mkdtemp(prefix="opendvc-e2e-restart.")
AGENCY = "000.00.61.H29"
passed = failed = 0
report = []


def ok(what):
    global passed
    passed += 1
    print(f"  ok   {what}", flush=True)


def bad(what, detail=None):
    global failed
    failed += 1
    print(f"  FAIL {what}", flush=True)
    if detail:
        print(f"       {json.dumps(detail, ensure_ascii=False, default=str)[:400]}", flush=True)
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


class Server:
    def __init__(self, name, data_dir, db_url=None, extra=()):
        self.name, self.data_dir, self.db_url, self.extra = name, data_dir, db_url, list(extra)
        self.log_path = os.path.join(WORK, f"{name}.log")
        self.process = None
        self.port = None

    @property
    def storage(self):
        return ["--data-dir", self.data_dir] + (["--db-url", self.db_url] if self.db_url else [])

    def start(self):
        self.port = free_port()
        env = dict(os.environ, OPENDVC_BCRYPT_COST="4", OPENDVC_LOOKUP_PER_MINUTE="1000000")
        with open(self.log_path, "a") as log:
            self.process = subprocess.Popen([BIN, "serve", "--port", str(self.port)] + self.storage + self.extra,
                                            cwd=WORK, env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.time() + 30
        while time.time() < deadline and self.process.poll() is None:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/readyz")
                if conn.getresponse().status == 200:
                    return True
            except OSError:
                pass
            time.sleep(0.05)
        return False

    def command(self, *args):
        run = subprocess.run([BIN, *args] + self.storage, cwd=WORK, capture_output=True, text=True, timeout=60)
        return run.returncode, run.stdout + run.stderr

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        self.process = None
        return code


def call(port, method, path, body=None, headers=None):
    """One request on its own connection, timed: (status, body, error, started, sent, ended)."""
    started = time.monotonic()
    sent = None
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        sent = time.monotonic()
        response = conn.getresponse()
        data = response.read()
        return response.status, data, None, started, sent, time.monotonic()
    except (OSError, http.client.HTTPException) as error:
        return None, b"", type(error).__name__, started, sent, time.monotonic()
    finally:
        conn.close()


class Load:
    """Readers and sync writers against one server until stopped; every request is recorded."""

    def __init__(self, name, port, token, first_sequence):
        self.name, self.port, self.token = name, port, token
        self.sequence = first_sequence
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.records = []
        self.acknowledged = []  # dossier codes of batches answered 200
        self.threads = []

    def record(self, kind, path, result):
        status, data, error, started, sent, ended = result
        with self.lock:
            self.records.append({"server": self.name, "kind": kind, "path": path, "status": status, "error": error,
                                 "started": started, "sent": sent, "ended": ended, "body": data[:200]})

    def reader(self, paths):
        index = 0
        while not self.stop.is_set():
            path = paths[index % len(paths)]
            index += 1
            result = call(self.port, "GET", path)
            self.record("read", path, result)
            if result[0] is None:
                time.sleep(0.01)  # the listener is closed: no need to spin

    def writer(self):
        while not self.stop.is_set():
            with self.lock:
                first = self.sequence
                self.sequence += 40
            codes = [f"{AGENCY}-250703-{first + i:04d}" for i in range(40)]
            items = [{"dossier_code": code, "procedure_code": "1.001193", "agency": AGENCY,
                      "applicant": {"type": 1, "id": "001090001234", "name": "Nguyễn Văn An"}, "channel": 1,
                      "received_at": "2025-07-03T08:00:00+07:00", "status": 2, "event_id": f"restart/{code}",
                      "event_at": "2025-07-03T08:00:00+07:00"} for code in codes]
            result = call(self.port, "POST", "/api/v1/sync/dossiers", json.dumps({"items": items}).encode(),
                          {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"})
            self.record("sync", "/api/v1/sync/dossiers", result)
            if result[0] is None:
                time.sleep(0.01)
            if result[0] == 200 and json.loads(result[1]).get("accepted") == len(items):
                with self.lock:
                    self.acknowledged.extend(codes)

    def start(self, readers, writers, paths):
        self.threads = [threading.Thread(target=self.reader, args=(paths[i:] + paths[:i],)) for i in range(readers)]
        self.threads += [threading.Thread(target=self.writer) for _ in range(writers)]
        for thread in self.threads:
            thread.start()

    def finish(self):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=90)


def exists(port, code):
    status, _, _, _, _, _ = call(port, "GET", f"/api/v1/dossiers/{urllib.parse.quote(code)}/status")
    return status == 200


def seed(port, token):
    """One dossier for the readers to look up."""
    code = f"{AGENCY}-250703-0001"
    item = {"dossier_code": code, "procedure_code": "1.001193", "agency": AGENCY,
            "applicant": {"type": 1, "id": "001090001234", "name": "Nguyễn Văn An"}, "channel": 1,
            "status": 2, "event_id": "restart/seed", "event_at": "2025-07-03T08:00:00+07:00"}
    status, _, _, _, _, _ = call(port, "POST", "/api/v1/sync/dossiers", json.dumps({"items": [item]}).encode(),
                                 {"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    return code if status == 200 else None


UNREAD_WINDOW = 0.25


def judge(records, signal_at, label):
    """In-flight requests complete; no 5xx; what started after the signal is counted apart."""
    server_errors = [r for r in records if r["status"] is not None and r["status"] >= 500]
    check(not server_errors, f"{label}: no 5xx among {len(records)} answers",
          [{k: r[k] for k in ("kind", "path", "status", "body")} for r in server_errors[:5]])
    before = [r for r in records if r["sent"] is not None and r["sent"] < signal_at]
    lost = [r for r in before if r["status"] is None]
    # A connection still in the listener's queue, or accepted but not yet read, when the server stops listening is
    # reset by the kernel or closed as idle by SwiftNIO's quiescing: the request never reached the portal, no byte
    # of an answer was sent, and an HTTP client retries it (an idempotent GET, or a sync batch with its
    # Idempotency-Key). Such resets within UNREAD_WINDOW of the signal are counted apart; any other request sent
    # before the signal must get its whole answer. (Draining those connections before closing is the server's
    # open improvement.)
    unread = [r for r in lost if r["error"] == "ConnectionResetError" and signal_at - r["sent"] < UNREAD_WINDOW]
    lost = [r for r in lost if r not in unread]
    check(not lost, f"{label}: every request sent before SIGTERM got its whole answer ({len(before)} sent, "
          f"{sum(1 for r in before if r['ended'] > signal_at)} of them still in flight at the signal, "
          f"{len(unread)} reset unread within {UNREAD_WINDOW * 1000:.0f} ms of it)",
          [{**{k: r[k] for k in ("kind", "path", "error")}, "sent_before_signal_ms": round((signal_at - r["sent"]) * 1000)}
           for r in lost[:5]])
    after = [r for r in records if r["started"] > signal_at]
    straddling = [r for r in records if r["started"] <= signal_at and (r["sent"] is None or r["sent"] >= signal_at)]
    for name, group in [("started after SIGTERM", after), ("started just before SIGTERM and sent after it", straddling)]:
        answered = sum(1 for r in group if r["status"] is not None)
        errors = {}
        for r in group:
            if r["status"] is None:
                errors[r["error"]] = errors.get(r["error"], 0) + 1
        ok(f"{label}: requests {name}: {len(group)} ({answered} answered"
           + "".join(f", {n} {e}" for e, n in sorted(errors.items())) + ")")


def run(engine, a, b=None):
    print(f"== {engine}: SIGTERM under load" + (" with a second server on the same database" if b else ""), flush=True)
    code, out = a.command("agency", "add-client", "--agency", AGENCY, "--name", f"restart-{engine}")
    token = out.strip().splitlines()[-1] if out.strip() else ""
    if not check(code == 0 and re.fullmatch(r"[0-9a-f]{64}", token), f"{engine}: an agency client is created", out):
        return
    if not check(a.start(), f"{engine}: server A starts"):
        return
    if b and not check(b.start(), f"{engine}: server B starts on the same database (port {b.port})"):
        return
    looked_up = seed(a.port, token)
    check(looked_up is not None, f"{engine}: a dossier is synced for the readers")
    paths = ["/thu-tuc?q=dang+ky", "/api/v1/procedures?q=khai+sinh", f"/api/v1/dossiers/{looked_up}/status", "/",
             "/api/v1/stats/summary", "/thu-tuc/1.001193"]
    load_a = Load("A", a.port, token, first_sequence=1000)
    load_b = Load("B", b.port, token, first_sequence=50000) if b else None
    load_a.start(readers=4, writers=2, paths=paths)
    if load_b:
        load_b.start(readers=1, writers=1, paths=paths)
    time.sleep(2.0)
    signal_at = time.monotonic()
    process = a.process
    process.send_signal(signal.SIGTERM)
    try:
        exit_code = process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        exit_code = process.wait()
    took = time.monotonic() - signal_at
    a.process = None
    time.sleep(0.5)  # requests keep coming after the listener closed
    load_a.finish()
    if load_b:
        time.sleep(1.0)  # B keeps serving after A is gone
        load_b.finish()
    check(exit_code == 0 and took < 15, f"{engine}: server A exits 0 on SIGTERM ({exit_code}, after {took:.1f} s)")
    with open(a.log_path, errors="replace") as log:
        text = log.read()
    check("shut down" in text or "worker stopped" in text, f"{engine}: server A logs its shutdown")
    check("unexpected error" not in text, f"{engine}: no unexpected error in server A's log")
    judge(load_a.records, signal_at, f"{engine} A")
    writes = [r for r in load_a.records if r["kind"] == "sync" and r["status"] == 200]
    check(writes, f"{engine}: sync batches were acknowledged during the load ({len(writes)})")

    if b:
        records = load_b.records
        failures = [r for r in records if r["status"] is None or r["status"] >= 500]
        check(records and not failures, f"{engine}: server B answered all {len(records)} of its requests while A "
              "shut down", [{k: r[k] for k in ("kind", "path", "status", "error")} for r in failures[:5]])
        missing = [c for c in load_a.acknowledged if not exists(b.port, c)]
        check(not missing, f"{engine}: the {len(load_a.acknowledged)} dossiers synced through A are visible through B",
              missing[:10])
        missing = [c for c in load_b.acknowledged if not exists(b.port, c)]
        check(load_b.acknowledged and not missing,
              f"{engine}: the {len(load_b.acknowledged)} dossiers synced through B are there", missing[:10])
        code_b = f"{AGENCY}-250703-9999"
        item = {"dossier_code": code_b, "procedure_code": "1.001193", "agency": AGENCY,
                "applicant": {"type": 1, "id": "001090001234", "name": "Nguyễn Văn An"}, "channel": 1,
                "status": 2, "event_id": "restart/after", "event_at": "2025-07-03T09:00:00+07:00"}
        status, data, _, _, _, _ = call(b.port, "POST", "/api/v1/sync/dossiers", json.dumps({"items": [item]}).encode(),
                                        {"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        check(status == 200 and b'"accepted":1' in data and exists(b.port, code_b),
              f"{engine}: a write to B after A stopped applies and is visible ({status})", data[:200].decode())
        code = b.stop()
        check(code == 0, f"{engine}: server B exits 0 on SIGTERM ({code})")
    else:
        if check(a.start(), f"{engine}: server A starts again on the same data"):
            missing = [c for c in load_a.acknowledged if not exists(a.port, c)]
            check(not missing, f"{engine}: the {len(load_a.acknowledged)} dossiers of acknowledged batches are all "
                  "stored", missing[:10])
            check(a.stop() == 0, f"{engine}: and it stops again with 0")
            connection = sqlite3.connect(os.path.join(a.data_dir, "opendvc.sqlite"))
            check(connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok", f"{engine}: integrity_check")
            connection.close()


def main():
    started = time.time()
    print(f"graceful restart: work directory {WORK}", flush=True)
    servers = []
    try:
        a = Server("sqlite-a", os.path.join(WORK, "sqlite-data"))
        servers.append(a)
        run("sqlite", a)
        if PG_URL:
            database = f"opendvc_e2e_restart_{os.getpid()}"
            psql = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", PG_URL]
            subprocess.run(psql + ["-c", f"DROP DATABASE IF EXISTS {database}", "-c", f"CREATE DATABASE {database}"],
                           check=True, capture_output=True, timeout=60)
            url = PG_URL.rsplit("/", 1)[0] + "/" + database
            try:
                a = Server("postgres-a", os.path.join(WORK, "pg-data"), url)
                b = Server("postgres-b", os.path.join(WORK, "pg-data"), url, extra=["--no-worker"])
                servers += [a, b]
                run("postgres", a, b)
            finally:
                for server in servers:
                    if server.process:
                        server.process.kill()
                        server.process.wait()
                        server.process = None
                subprocess.run(psql + ["-c", f"DROP DATABASE IF EXISTS {database} WITH (FORCE)"],
                               capture_output=True, timeout=60)
    finally:
        for server in servers:
            if server.process:
                server.process.kill()
                server.process.wait()
    print(f"   ({time.time() - started:.0f} s)")
    print(f"{passed} passed, {failed} failed")
    if failed:
        with open(os.path.join(WORK, "failures.json"), "w") as out:
            json.dump({"binary": BIN, "failures": report}, out, indent=2, ensure_ascii=False, default=str)
        keep = os.environ.get("OPENDVC_E2E_ARTIFACTS")
        target = os.path.join(keep, "restart") if keep else WORK
        if keep:
            shutil.copytree(WORK, target, dirs_exist_ok=True)
        print(f"--- server logs and failures.json kept in {target}")
        sys.exit(1)
    shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
