"""Renders benchmark results: BENCHMARKS.md from one or more result files, or a short summary for the terminal.

    python3 bench/report.py --output BENCHMARKS.md bench/results/A.json [B.json …]
    python3 bench/report.py --summary bench/results/A.json

Ratios and targets are computed here from the raw figures in the result files, so that a change of a target
re-renders old runs. A target is "met" or "missed" only when its figures were measured; otherwise "not measured".
"""

import argparse
import json
import os
import sys

ENGINES = ("sqlite", "postgres")
TARGETS = [
    ("P1", "lookup ≥ 0.5 × H and p99 ≤ 20 ms"),
    ("P2", "search p99 ≤ 5 ms server-side"),
    ("P3", "sync ingestion ≥ 0.5 × R"),
    ("P4", "mixed ≥ 3,000 req/s, p99 ≤ 200 ms, no errors"),
    ("P5", "overload: no crash, RSS ≤ 1 GiB, 429/503 with Retry-After, recovery ≤ 10 s"),
    ("P6", "cold start to ready ≤ 1 s"),
]


def errors_of(result):
    """Socket errors, timeouts and answers of 400 and above, as wrk counts them."""
    return sum(result["errors"].values())


def ceiling(scenarios):
    """H: the mean of the two hello-world runs of the engine's run (one before, one after the other scenarios),
    and how far apart they were."""
    runs = [scenarios[name]["rps"] for name in ("H", "H-again") if name in scenarios]
    if not runs:
        return None, None
    drift = (max(runs) - min(runs)) / max(runs) if len(runs) == 2 and max(runs) else None
    return sum(runs) / len(runs), drift


def sync_rate(scenarios):
    """P3 in status events accepted per second."""
    p3 = scenarios.get("P3")
    if not p3 or not p3["seconds"]:
        return None
    return p3["counts"].get("items_accepted", 0) / p3["seconds"]


def ratios(engine):
    s = engine["scenarios"]
    h, _ = ceiling(s)
    r = s.get("R", {}).get("events_per_second")
    result = {}
    for name in ("P1", "P2", "P4"):
        if h and name in s:
            result[f"{name}/H"] = s[name]["rps"] / h
    p3 = sync_rate(s)
    if r and p3 is not None:
        result["P3/R"] = p3 / r
    return result


def judge(engine):
    """{target: (status, detail)} with status 'met', 'missed' or 'not measured'."""
    s = engine["scenarios"]
    ratio = ratios(engine)
    verdicts = {}

    def verdict(name, ok, detail):
        verdicts[name] = ("met" if ok else "missed", detail)

    if "P1/H" in ratio:
        p99 = s["P1"]["latency_ms"]["p99"]
        verdict("P1", ratio["P1/H"] >= 0.5 and p99 <= 20, f"{ratio['P1/H']:.2f} × H, p99 {p99:.1f} ms")
    combined = s.get("P2", {}).get("server_latency", {}).get("combined")
    if combined:
        # The histogram has a bucket at 5 ms, so "p99 ≤ 5 ms" is exactly "99 % answered within 5 ms".
        verdict("P2", combined["share_within_5ms"] >= 0.99,
                f"p99 ≈ {combined['p99_ms']:.1f} ms, {100 * combined['share_within_5ms']:.1f} % within 5 ms")
    if "P3/R" in ratio:
        verdict("P3", ratio["P3/R"] >= 0.5, f"{ratio['P3/R']:.2f} × R")
    if "P4" in s:
        p4 = s["P4"]
        verdict("P4", p4["rps"] >= 3000 and p4["latency_ms"]["p99"] <= 200 and errors_of(p4) == 0,
                f"{p4['rps']:,.0f} req/s, p99 {p4['latency_ms']['p99']:.0f} ms, {errors_of(p4):,} errors")
    if "P5" in s:
        p5 = s["P5"]
        counts = p5["counts"]
        rss = p5["processes"]["server"]["rss_peak_mb"]
        shed = {code: counts.get(f"status_{code}", 0) for code in (429, 503)}
        retry = sum(counts.get(f"retry_after_{code}", 0) for code in (429, 503))
        recovery = p5.get("recovery_seconds")
        alive = p5.get("alive_after") and p5.get("alive_after_recovery")
        ok = alive and rss <= 1024 and sum(shed.values()) > 0 and retry == sum(shed.values()) \
            and recovery is not None and recovery <= 10
        verdict("P5", ok, f"{'alive' if alive else 'CRASHED'}, RSS peak {rss:,.0f} MB, "
                f"429: {shed[429]:,}, 503: {shed[503]:,} ({retry:,} with Retry-After), "
                f"recovery {'none in 60 s' if recovery is None else f'{recovery:.1f} s'}")
    if "P6" in s:
        p6 = s["P6"]
        verdict("P6", p6["max_seconds"] <= 1.0, f"median {p6['median_seconds']:.2f} s, max {p6['max_seconds']:.2f} s")
    for name, _ in TARGETS:
        verdicts.setdefault(name, ("not measured", engine["errors"].get(name, "")[:80]))
    return verdicts


