"""The benchmark harness: for each engine, builds a portal database with the real catalogue and generated dossiers,
runs the scenarios against the binary in bench mode and writes one JSON file of figures per run.

Run through bench/run.sh, which picks or builds the binary and installs the tools. Scenarios, in order:
  H   GET /bench/hello (bench mode only): the framework's ceiling, measured first and again before P5
  P1  public lookup of random dossier codes (JSON)
  P2  catalogue search with a mix of real queries (JSON), with the server's own latency from /metrics
  P4  the mixed workload: a ramp of connections finds saturation, then P4 runs there; P4-cost4 repeats it with
      accounts hashed at bcrypt cost 4 instead of the production 12, to show what sign-in costs
  P3  sync ingestion, batches of 500 events from several agency clients
  R   the rows P3 stores, as plain batched INSERTs with the same durability: the storage ceiling
  P5  overload: the mixed workload at ten times the saturating connections; memory, answers, recovery
  P6  cold start to ready, three times
A scenario that cannot run is recorded with its error and the others go on; the exit status is then 1.
"""

import argparse
import datetime
import hashlib
import json
import os
import platform
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import traceback

import datagen
import engines
import measure
from measure import ScenarioError

BENCH = os.path.dirname(os.path.abspath(__file__))
SIZES = {
    "smoke": {"dossiers": 2_000, "accounts": 50},
    "100k": {"dossiers": 100_000, "accounts": 1_000},
    "1m": {"dossiers": 1_000_000, "accounts": 10_000},
}
# Connections of the single-endpoint scenarios: enough to keep both cores of the reference machine busy; fewer for
# the smoke run, whose debug builds answer a search in a quarter of a second.
CONNECTIONS = {"smoke": 4, "default": 16}
SYNC_CLIENTS = 4
# Events per sync batch; a debug build takes seconds per batch of 500, so the smoke run sends smaller ones.
SYNC_BATCH = {"smoke": 100, "default": 500}
# Agencies whose identifiers are verified (vn-agency-codes): one sync client each.
SYNC_AGENCIES = ["000.00.00.H29", "000.00.00.H26", "000.00.00.H41", "000.00.00.H48"]
RAMP = {"smoke": [2, 4], "default": [4, 8, 16, 32, 64]}
SESSIONS = 20
ATTACHMENT_BYTES = 1024 * 1024
COLD_STARTS = 3


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One `opendvc serve` process in bench mode, with its output in a log file of the work directory."""

    def __init__(self, binary, work, data_dir, db_url, port, env):
        self.binary, self.work, self.data_dir, self.db_url, self.port, self.env = (
            binary, work, data_dir, db_url, port, env)
        self.url = f"http://127.0.0.1:{port}"
        self.process = None
        self.starts = 0

    def start(self, timeout=180):
        """Starts the process and returns the seconds until /readyz answers 200."""
        self.starts += 1
        command = [self.binary, "serve", "--data-dir", self.data_dir, "--port", str(self.port)]
        if self.db_url:
            command += ["--db-url", self.db_url]
        log_file = open(os.path.join(self.work, f"server-{self.starts}.log"), "w")
        started = time.monotonic()
        # The work directory as current directory: a .env file of the repository must not change the settings.
        self.process = subprocess.Popen(command, cwd=self.work, env=self.env, stdout=log_file, stderr=log_file)
        log_file.close()
        while time.monotonic() - started < timeout:
            if self.process.poll() is not None:
                raise ScenarioError(f"the server exited with status {self.process.returncode} before it was ready")
            status, _ = measure.get(self.url + "/readyz", timeout=1)
            if status == 200:
                return time.monotonic() - started
            time.sleep(0.005)
        raise ScenarioError(f"the server was not ready after {timeout} s")

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def stop(self):
        """SIGTERM, as an operator stops it; returns (exit status, seconds to exit)."""
        if self.process is None or self.process.poll() is not None:
            return (self.process.returncode if self.process else None), 0.0
        started = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        return self.process.returncode, time.monotonic() - started


class EngineRun:
    """Everything about one engine in one run: its database, its server, its results."""

    def __init__(self, engine, args, work, postgres_url):
        self.engine = engine
        self.args = args
        self.work = work
        self.data_dir = os.path.join(work, "data")
        self.postgres_url = postgres_url
        self.db_url = postgres_url if engine == "postgres" else None
        self.size = SIZES[args.size]
        self.batch = SYNC_BATCH["smoke" if args.size == "smoke" else "default"]
        self.results = {"scenarios": {}, "errors": {}}
        self.server = None
        self.pg_pids = None

    # Database

    def connect(self, bulk=False):
        if self.engine == "postgres":
            return engines.PostgresDB(self.postgres_url, bulk=bulk)
        return engines.SQLiteDB(os.path.join(self.data_dir, "opendvc.sqlite"), bulk=bulk)

    def cli(self, *arguments):
        """Runs an opendvc command on this engine's database; returns its standard output."""
        command = [self.args.bin, *arguments, "--data-dir", self.data_dir]
        if self.db_url:
            command += ["--db-url", self.db_url]
        done = subprocess.run(command, cwd=self.work, env=self.args.server_env, capture_output=True, text=True)
        if done.returncode != 0:
            raise ScenarioError(f"opendvc {arguments[0]} {arguments[1] if len(arguments) > 1 else ''} failed: "
                                f"{done.stderr.strip()[-400:]}")
        return done.stdout

    def prepare(self):
        """Schema, the national reference data through the portal's importers, generated dossiers and accounts,
        the statistics, the sync clients."""
        shared = self.args.shared
        started = time.monotonic()
        # The first `serve` loads the project's demo catalogue into the empty database, as in the README; the
        # national import then keeps what it adds (handling agencies, without which no procedure can be filed
        # online).
        first = Server(self.args.bin, self.work, self.data_dir, self.db_url, free_port(),
                       {**self.args.server_env, "OPENDVC_DEMO": "true"})
        self.results["first_start_with_demo_seconds"] = round(first.start(), 3)
        first.stop()
        self.cli("import", "units", f"{shared}/vn-admin-units-2025", "--legacy", f"{shared}/vn-admin-units-legacy",
                 "--mapping", f"{shared}/vn-admin-units-mapping-2025")
        self.cli("import", "agencies", f"{shared}/vn-agency-codes/agency_codes.csv")
        self.cli("import", "procedures", f"{shared}/vn-admin-procedures/procedures.csv", "--details",
                 f"{shared}/vn-admin-procedures/procedures_detail.jsonl.gz")
        imported = time.monotonic() - started
        log(f"{self.engine}: catalogue imported in {imported:.1f} s; generating {self.size['dossiers']:,} dossiers")
        db = self.connect(bulk=True)
        try:
            data = datagen.generate(db, shared, self.size["dossiers"], self.size["accounts"], self.args.hashes,
                                    self.work)
        finally:
            db.close()
        self.account_ids = data.pop("account_ids")
        started = time.monotonic()
        self.cli("stats", "refresh")
        data["stats_refresh_seconds"] = round(time.monotonic() - started, 2)
        data["import_seconds"] = round(imported, 1)
        log(f"{self.engine}: {data['dossiers']:,} dossiers, {data['events']:,} events in {data['seconds']} s")
        self.tokens = []
        for index, agency in enumerate(SYNC_AGENCIES[:SYNC_CLIENTS]):
            output = self.cli("agency", "add-client", "--agency", agency, "--name", f"bench-sync-{index + 1}")
            self.tokens.append(output.strip().splitlines()[-1].strip())
        self.write_queries()
        self.results["data"] = data

    def write_queries(self):
        """The fixed queries of bench/queries.txt and as many taken from procedure names (their first two to
        four words, as people type them, half without accents)."""
        rng = random.Random(7)
        queries = datagen.read_lines(os.path.join(BENCH, "queries.txt"))
        db = self.connect()
        names = [row[0] for row in db.query("SELECT name FROM procedures ORDER BY code")]
        db.close()
        for name in rng.sample(names, min(len(queries), len(names))):
            words = re.sub(r"[^\w\s]", " ", name).split()[: rng.randint(2, 4)]
            query = " ".join(words).lower()
            queries.append(datagen.fold(query) if rng.random() < 0.5 else query)
        datagen.write_lines(os.path.join(self.work, "queries.txt"), queries)

    def create_sessions(self, cost):
        """Signed-in sessions of citizens, written as `SessionStore.create` writes them (the browser's token, its
        SHA-256 in the table, a CSRF token), for the submissions of the mixed workload."""
        db = self.connect()
        now = int(time.time() * 1000)
        lines = []
        for account_id in self.account_ids[cost][:SESSIONS]:
            token, csrf = secrets.token_hex(16), secrets.token_hex(16)
            db.execute(
                "INSERT INTO sessions (token_hash, account_id, csrf_token, created_at, last_seen_at) "
                "VALUES (?, ?, ?, ?, ?)", (hashlib.sha256(token.encode()).hexdigest(), account_id, csrf, now, now))
            lines.append(f"{token}\t{csrf}")
        db.commit()
        db.close()
        path = os.path.join(self.work, f"sessions-{cost}.txt")
        datagen.write_lines(path, lines)
        return path

    # Processes

    def groups(self):
        """The processes whose CPU and memory are reported: the portal, and PostgreSQL's when it serves it."""
        groups = {"server": lambda: [self.server.process.pid] if self.server.alive() else []}
        if self.pg_pids:
            groups["postgres"] = self.pg_pids
        return groups

    def start_server(self):
        self.server = self.server or Server(
            self.args.bin, self.work, self.data_dir, self.db_url, free_port(), self.args.server_env)
        return self.server.start()

    # Scenarios

    def settle(self, timeout=120):
        """Waits until the portal (and PostgreSQL) are idle: requests a load generator gave up on may still be
        running in the server when it stops, and must not count against the next scenario."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            with measure.Sampler(self.groups()) as sampler:
                time.sleep(0.3)
            busy = sum(v["cpu_percent"] for k, v in sampler.summary().items() if k != "machine_cpu_percent")
            if busy < 20:
                return
        log(f"{self.engine}: still busy after {timeout} s, going on")

    def scenario(self, name, function):
        """Runs one scenario, keeping its figures or the reason it could not run."""
        log(f"{self.engine}: {name}")
        try:
            if self.server and self.server.alive():
                self.settle()
            result = function()
            if result is not None:
                self.results["scenarios"][name] = result
        except Exception as error:  # a scenario that fails must not stop the others
            message = str(error) if isinstance(error, ScenarioError) else traceback.format_exc(limit=3)
            self.results["errors"][name] = message.strip()
            log(f"{self.engine}: {name} could not run: {message.strip().splitlines()[-1]}")

    def wrk(self, script, args, connections, seconds, threads=1, routes=None):
        """A wrk run with the server's own latency figures from /metrics around it."""
        if not self.server.alive():
            raise ScenarioError("the server is not running")
        before = measure.scrape(self.server.url)
        result = measure.run_wrk(self.server.url, script, args, connections, threads, seconds, self.groups())
        per_route, combined = measure.server_latency(before, measure.scrape(self.server.url), routes)
        result["server_latency"] = {"routes": per_route, "combined": combined}
        if result["requests"] == 0:
            raise ScenarioError(f"no request completed in {seconds} s")
        return result

    def mixed_args(self, cost, sessions):
        w = self.work
        return [f"{w}/codes.txt", f"{w}/queries.txt", f"{w}/procedures.txt", f"{w}/logins-{cost}.txt",
                datagen.PASSWORD, sessions, f"{w}/submissions.txt", ATTACHMENT_BYTES]

    def run(self):
        args = self.args
        seconds = args.duration
        connections = CONNECTIONS["smoke" if args.size == "smoke" else "default"]
        w = self.work
        self.prepare()
        self.start_server()

        self.scenario("H", lambda: self.wrk("hello.lua", [], connections, seconds))
        self.scenario("P1", lambda: self.wrk(
            "lookup.lua", [f"{w}/codes.txt"], connections, seconds, routes={"/api/v1/dossiers/{code}/status"}))
        self.scenario("P2", lambda: self.wrk(
            "search.lua", [f"{w}/queries.txt"], connections, seconds, routes={"/api/v1/procedures"}))
        self.scenario("P4-ramp", self.ramp)
        saturation = self.results["scenarios"].get("P4-ramp", {}).get("saturation_connections", 32)
        self.scenario("P4", lambda: self.wrk(
            "mixed.lua", self.mixed_args(12, self.create_sessions(12)), saturation, seconds, threads=2))
        self.scenario("P4-cost4", lambda: self.wrk(
            "mixed.lua", self.mixed_args(4, self.create_sessions(4)), saturation, seconds, threads=2))
        agencies = ",".join(SYNC_AGENCIES[:SYNC_CLIENTS])
        # The smoke run gives P3 time for a few batches of a debug build.
        sync_seconds = max(seconds, 6) if args.size == "smoke" else seconds
        self.scenario("P3", lambda: self.wrk(
            "sync.lua", [",".join(self.tokens), agencies, f"{w}/applicants.txt", f"{w}/procedures.txt", self.batch],
            SYNC_CLIENTS, sync_seconds, threads=SYNC_CLIENTS, routes={"/api/v1/sync/dossiers"}))
        self.scenario("R", self.raw_insert)
        self.scenario("H-again", lambda: self.wrk("hello.lua", [], connections, seconds))
        self.scenario("P5", lambda: self.overload(10 * saturation))
        code, stop_seconds = self.server.stop()
        self.results["shutdown"] = {"exit_status": code, "seconds": round(stop_seconds, 2)}
        self.scenario("P6", self.cold_starts)

    def ramp(self):
        """The mixed workload at growing connection counts; saturation is the fewest connections that reach 95 %
        of the best throughput."""
        levels = RAMP["smoke"] if self.args.size == "smoke" else RAMP["default"]
        step = 1 if self.args.size == "smoke" else max(5, self.args.duration // 3)
        sessions = self.create_sessions(12)
        steps = []
        for connections in levels:
            self.settle()
            result = self.wrk("mixed.lua", self.mixed_args(12, sessions), connections, step, threads=2)
            steps.append({"connections": connections, "rps": result["rps"], "p99_ms": result["latency_ms"]["p99"],
                          "errors": sum(result["errors"].values())})
        best = max(s["rps"] for s in steps)
        saturation = next(s["connections"] for s in steps if s["rps"] >= 0.95 * best)
        return {"steps": steps, "step_seconds": step, "saturation_connections": saturation}

    def raw_insert(self):
        db = self.connect()
        procedures = [row[0] for row in db.query("SELECT code FROM procedures ORDER BY code")]
        db.close()
        synchronous = self.args.server_env.get("OPENDVC_DB_SQLITE_SYNCHRONOUS", "FULL")

        def connect():
            if self.engine == "postgres":
                return engines.PostgresDB(self.postgres_url)
            return engines.SQLiteDB(os.path.join(self.data_dir, "opendvc.sqlite"), synchronous=synchronous)

        groups = {"postgres": self.pg_pids} if self.pg_pids else {}
        with measure.Sampler({**groups, "client": lambda: [os.getpid()]}) as sampler:
            result = engines.raw_insert(connect, SYNC_CLIENTS, self.args.duration, self.batch, procedures,
                                        SYNC_AGENCIES[:SYNC_CLIENTS], first_sequence=50_000_000)
        result["clients"] = SYNC_CLIENTS
        result["batch"] = self.batch
        result["processes"] = sampler.summary()
        return result

    def overload(self, connections):
        """P5: overload, then how long until a lookup answers as fast as before it again. The clock starts when
        the load generator stops; the portal may still be working through what it had accepted."""
        seconds = self.args.duration if self.args.size == "smoke" else 60
        codes = datagen.read_lines(os.path.join(self.work, "codes.txt"))

        def probe():
            return measure.get(f"{self.server.url}/api/v1/dossiers/{random.choice(codes)}/status")

        baseline = sorted(probe()[1] for _ in range(20))
        threshold = max(0.020, 3 * baseline[len(baseline) // 2])
        before = measure.scrape(self.server.url)
        result = measure.run_wrk(self.server.url, "mixed.lua", self.mixed_args(12, self.create_sessions(12)),
                                 connections, 2, seconds, self.groups())
        ended = time.monotonic()
        result["alive_after"] = self.server.alive()
        result["probe_threshold_ms"] = round(threshold * 1000, 1)
        # Recovered: five lookups in a row answered 200 within the threshold; the time is to the first of them.
        streak_start, streak = None, 0
        recovery = None
        while result["alive_after"] and time.monotonic() - ended < 60:
            sent = time.monotonic()
            status, elapsed = probe()
            if status == 200 and elapsed <= threshold:
                streak_start = streak_start if streak else sent
                streak += 1
                if streak == 5:
                    recovery = streak_start - ended
                    break
            else:
                streak = 0
            time.sleep(max(0.0, 0.1 - (time.monotonic() - sent)))
        result["recovery_seconds"] = None if recovery is None else round(max(recovery, 0.0), 2)
        result["alive_after_recovery"] = self.server.alive()
        if result["alive_after_recovery"]:
            per_route, combined = measure.server_latency(before, measure.scrape(self.server.url))
            result["server_latency"] = {"routes": per_route, "combined": combined}
        log(f"{self.engine}: P5 {connections} connections for {seconds} s, recovery "
            f"{'none in 60 s' if recovery is None else f'{recovery:.1f} s'}")
        return result

    def cold_starts(self):
        """P6: start to ready on the full database, a few times (the OS file cache is warm: the run just used it)."""
        times, memory = [], []
        for _ in range(COLD_STARTS):
            times.append(self.start_server())
            sample = measure.process_times(self.server.process.pid)
            memory.append(sample[1] / 2**20 if sample else 0)
            code, _ = self.server.stop()
            if code != 0:
                raise ScenarioError(f"the server exited with status {code} on SIGTERM")
        return {"starts": COLD_STARTS, "seconds": [round(t, 3) for t in times],
                "median_seconds": round(statistics.median(times), 3), "max_seconds": round(max(times), 3),
                "rss_at_ready_mb": round(max(memory), 1)}


def engine_version(run):
    if run.engine == "sqlite":
        return "SQLite " + sqlite_in_binary(run.args.bin)
    db = run.connect()
    try:
        return db.query("SELECT version()")[0][0]
    finally:
        db.close()


def sqlite_in_binary(binary):
    """The SQLite version compiled into the binary (sqlite-nio bundles its own): the `3.x.y` string it holds."""
    with open(binary, "rb") as f:
        found = sorted({m.decode() for m in re.findall(rb"(?<![\d.])(3\.\d{2}\.\d{1,2})(?![\d.])", f.read())})
    return ", ".join(found) if found else "unknown"


def describe_machine():
    def first_line(command):
        try:
            return subprocess.run(command, capture_output=True, text=True, timeout=60).stdout.strip().splitlines()[0]
        except (OSError, IndexError, subprocess.TimeoutExpired):
            return "unavailable"

    cpu = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        memory_kb = int(f.readline().split()[1])
    os_name = platform.system()
    if os.path.exists("/etc/os-release"):
        with open("/etc/os-release") as f:
            fields = dict(line.rstrip("\n").split("=", 1) for line in f if "=" in line)
            os_name = fields.get("PRETTY_NAME", os_name).strip('"')
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(memory_kb / 2**20, 1),
        "kernel": platform.release(),
        "os": os_name,
        "swift": first_line(["swift", "--version"]),
        "wrk": first_line(["wrk", "--version"]),
        "python": platform.python_version(),
        "python_sqlite": engines.sqlite3.sqlite_version,
    }


def bcrypt_hashes():
    """One bcrypt hash of the benchmark password per cost: 12 as in production, 4 as the lowest allowed."""
    import bcrypt

    return {cost: bcrypt.hashpw(datagen.PASSWORD.encode(), bcrypt.gensalt(cost)).decode() for cost in (12, 4)}


def server_environment():
    """The server's settings: bench mode, the lookup limit lifted (all load comes from one address), no
    background worker (the statistics were refreshed after generation; a refresh mid-scenario would skew it),
    production durability. Any other OPENDVC_ variable of the caller's environment is left out."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENDVC_")}
    env.update({
        "OPENDVC_BENCH": "true",
        "OPENDVC_WORKER": "false",
        "OPENDVC_DEMO": "false",
        "OPENDVC_LOOKUP_PER_MINUTE": "1000000",
        "OPENDVC_DB_SQLITE_SYNCHRONOUS": os.environ.get("OPENDVC_BENCH_SQLITE_SYNCHRONOUS", "FULL"),
        "OPENDVC_LOG_LEVEL": os.environ.get("OPENDVC_BENCH_LOG_LEVEL", "info"),
        "OPENDVC_BCRYPT_COST": "12",
    })
    return env


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engine", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--size", choices=sorted(SIZES), default="smoke")
    parser.add_argument("--duration", type=int, help="seconds per scenario (2 for smoke, else 30; P5 is 60 s)")
    parser.add_argument("--bin", required=True, help="the opendvc binary")
    parser.add_argument("--built", action="store_true", help="the binary was built in release mode by run.sh")
    parser.add_argument("--shared", default=os.path.join(BENCH, "..", "..", "shared", "data"))
    parser.add_argument("--results", default=os.path.join(BENCH, "results"))
    args = parser.parse_args()
    # SIGTERM unwinds like Ctrl-C, so that every server and cluster started is stopped and the work removed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    args.duration = args.duration or (2 if args.size == "smoke" else 30)
    args.bin = os.path.abspath(args.bin)
    args.shared = os.path.abspath(args.shared)
    args.server_env = server_environment()
    args.hashes = bcrypt_hashes()

    started = datetime.datetime.now(datetime.timezone.utc)
    with open(args.bin, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    run = {
        "schema": 1,
        "started_at": started.isoformat(timespec="seconds"),
        "size": args.size,
        "duration_seconds": args.duration,
        "binary": {"path": args.bin, "sha256": digest, "release_built_by_harness": args.built},
        "machine": describe_machine(),
        "settings": {
            "server_environment": {k: v for k, v in args.server_env.items() if k.startswith("OPENDVC_")},
            "connections": CONNECTIONS["smoke" if args.size == "smoke" else "default"],
            "sync_clients": SYNC_CLIENTS, "sync_batch": SYNC_BATCH["smoke" if args.size == "smoke" else "default"],
            "attachment_bytes": ATTACHMENT_BYTES,
        },
        "engines": {},
    }
    chosen = ["sqlite", "postgres"] if args.engine == "both" else [args.engine]
    failed = False
    for engine in chosen:
        work = tempfile.mkdtemp(prefix=f"opendvc-bench-{engine}-")
        cluster, database = None, None
        engine_run = None
        try:
            postgres_url = None
            if engine == "postgres":
                given = os.environ.get("OPENDVC_BENCH_POSTGRES_URL")
                if given:
                    database = f"opendvc_bench_{started.strftime('%Y%m%d%H%M%S')}"
                    postgres_url = engines.create_database(given, database)
                else:
                    cluster = engines.PostgresCluster(work, free_port())
                    cluster.start()
                    postgres_url = cluster.url
            engine_run = EngineRun(engine, args, work, postgres_url)
            if cluster:
                engine_run.pg_pids = lambda: measure.children(cluster.postmaster_pid())
            engine_run.run()
            engine_run.results["engine_version"] = engine_version(engine_run)
        except Exception as error:
            message = str(error) if isinstance(error, ScenarioError) else traceback.format_exc(limit=4)
            log(f"{engine}: the run stopped: {message.strip().splitlines()[-1]}")
            if engine_run is None:
                engine_run = EngineRun(engine, args, work, None)
            engine_run.results["errors"]["setup"] = message.strip()
        finally:
            if engine_run and engine_run.server:
                engine_run.server.stop()
            if cluster:
                cluster.stop()
            if database:
                engines.drop_database(os.environ["OPENDVC_BENCH_POSTGRES_URL"], database)
            shutil.rmtree(work, ignore_errors=True)
        failed = failed or bool(engine_run.results["errors"])
        run["engines"][engine] = engine_run.results
    run["finished_at"] = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")

    os.makedirs(args.results, exist_ok=True)
    path = os.path.join(args.results, f"{started.strftime('%Y%m%dT%H%M%SZ')}-{args.size}.json")
    with open(path, "w") as f:
        json.dump(run, f, indent=2, ensure_ascii=False)
        f.write("\n")
    print(path)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
