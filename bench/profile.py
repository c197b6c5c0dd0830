"""Where the portal's CPU goes in the scenarios that miss their targets: the profile behind each miss.

For each engine this builds the same data as the harness (the real catalogue through the portal's importers, then
generated dossiers), starts the portal in bench mode, and runs P1, P2, P3 and P4 with the harness's own load
scripts while `perf record` samples the portal's stacks (software clock, 499 Hz, call graphs). Each sample is put
in the first category that its stack names, innermost frame first (SQLite's engine, JSON decoding, bcrypt, ...),
so that a generic frame such as `swift_retain` counts for the work that called it.

    python3 bench/profile.py --bin .build/release/opendvc [--engine sqlite|postgres|both] [--size 100k]

Prints the result file's path (bench/results/<UTC time>-profile.json); `bench/report.py --profile FILE` renders
it into BENCHMARKS.md. Needs `perf` (Debian's linux-perf), which `bench/run.sh --profile` installs.
"""

import argparse
import datetime
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, BENCH)

import engines  # noqa: E402
import harness  # noqa: E402
import measure  # noqa: E402

# Innermost first: the first frame of a sample's stack that matches one of these names its category. Mangled Swift
# names carry module and type names as plain text, so plain substrings find them.
CATEGORIES = [
    ("bcrypt (password hashing)", r"bcrypt|Bcrypt|blowfish|Blowfish"),
    ("SQLite engine", r"sqlite3"),
    ("PostgreSQL client (PostgresNIO)", r"PostgresNIO"),
    ("JSON decoding", r"JSONDecoder|JSONScanner|JSONMap|JSONSerialization|JSONParser"),
    ("JSON encoding", r"JSONEncoder|JSONWriter|__JSONEncoder"),
    ("HTML templates (Mustache)", r"Mustache"),
    ("multipart upload parsing", r"MultipartKit"),
    ("SQL building and row decoding (SQLKit)", r"SQLKit|PostgresKit|SQLiteKit|SQLiteNIO"),
    ("the portal's own code", r"PortalWeb|PortalStore|PortalCore"),
    ("HTTP server (Hummingbird)", r"Hummingbird"),
    ("network I/O and event loops (SwiftNIO)", r"NIOPosix|NIOCore|NIOHTTP1|NIOHTTPTypes"),
    ("kernel", r"^\[k\]|\[kernel\.kallsyms\]"),
]
COMPILED = [(name, re.compile(pattern)) for name, pattern in CATEGORIES]


def classify(stacks):
    """{category: share of samples} from `perf script` output."""
    counts = {}
    total = 0
    for stack in stacks:
        total += 1
        category = "other (runtime, allocator, scheduler)"
        for frame in stack:
            found = next((name for name, pattern in COMPILED if pattern.search(frame)), None)
            if found:
                category = found
                break
        counts[category] = counts.get(category, 0) + 1
    return total, {name: round(100 * count / total, 1) for name, count in
                   sorted(counts.items(), key=lambda item: -item[1])} if total else {}


def stacks_of(perf_data):
    """The samples of a perf.data file, each as its frames (symbol and object), innermost first."""
    output = subprocess.run(["perf", "script", "-i", perf_data, "-F", "ip,sym,dso"], capture_output=True,
                            text=True, errors="replace").stdout
    stacks, current = [], []
    for line in output.splitlines():
        line = line.strip()
        if not line:
            if current:
                stacks.append(current)
            current = []
            continue
        current.append(line)
    if current:
        stacks.append(current)
    return stacks