def fmt(value, digits=0, unit=""):
    if value is None:
        return "–"
    return f"{value:,.{digits}f}{unit}"


def scenario_rows(engine):
    """(scenario, throughput, p50, p99, errors, server CPU %, server RSS peak MB, PostgreSQL CPU %)."""
    s = engine["scenarios"]
    rows = []
    labels = {
        "H": "H hello (ceiling)", "P1": "P1 lookup", "P2": "P2 search", "P4": "P4 mixed (bcrypt 12)",
        "P4-cost4": "P4 mixed (bcrypt 4)", "P3": "P3 sync ingestion", "H-again": "H hello, again",
        "P5": "P5 overload",
    }
    for name, label in labels.items():
        if name not in s:
            continue
        r = s[name]
        processes = r["processes"]
        if name == "P3":
            rate = f"{fmt(sync_rate(s))} events/s ({fmt(r['rps'], 1)} batches/s)"
        else:
            rate = f"{fmt(r['rps'])} req/s"
        rows.append((
            label, rate, fmt(r["latency_ms"]["p50"], 1), fmt(r["latency_ms"]["p99"], 1), fmt(errors_of(r)),
            fmt(processes["server"]["cpu_percent"]), fmt(processes["server"]["rss_peak_mb"]),
            fmt(processes.get("postgres", {}).get("cpu_percent")),
        ))
    if "R" in s:
        r = s["R"]
        rows.append((
            "R raw INSERT (ceiling)", f"{fmt(r['events_per_second'])} events/s ({r['batches'] / r['seconds']:,.1f} "
            "batches/s)", fmt(r["batch_p50_ms"], 1), fmt(r["batch_p99_ms"], 1), "0", "–", "–",
            fmt(r["processes"].get("postgres", {}).get("cpu_percent")),
        ))
    return rows


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def summary(run):
    """The terminal summary of one run."""
    out = [f"size {run['size']}, {run['duration_seconds']} s per scenario, binary {run['binary']['path']}"]
    for name in ENGINES:
        engine = run["engines"].get(name)
        if not engine:
            continue
        out.append(f"\n{name}:")
        header = ("scenario", "throughput", "p50 ms", "p99 ms", "errors", "server CPU %", "server RSS MB", "PG CPU %")
        out.append(table(header, scenario_rows(engine)))
        ratio = ratios(engine)
        out.append("ratios: " + ", ".join(f"{k} {v:.2f}" for k, v in ratio.items()))
        for target, (status, detail) in judge(engine).items():
            out.append(f"  {target}: {status:12} {detail}")
        for scenario, message in engine["errors"].items():
            out.append(f"  could not run {scenario}: {message.splitlines()[-1] if message else ''}")
    return "\n".join(out)


