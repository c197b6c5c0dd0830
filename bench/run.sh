#!/usr/bin/env bash
# The benchmark harness: builds the portal in release mode (or takes --bin), installs what it needs, runs the
# scenarios on SQLite and PostgreSQL, writes bench/results/<UTC time>-<size>.json and prints the summary.
#
#   bench/run.sh [--engine sqlite|postgres|both] [--size smoke|100k|1m|full] [--duration SECONDS] [--bin PATH]
#                [--profile]
#
# --size full runs 100k then 1m and renders BENCHMARKS.md from both; 100k and 1m render it from their own run.
# smoke (the default) is a few seconds per scenario on 2,000 dossiers: it proves the harness works and leaves
# BENCHMARKS.md alone. The exit status is 1 when a scenario could not run (a missed target is not a failure).
# --profile then samples the portal's stacks under P1–P4 at 100k (bench/profile.py, with perf) and adds where the
# time goes to BENCHMARKS.md: the profile behind each miss.
# Environment: OPENDVC_BENCH_BIN (as --bin), OPENDVC_BENCH_POSTGRES_URL (a server where the user may create
# databases, instead of a throw-away cluster), OPENDVC_BENCH_SQLITE_SYNCHRONOUS (FULL), OPENDVC_BENCH_LOG_LEVEL (info).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

engine=both
size=smoke
duration=
bin=${OPENDVC_BENCH_BIN:-}
profile=false
while [ $# -gt 0 ]; do
    case "$1" in
        --engine) engine=$2; shift 2 ;;
        --size) size=$2; shift 2 ;;
        --duration) duration=$2; shift 2 ;;
        --bin) bin=$2; shift 2 ;;
        --profile) profile=true; shift ;;
        -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "bench/run.sh: unknown argument $1" >&2; exit 64 ;;
    esac
done
case "$engine" in sqlite|postgres|both) ;; *) echo "bench/run.sh: --engine sqlite|postgres|both" >&2; exit 64 ;; esac
case "$size" in smoke|100k|1m) sizes=$size ;; full) sizes="100k 1m" ;;
    *) echo "bench/run.sh: --size smoke|100k|1m|full" >&2; exit 64 ;; esac

log() { printf '\n==> %s\n' "$*"; }

# Tools: wrk from Debian, PostgreSQL 15 when it is benchmarked, psycopg and bcrypt for Python.
need=()
command -v wrk >/dev/null 2>&1 || need+=(wrk)
if [ "$profile" = true ]; then command -v perf >/dev/null 2>&1 || need+=(linux-perf); fi
if [ "$engine" != sqlite ] && [ -z "${OPENDVC_BENCH_POSTGRES_URL:-}" ] \
    && [ ! -x /usr/lib/postgresql/15/bin/pg_ctl ]; then
    need+=(postgresql-15)
fi
if [ ${#need[@]} -gt 0 ]; then
    log "Installing ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${need[@]}" >/dev/null
fi
python_need=()
python3 -c 'import bcrypt' 2>/dev/null || python_need+=(bcrypt)
if [ "$engine" != sqlite ]; then python3 -c 'import psycopg' 2>/dev/null || python_need+=('psycopg[binary]'); fi
if [ ${#python_need[@]} -gt 0 ]; then
    log "Installing ${python_need[*]} for Python"
    python3 -m pip install --quiet "${python_need[@]}"
fi

built=()
if [ -z "$bin" ]; then
    log "Building opendvc in release mode"
    swift build -c release --product opendvc
    bin="$ROOT/.build/release/opendvc"
    built=(--built)
fi
[ -x "$bin" ] || { echo "bench/run.sh: $bin is not an executable" >&2; exit 66; }

status=0
results=()
for s in $sizes; do
    log "Benchmark: size $s, engine $engine, binary $bin"
    args=(--engine "$engine" --size "$s" --bin "$bin" "${built[@]}")
    [ -n "$duration" ] && args+=(--duration "$duration")
    # The harness logs to standard error and prints the result file's path; its exit status says whether
    # every scenario ran. On SIGINT or SIGTERM it stops what it started (servers, the PostgreSQL cluster) first.
    out=$(mktemp)
    python3 bench/harness.py "${args[@]}" > "$out" &
    harness=$!
    trap 'kill -TERM "$harness" 2>/dev/null; wait "$harness"; rm -f "$out"; exit 130' INT TERM
    wait "$harness" || status=1
    trap - INT TERM
    result=$(cat "$out")
    rm -f "$out"
    if [ -f "$result" ]; then
        results+=("$result")
        python3 bench/report.py --summary "$result"
    fi
done

profile_args=()
if [ "$profile" = true ]; then
    log "Profiling P1–P4 at 100k, engine $engine"
    profile_size=100k
    [ "$size" = smoke ] && profile_size=smoke
    if profile_result=$(python3 bench/profile.py --engine "$engine" --size "$profile_size" --bin "$bin"); then
        profile_args=(--profile "$profile_result")
    else
        status=1
    fi
fi

if [ "$size" != smoke ] && [ ${#results[@]} -gt 0 ]; then
    python3 bench/report.py --output BENCHMARKS.md "${profile_args[@]}" "${results[@]}"
    log "BENCHMARKS.md written from ${results[*]} ${profile_args[*]}"
fi
exit $status
