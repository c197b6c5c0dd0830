"""The two storage engines as the harness uses them: a throw-away PostgreSQL cluster, direct connections for data
generation, and R, the storage ceiling: the rows a sync batch stores, written with plain batched INSERTs."""

import os
import secrets
import shutil
import sqlite3
import subprocess
import threading
import time

PG_BIN = "/usr/lib/postgresql/15/bin"
# A synthetic applicant of the usual length, as `DossierStore.encode` writes it.
APPLICANT = '{"accountType":"citizen","fullName":"Nguyễn Thị Minh Anh","personalID":"079190000001"}'


class SQLiteDB:
    """A connection to the portal's SQLite file."""

    engine = "sqlite"

    def __init__(self, path, synchronous="FULL", bulk=False):
        self.conn = sqlite3.connect(path, timeout=10)
        self.conn.execute("PRAGMA foreign_keys = ON")
        self.conn.execute("PRAGMA busy_timeout = 10000")
        # As the portal's connections: a large statement's journal stays in memory, not in a file made and deleted
        # at every commit. It plays no part in durability; the raw inserts (R) get it so that they store the rows as
        # cheaply as the portal does.
        self.conn.execute("PRAGMA temp_store = MEMORY")
        # Bulk generation does not need to survive a power cut: the file is rebuilt by the next run anyway.
        self.conn.execute(f"PRAGMA synchronous = {'OFF' if bulk else synchronous}")
        if bulk:
            self.conn.execute("PRAGMA cache_size = -262144")

    def query(self, sql, params=()):
        return self.conn.execute(sql, params).fetchall()

    def execute(self, sql, params=()):
        self.conn.execute(sql, params)

    def copy_rows(self, table, columns, rows):
        marks = ", ".join("?" * len(columns))
        self.conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)

    def next_id(self, table):
        return self.query(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")[0][0]

    def add_counter(self, name, amount):
        self.execute(
            "INSERT INTO portal_counters (name, value) VALUES (?, ?) "
            "ON CONFLICT (name) DO UPDATE SET value = portal_counters.value + excluded.value",
            (name, amount),
        )

    def commit(self):
        self.conn.commit()

    def finish_bulk_load(self):
        self.conn.commit()
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self):
        self.conn.close()


class PostgresDB:
    """A connection to the portal's PostgreSQL database (psycopg 3)."""

    engine = "postgres"

    def __init__(self, url, bulk=False):
        import psycopg

        self.conn = psycopg.connect(url)
        if bulk:
            # Generation only: the cluster is thrown away at the end of the run.
            self.conn.execute("SET synchronous_commit = off")

    def query(self, sql, params=()):
        return self.conn.execute(sql.replace("?", "%s"), params).fetchall()

    def execute(self, sql, params=()):
        self.conn.execute(sql.replace("?", "%s"), params)

    def copy_rows(self, table, columns, rows):
        with self.conn.cursor().copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    def next_id(self, table):
        return self.query(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")[0][0]

    def add_counter(self, name, amount):
        self.execute(
            "INSERT INTO portal_counters (name, value) VALUES (%s, %s) "
            "ON CONFLICT (name) DO UPDATE SET value = portal_counters.value + excluded.value",
            (name, amount),
        )

    def commit(self):
        self.conn.commit()

    def finish_bulk_load(self):
        # Rows were written with explicit ids: move the identity sequences past them.
        for table in ("accounts", "dossiers", "dossier_events", "audit_log"):
            self.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )
        self.conn.commit()
        # Autovacuum would analyse the new tables within minutes; do it now so that plans do not change mid-run.
        self.conn.autocommit = True
        self.conn.execute("ANALYZE")
        self.conn.autocommit = False

    def close(self):
        self.conn.close()