def profile(run, name, load, seconds):
    """Runs `load` in a thread and samples the portal for `seconds - 4` s in its middle."""
    result = {}

    def go():
        try:
            result["load"] = load()
        except Exception as error:  # reported with the profile
            result["error"] = str(error)

    thread = threading.Thread(target=go)
    thread.start()
    time.sleep(2)
    data = os.path.join(run.work, f"perf-{name}.data")
    # `perf record` has come back once with no samples at all (a CI run's first scenario, the others fine): it is
    # tried again once, while the load still runs, and what it said is logged.
    for attempt in (1, 2):
        recorded = subprocess.run(["perf", "record", "-F", "499", "-g", "-o", data, "-p",
                                   str(run.server.process.pid), "--", "sleep", str(max(seconds - 4, 2) / attempt)],
                                  capture_output=True, text=True)
        samples, shares = classify(stacks_of(data))
        if samples > 0 or not thread.is_alive():
            break
        harness.log(f"{run.engine}: {name}: perf record gave no samples (exit {recorded.returncode}: "
                    f"{recorded.stderr.strip()[-300:]}); again")
    thread.join()
    entry = {"samples": samples, "categories": shares}
    if "load" in result:
        entry["throughput"] = round(result["load"]["requests"] / result["load"]["seconds"], 1)
    if "error" in result:
        entry["error"] = result["error"]
    harness.log(f"{run.engine}: {name} profiled, {samples} samples: "
                + ", ".join(f"{k} {v} %" for k, v in list(shares.items())[:4]))
    return entry


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engine", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--size", choices=sorted(harness.SIZES), default="100k")
    parser.add_argument("--duration", type=int, default=16, help="seconds of load per scenario")
    parser.add_argument("--bin", required=True)
    parser.add_argument("--shared", default=os.path.join(BENCH, "..", "..", "shared", "data"))
    parser.add_argument("--results", default=os.path.join(BENCH, "results"))
    args = parser.parse_args()
    if shutil.which("perf") is None:
        sys.exit("bench/profile.py: perf is not installed (apt-get install linux-perf)")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    args.bin = os.path.abspath(args.bin)
    args.shared = os.path.abspath(args.shared)
    args.server_env = harness.server_environment()
    args.hashes = harness.bcrypt_hashes()
    args.built = False
    started = datetime.datetime.now(datetime.timezone.utc)
    out = {"schema": 1, "started_at": started.isoformat(timespec="seconds"), "size": args.size,
           "binary": args.bin, "sampling": "perf record -F 499 -g (software clock) on the portal's process",
           "categories": [name for name, _ in CATEGORIES], "engines": {}}
    connections = harness.CONNECTIONS["default"]
    for engine in (["sqlite", "postgres"] if args.engine == "both" else [args.engine]):
        work = tempfile.mkdtemp(prefix=f"opendvc-profile-{engine}-")
        cluster = None
        run = None
        try:
            url = None
            if engine == "postgres":
                cluster = engines.PostgresCluster(work, harness.free_port())
                cluster.start()
                url = cluster.url
            run = harness.EngineRun(engine, args, work, url)
            run.prepare()
            run.start_server()
            w = work
            seconds = args.duration
            scenarios = {
                "P1": lambda: run.wrk("lookup.lua", [f"{w}/codes.txt"], connections, seconds),
                "P2": lambda: run.wrk("search.lua", [f"{w}/queries.txt"], connections, seconds),
                "P3": lambda: run.wrk(
                    "sync.lua", [",".join(run.tokens), ",".join(harness.SYNC_AGENCIES[:harness.SYNC_CLIENTS]),
                                 f"{w}/applicants.txt", f"{w}/procedures.txt", run.batch],
                    harness.SYNC_CLIENTS, seconds, threads=harness.SYNC_CLIENTS),
                "P4": lambda: run.wrk("mixed.lua", run.mixed_args(12, run.create_sessions(12)), connections,
                                      seconds, threads=2),
            }
            results = {}
            for name, load in scenarios.items():
                run.settle()
                results[name] = profile(run, name, load, seconds)
            out["engines"][engine] = results
        finally:
            if run and run.server:
                run.server.stop()
            if cluster:
                cluster.stop()
            shutil.rmtree(work, ignore_errors=True)
    out["finished_at"] = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    os.makedirs(args.results, exist_ok=True)
    path = os.path.join(args.results, f"{started.strftime('%Y%m%dT%H%M%SZ')}-profile.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=2, ensure_ascii=False)
        f.write("\n")
    print(path)


if __name__ == "__main__":
    main()
