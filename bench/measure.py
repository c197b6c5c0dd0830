"""Measuring: wrk runs, CPU and memory of processes sampled from /proc, and the portal's own latency histograms
from /metrics (the server-side view, without the client's queueing)."""

import json
import os
import re
import subprocess
import threading
import time
import urllib.error
import urllib.request

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
LUA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "lua")


class ScenarioError(Exception):
    """A scenario that could not be run (as opposed to one that ran and missed its target)."""


def process_times(pid):
    """CPU seconds (user + system) and resident memory in bytes of one process, or None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        with open(f"/proc/{pid}/statm") as f:
            resident_pages = int(f.read().split()[1])
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS, resident_pages * os.sysconf("SC_PAGE_SIZE")


def children(pid):
    """The process and its direct children (PostgreSQL's postmaster and its backends)."""
    result = [pid]
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        result.append(int(entry))
            except (FileNotFoundError, ProcessLookupError):
                continue
    return result


def machine_busy():
    """Busy and total jiffies of the whole machine, from /proc/stat."""
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


class Sampler:
    """Samples groups of processes every `interval` seconds while a scenario runs: CPU use (in % of one core, over
    the whole window) and resident memory (peak and last), per group, plus the machine's overall CPU use."""

    def __init__(self, groups, interval=0.25):
        # groups: name -> function returning the pids to sum
        self.groups = groups
        self.interval = interval
        self.peak = {name: 0 for name in groups}
        self.last = {name: 0 for name in groups}
        self.cpu = {name: {} for name in groups}  # pid -> (first, latest) CPU seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self):
        for name, pids in self.groups.items():
            rss = 0
            for pid in pids():
                sample = process_times(pid)
                if sample is None:
                    continue
                seconds, resident = sample
                first = self.cpu[name].get(pid, (seconds, seconds))[0]
                self.cpu[name][pid] = (first, seconds)
                rss += resident
            self.last[name] = rss
            self.peak[name] = max(self.peak[name], rss)

    def _run(self):
        while not self._stop.wait(self.interval):
            self._sample()

    def __enter__(self):
        self.started = time.monotonic()
        self.machine_start = machine_busy()
        self._sample()
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self._sample()
        self.elapsed = time.monotonic() - self.started
        busy_end, total_end = machine_busy()
        busy = busy_end - self.machine_start[0]
        total = total_end - self.machine_start[1]
        self.machine_cpu_percent = round(100 * busy / total, 1) if total else 0.0
        return False

    def summary(self):
        result = {"machine_cpu_percent": self.machine_cpu_percent}
        for name in self.groups:
            used = sum(latest - first for first, latest in self.cpu[name].values())
            result[name] = {
                "cpu_percent": round(100 * used / self.elapsed, 1) if self.elapsed else 0.0,
                "rss_peak_mb": round(self.peak[name] / 2**20, 1),
                "rss_end_mb": round(self.last[name] / 2**20, 1),
            }
        return result


def run_wrk(url, script, args, connections, threads, seconds, groups, timeout=10):
    """Runs wrk with one of the Lua scripts for `seconds` and returns its figures with the processes' CPU and
    memory (the `client` group is wrk itself)."""
    command = [
        "wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--timeout", f"{timeout}s",
        "-s", os.path.join(LUA_DIR, script), url, "--", *[str(a) for a in args],
    ]
    process = subprocess.Popen(
        command, env={**os.environ, "BENCH_LUA_DIR": LUA_DIR}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )
    with Sampler({**groups, "client": lambda: [process.pid]}) as sampler:
        try:
            stdout, stderr = process.communicate(timeout=seconds + 120)
        except subprocess.TimeoutExpired:
            process.kill()
            stdout, stderr = process.communicate()
    line = next((l for l in stdout.splitlines() if l.startswith("BENCHJSON ")), None)
    if process.returncode != 0 or line is None:
        raise ScenarioError(f"wrk {script} failed (exit {process.returncode}): {stderr.strip()[-500:]}")
    raw = json.loads(line[len("BENCHJSON "):])
    duration = raw["duration_us"] / 1e6
    errors = raw["errors"]
    latency = raw["latency_us"]
    return {
        "connections": connections,
        "threads": threads,
        "seconds": round(duration, 2),
        "requests": raw["requests"],
        "rps": round(raw["requests"] / duration, 1) if duration else 0.0,
        "latency_ms": {k: round(v / 1000, 2) for k, v in latency.items()},
        # wrk counts answers of 400 and above as status errors; the others are socket errors and timeouts.
        "errors": {k: int(v) for k, v in errors.items()},
        "counts": {k: int(v) for k, v in raw["counts"].items()},
        "processes": sampler.summary(),
    }


METRIC = re.compile(r'^http_request_duration_seconds_bucket\{(?P<labels>[^}]*)\} (?P<value>[0-9.e+]+)$')
LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')


def scrape(base_url):
    """The portal's latency histograms: {(route, method): {upper bound in seconds: cumulative count}}."""
    with urllib.request.urlopen(base_url + "/metrics", timeout=30) as response:
        text = response.read().decode()
    histograms = {}
    for line in text.splitlines():
        match = METRIC.match(line)
        if not match:
            continue
        labels = dict(LABEL.findall(match["labels"]))
        bound = float("inf") if labels["le"] == "+Inf" else float(labels["le"])
        histograms.setdefault((labels.get("route"), labels.get("method")), {})[bound] = float(match["value"])
    return histograms


def server_latency(before, after, routes=None):
    """Server-side latency per route over a window (the difference of two scrapes), and for `routes` together:
    requests, p50 and p99 estimated within the histogram's buckets, and the share answered within 5 ms."""
    result = {}
    combined = {}
    for key, buckets in after.items():
        if key[0] == "/metrics":
            continue  # the harness's own scrape
        delta = {bound: count - before.get(key, {}).get(bound, 0) for bound, count in buckets.items()}
        if delta.get(float("inf"), 0) <= 0:
            continue
        route = f"{key[1]} {key[0]}"
        result[route] = summarise(delta)
        if routes is None or key[0] in routes:
            for bound, count in delta.items():
                combined[bound] = combined.get(bound, 0) + count
    return result, (summarise(combined) if combined else None)


def summarise(buckets):
    bounds = sorted(buckets)
    total = buckets[float("inf")]

    def quantile(q):
        # Linear within the bucket that holds the rank, as Prometheus' histogram_quantile does.
        rank = q * total
        lower, below = 0.0, 0.0
        for bound in bounds:
            if buckets[bound] >= rank:
                if bound == float("inf"):
                    return lower
                share = (rank - below) / (buckets[bound] - below) if buckets[bound] > below else 1.0
                return lower + (bound - lower) * share
            lower, below = bound, buckets[bound]
        return lower

    within_5ms = buckets.get(0.005, 0) / total
    return {
        "requests": int(total),
        "p50_ms": round(quantile(0.50) * 1000, 2),
        "p99_ms": round(quantile(0.99) * 1000, 2),
        "share_within_5ms": round(within_5ms, 4),
    }


def get(url, timeout=5.0):
    """One GET: (status, seconds), or (None, seconds) when it failed."""
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
            return response.status, time.monotonic() - started
    except urllib.error.HTTPError as error:
        return error.code, time.monotonic() - started
    except OSError:
        return None, time.monotonic() - started