def markdown(runs):
    first = runs[0]
    m = first["machine"]
    out = [
        "# Benchmarks",
        "",
        "Generated by `bench/report.py` from "
        + ", ".join(f"`bench/results/{os.path.basename(r['_path'])}`" for r in runs)
        + ". Do not edit by hand: run the harness again.",
        "",
        "Every throughput is reported next to a ceiling measured in the same run on the same machine: **H**, a bare "
        "hello-world answer of the same binary in bench mode (the framework's ceiling), and **R**, plain batched "
        "INSERTs of the rows a sync batch stores, into the same engine with the same durability (the storage "
        "ceiling). Figures on a shared 2-core machine drift from run to run; the ratios drift much less.",
        "",
        "## How to run",
        "",
        "```sh",
        "bench/run.sh --size full --profile   # release build; 100 k and 1 M dossiers, SQLite and PostgreSQL, then",
        "                                     # the profiles of P1–P4 at 100 k (needs perf); writes this file",
        "bench/run.sh               # smoke run: 2,000 dossiers, a few seconds per scenario, both engines",
        "bench/run.sh --engine sqlite --size 100k --duration 60 --bin .build/release/opendvc",
        "```",
        "",
        "See `bench/README.md` for what each scenario does and how the data is generated.",
        "",
        "## Machine",
        "",
        table(("", ""), [
            ("CPU", f"{m['cpu']}, {m['cores']} cores"), ("memory", f"{m['memory_gib']} GiB"),
            ("OS", m["os"]), ("kernel", m["kernel"]), ("Swift", m["swift"]), ("load generator", m["wrk"]),
            ("Python (generation, R)", f"{m['python']}, its SQLite {m['python_sqlite']}"),
        ]),
        "",
        "The load generator, the portal and PostgreSQL share the machine's cores: the tables give the CPU each "
        "used (100 % = one core).",
    ]
    for run in runs:
        binary = run["binary"]
        build = ("release, built by the harness" if binary["release_built_by_harness"]
                 else "given with --bin" + ("; **a debug build: these figures say nothing about performance**"
                                           if "debug" in binary["path"].lower() else ""))
        out += [
            "",
            f"## Run of {run['started_at']}: size {run['size']}",
            "",
            f"Binary `{binary['path']}` ({build}), sha256 `{binary['sha256'][:16]}…`. "
            f"{run['duration_seconds']} s per scenario (P5: {60 if run['size'] != 'smoke' else run['duration_seconds']}"
            f" s); sync batches of {run['settings']['sync_batch']} events from {run['settings']['sync_clients']} "
            f"clients in P3 and R. Server settings: "
            + ", ".join(f"`{k}={v}`" for k, v in run["settings"]["server_environment"].items()) + ".",
        ]
        for name in ENGINES:
            engine = run["engines"].get(name)
            if not engine:
                continue
            data = engine.get("data", {})
            out += ["", f"### {name}: {engine.get('engine_version', 'version unknown')}", ""]
            if data:
                out.append(
                    f"Data: {data['dossiers']:,} dossiers with {data['events']:,} status events "
                    f"({data['events_per_dossier']} each), {data['processed']:,} processed, {data['accounts']:,} "
                    f"citizens' accounts; generated in {data['seconds']} s after importing the catalogue in "
                    f"{data['import_seconds']} s.")
                out.append("")
            out.append(table(
                ("scenario", "throughput", "p50 ms", "p99 ms", "errors", "portal CPU %", "portal RSS peak MB",
                 "PostgreSQL CPU %"),
                scenario_rows(engine)))
            h, drift = ceiling(engine["scenarios"])
            ratio = ratios(engine)
            out += ["", "Ratios: " + (", ".join(f"**{k} = {v:.2f}**" for k, v in ratio.items()) or "none measured")
                    + (f" (H is the mean of its two runs, which were {100 * drift:.0f} % apart)." if drift is not None
                       else ".")]
            out += ["", table(("target", "", "result", "figures"),
                              [(t, text, status, detail) for (t, text), (status, detail)
                               in zip(TARGETS, [judge(engine)[t] for t, _ in TARGETS])])]
            out += details(engine)
            if engine["errors"]:
                out += ["", "Could not run: " + "; ".join(
                    f"{k}: {v.splitlines()[-1] if v else ''}" for k, v in engine["errors"].items())]
    out.append("")
    return "\n".join(out)