class PostgresCluster:
    """A throw-away PostgreSQL 15 cluster in a temporary directory, started as the `postgres` user when run as root
    (as .ci/run does). Durability is PostgreSQL's default: fsync on, synchronous_commit on."""

    def __init__(self, directory, port):
        self.directory = directory
        self.port = port
        self.data = os.path.join(directory, "pg")
        self.url = f"postgres://postgres@127.0.0.1:{port}/postgres"

    def _run(self, command):
        if os.geteuid() == 0:
            command = ["su", "postgres", "-s", "/bin/sh", "-c", " ".join(command)]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def start(self):
        os.makedirs(self.data)
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres", "postgres")
            shutil.chown(self.data, "postgres", "postgres")
        self._run([f"{PG_BIN}/initdb", "-D", self.data, "-A", "trust", "-U", "postgres", "-E", "UTF8",
                   "--locale=C.UTF-8"])
        options = f"-h 127.0.0.1 -p {self.port} -k {self.directory} -c max_connections=200 -c shared_buffers=512MB"
        self._run([f"{PG_BIN}/pg_ctl", "-D", self.data, "-l", os.path.join(self.directory, "pg.log"), "-w",
                   "-o", f"'{options}'", "start"])

    def stop(self):
        if os.path.exists(os.path.join(self.data, "postmaster.pid")):
            self._run([f"{PG_BIN}/pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop"])

    def postmaster_pid(self):
        with open(os.path.join(self.data, "postmaster.pid")) as f:
            return int(f.readline())


def create_database(admin_url, name):
    """Creates an empty database on a server and returns its URL."""
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return admin_url.rsplit("/", 1)[0] + "/" + name


def drop_database(admin_url, name):
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def raw_insert(connect, clients, seconds, sync_batch, procedures, agencies, first_sequence):
    """R: `clients` threads, each writing the rows that ingesting one sync batch of `sync_batch` events stores
    (for `sync_batch` / 10 new dossiers: the dossier rows, then one `dossier_events` and one `sync_events` row per
    event), as three multi-row INSERTs in one transaction per batch, for `seconds`. Returns events per second and
    the batch latencies.

    No reads, no state machine, no JSON: the most the engine can store in this shape with the portal's durability.
    `connect()` gives a connection with the portal's durability settings."""
    per_dossier = 10
    dossiers_per_batch = sync_batch // per_dossier
    today = time.strftime("%y%m%d", time.gmtime(time.time() + 7 * 3600))
    results = []
    stop_at = time.monotonic() + seconds

    def client(index):
        conn = connect()
        agency = agencies[index % len(agencies)]
        sequence = first_sequence + index * 1_000_000
        latencies, events = [], 0
        placeholder = "%s" if conn.engine == "postgres" else "?"

        def values(rows, width):
            one = "(" + ", ".join([placeholder] * width) + ")"
            return ", ".join([one] * rows)

        while time.monotonic() < stop_at:
            began = time.monotonic()
            now_ms = int(time.time() * 1000)
            dossier_params = []
            for _ in range(dossiers_per_batch):
                sequence += 1
                dossier_params += [
                    secrets.token_hex(16), f"{agency}-{today}-{sequence}", procedures[sequence % len(procedures)],
                    agency, "sync", 2, 4, APPLICANT,
                    "{}", per_dossier, now_ms, now_ms,
                ]
            ids = [row[0] for row in conn.query(
                "INSERT INTO dossiers (ref, code, procedure_code, agency_code, origin, channel, status, applicant, "
                "form, version, created_at, updated_at) VALUES " + values(dossiers_per_batch, 12) + " RETURNING id",
                dossier_params,
            )]
            event_params, sync_params = [], []
            for dossier_id in ids:
                for step in range(per_dossier):
                    event_params += [dossier_id, 4, now_ms + step, "agency_system", None, "agency_sync", 1]
                    sync_params += [agency, f"r-{index}-{dossier_id}-{step}", dossier_id, "applied"]
            conn.execute(
                "INSERT INTO dossier_events (dossier_id, status, at, actor, note, source, applied) VALUES "
                + values(len(ids) * per_dossier, 7),
                event_params,
            )
            conn.execute(
                "INSERT INTO sync_events (agency_code, event_id, dossier_id, outcome) VALUES "
                + values(len(ids) * per_dossier, 4),
                sync_params,
            )
            conn.commit()
            latencies.append(time.monotonic() - began)
            events += len(ids) * per_dossier
        conn.close()
        results.append((events, latencies))

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    events = sum(e for e, _ in results)
    latencies = sorted(l for _, ls in results for l in ls)
    return {
        "events_per_second": events / elapsed,
        "batches": len(latencies),
        "seconds": elapsed,
        "batch_p50_ms": percentile(latencies, 50) * 1000,
        "batch_p99_ms": percentile(latencies, 99) * 1000,
    }


def percentile(sorted_values, p):
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, max(0, int(round(p / 100 * len(sorted_values) + 0.5)) - 1))
    return sorted_values[index]