def details(engine):
    s = engine["scenarios"]
    out = []
    if "P2" in s:
        combined = s["P2"]["server_latency"]["combined"]
        if combined:
            out += ["", f"P2 server-side (from `/metrics`): p50 ≈ {combined['p50_ms']} ms, p99 ≈ "
                        f"{combined['p99_ms']} ms over {combined['requests']:,} searches."]
    if "P4-ramp" in s:
        ramp = s["P4-ramp"]
        steps = ", ".join(f"{x['connections']} → {x['rps']:,.0f} req/s (p99 {x['p99_ms']:.0f} ms)"
                          for x in ramp["steps"])
        out += ["", f"P4 ramp ({ramp['step_seconds']} s a step): {steps}; saturation at "
                    f"{ramp['saturation_connections']} connections, where P4 runs; P5 uses ten times as many."]
    if "P4" in s:
        p4 = s["P4"]
        actions = {k[len("action_"):]: v for k, v in p4["counts"].items() if k.startswith("action_")}
        total = sum(actions.values()) or 1
        mix = ", ".join(f"{k} {100 * v / total:.1f} %" for k, v in sorted(actions.items(), key=lambda kv: -kv[1]))
        out += ["", f"P4 actions: {mix}; {p4['counts'].get('submissions_completed', 0):,} submissions completed "
                    f"with a 1 MB upload each. Answers: " + statuses(p4) + "."]
        slow = sorted(p4["server_latency"]["routes"].items(), key=lambda kv: -kv[1]["p99_ms"])[:5]
        out += ["", "Slowest routes in P4, server-side p99: "
                + ", ".join(f"`{route}` {v['p99_ms']:.0f} ms ({v['requests']:,})" for route, v in slow) + "."]
    if "P5" in s:
        p5 = s["P5"]
        out += ["", f"P5: {p5['connections']} connections for {p5['seconds']:.0f} s. Answers: {statuses(p5)}; "
                    f"socket errors and timeouts: " + ", ".join(f"{k} {v:,}" for k, v in p5["errors"].items()
                                                              if k != "status")
                + f". Portal RSS peak {p5['processes']['server']['rss_peak_mb']:,.0f} MB. Recovery: a lookup answered "
                  f"within {p5['probe_threshold_ms']} ms five times in a row "
                + ("never within 60 s." if p5["recovery_seconds"] is None
                   else f"{p5['recovery_seconds']} s after the overload stopped.")]
    if "P6" in s:
        p6 = s["P6"]
        out += ["", f"P6: {', '.join(f'{t:.2f}' for t in p6['seconds'])} s from exec to `/readyz` answering 200 "
                    f"(RSS at ready {p6['rss_at_ready_mb']} MB)."]
    return out


def profile_section(profile, runs):
    """The profile behind each miss: where the portal's CPU went in P1–P4, by category, per engine."""
    missed = {}
    for run in runs:
        for name in ENGINES:
            engine = run["engines"].get(name)
            if engine:
                for target, (status, _) in judge(engine).items():
                    if status == "missed":
                        missed.setdefault(name, set()).add(f"{target} ({run['size']})")
    out = ["", "## Where the time goes: the profile behind each miss", "",
           f"Made by `bench/profile.py` on {profile['started_at']} at size {profile['size']} with the binary "
           f"`{profile['binary']}`: the harness's data and load scripts, while {profile['sampling']}. Each sample "
           "counts for the first category its stack names, innermost frame first, so that allocation and reference "
           "counting count for the work that called them. Shares are of the portal's samples (100 % = all the CPU "
           "the portal used). Only the portal is sampled: where PostgreSQL's own work is the limit, the PostgreSQL "
           "CPU column of the run tables above shows it."]
    for name in ENGINES:
        engine = profile["engines"].get(name)
        if not engine:
            continue
        scenarios = [s for s in ("P1", "P2", "P3", "P4") if s in engine]
        categories = []
        for scenario in scenarios:
            for category in engine[scenario]["categories"]:
                if category not in categories:
                    categories.append(category)
        rows = [(category, *(f"{engine[s]['categories'].get(category, 0):.1f}" for s in scenarios))
                for category in categories]
        rows.append(("samples", *(f"{engine[s]['samples']:,}" for s in scenarios)))
        rows.append(("throughput while sampled (req/s)",
                     *(f"{engine[s].get('throughput', 0):,.1f}" for s in scenarios)))
        out += ["", f"### {name}", "",
                "Missed in the runs above: " + (", ".join(sorted(missed.get(name, []))) or "none") + ".", "",
                table(("category, % of the portal's CPU", *scenarios), rows)]
    return out


def statuses(result):
    counts = {k[len("status_"):]: v for k, v in result["counts"].items() if k.startswith("status_")}
    return ", ".join(f"{k}: {v:,}" for k, v in sorted(counts.items())) or "none counted"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results", nargs="+", help="result files of bench/run.sh")
    parser.add_argument("--profile", help="a result file of bench/profile.py, rendered after the runs")
    parser.add_argument("--output", help="write the Markdown report here")
    parser.add_argument("--summary", action="store_true", help="print a short summary instead")
    args = parser.parse_args()
    runs = []
    for path in args.results:
        with open(path) as f:
            run = json.load(f)
        run["_path"] = path
        runs.append(run)
    if args.summary:
        print("\n\n".join(summary(run) for run in runs))
        return
    text = markdown(runs)
    if args.profile:
        with open(args.profile) as f:
            text = text.rstrip("\n") + "\n" + "\n".join(profile_section(json.load(f), runs)) + "\n"
    if args.output:
        with open(args.output, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
