#!/usr/bin/env bash
# End-to-end checks of the foundation against the real binary: a fresh data directory, the pages and operations
# endpoints, graceful shutdown under load, clear start-up errors, and the same portal on PostgreSQL.
# Usage: foundation.sh /path/to/opendvc   (OPENDVC_E2E_POSTGRES_URL=postgres://… to include PostgreSQL)
set -uo pipefail
BIN=${1:?usage: foundation.sh /path/to/opendvc}
WORK=$(mktemp -d /tmp/opendvc-e2e.XXXXXX)
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"


start_server() { # name, extra args…
    local name=$1; shift
    PORT=$(free_port)
    BASE="http://127.0.0.1:$PORT"
    (cd "$WORK" && exec "$BIN" serve --port "$PORT" "$@" >"$WORK/$name.log" 2>&1) &
    SERVER_PID=$!
    wait_ready "$BASE"
}

stop_server() { # returns the exit status of the server after SIGTERM
    kill -TERM "$SERVER_PID"
    wait "$SERVER_PID"
    local status=$?
    SERVER_PID=""
    return $status
}

portal_checks() { # engine name
    local engine=$1 home
    home=$(curl -fs "$BASE/")
    check "$engine: home page is Vietnamese" grep -q '<html lang="vi">' <<<"$home"
    check "$engine: home page asks what to do" grep -q 'Bạn cần làm thủ tục gì?' <<<"$home"
    check "$engine: home page lists birth registration" grep -q 'href="/thu-tuc/1.001193" lang="vi">Đăng ký khai sinh<' <<<"$home"
    check "$engine: home page has dossier lookup" grep -q 'action="/tra-cuu"' <<<"$home"
    check "$engine: healthz" grep -q '"status":"ok"' <<<"$(curl -fs "$BASE/healthz")"
    local ready
    ready=$(curl -fs "$BASE/readyz")
    check "$engine: readyz ready on $engine" grep -q "\"database\":\"$engine\".*\"status\":\"ready\"" <<<"$ready"
    check "$engine: search without accents" grep -q '/thu-tuc/1.001193' <<<"$(curl -fs "$BASE/thu-tuc?q=dang+ky+khai+sinh")"
    check "$engine: English page" grep -q '<html lang="en">' <<<"$(curl -fs "$BASE/?lang=en")"
    check "$engine: metrics count the home page" grep -q 'http_requests_total{route="/",method="GET",status="200"}' \
        <<<"$(curl -fs "$BASE/metrics")"
    local status
    status=$(curl -s -o /dev/null -w '%{http_code}' "$BASE/tra-cuu?code=%3Cscript%3E")
    check "$engine: a malformed dossier code is a 400 ($status)" test "$status" = 400
    status=$(curl -s -o /dev/null -w '%{http_code}' "$BASE/api/v1/nothing")
    check "$engine: unknown API route is a JSON 404 ($status)" test "$status" = 404
}

echo "== fresh data directory, SQLite"
if start_server sqlite; then
    pass "server starts on a fresh data directory"
    check "data/opendvc.sqlite created" test -f "$WORK/data/opendvc.sqlite"
    check "attachments folder created" test -d "$WORK/data/attachments"
    portal_checks sqlite
    check "no personal data or query strings in request logs" bash -c "! grep -q 'script' '$WORK/sqlite.log'"
    jar="$WORK/cookies"
    token=$(curl -s -c "$jar" -b "$jar" "$BASE/dang-ky" | grep -o 'name="csrf_token" value="[0-9a-f]*"' | head -1 | sed 's/.*value="//; s/"//')
    status=$(curl -s -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" -d 'account_type=citizen' "$BASE/dang-ky")
    check "a form posted without its CSRF token is refused ($status)" test "$status" = 403
    status=$(curl -s -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" --data-urlencode "csrf_token=$token" \
        --data-urlencode 'full_name=Nguyễn Văn An' -d 'account_type=citizen&personal_id=001090001234&birth_date=1990-03-27' \
        -d 'sex=male&phone=0912345678&email=an@example.vn&province_code=01' \
        -d 'password=trau+oi+ta+bao+trau&password_confirm=trau+oi+ta+bao+trau' "$BASE/dang-ky")
    check "a citizen registers ($status)" test "$status" = 303
    check "and sees the account page" grep -q '<dd>Nguyễn Văn An</dd>' <<<"$(curl -s -c "$jar" -b "$jar" "$BASE/tai-khoan")"
    check "the ID number is in no log line" bash -c "! grep -q 001090001234 '$WORK/sqlite.log'"

    echo "== SIGTERM while requests are in flight"
    : >"$WORK/codes"
    before=$(grep -c 'route=/thu-tuc status=200' "$WORK/sqlite.log")
    for worker in 1 2 3 4 5 6; do
        (
            for _ in $(seq 1 400); do
                curl -s -o /dev/null -w '%{http_code} %{exitcode}\n' "$BASE/thu-tuc?q=dang+ky" >>"$WORK/codes"
            done
        ) &
    done
    sleep 1.5
    stop_server
    status=$?
    wait
    check "server exits 0 after SIGTERM (got $status)" test "$status" = 0
    completed=$(grep -c '^200 0$' "$WORK/codes")
    answered=$(($(grep -c 'route=/thu-tuc status=200' "$WORK/sqlite.log") - before))
    other=$(grep -v -E '^(200 0|000 (7|52|56))$' "$WORK/codes" | sort | uniq -c | tr '\n' ';')
    check "requests completed before shutdown ($completed)" test "$completed" -gt 0
    # Every request the server handled reached its client whole. A connection accepted just as shutdown began, whose
    # request the server never read, is closed without an answer (curl 52/56): no handler ran, nothing was lost.
    check "every handled request was delivered (server $answered, clients $completed)" test "$answered" = "$completed"
    check "no error answers (${other:-none})" test -z "$other"
    check "shutdown logged" grep -q 'Server shut down\|job worker stopped' "$WORK/sqlite.log"
else
    fail "server starts on a fresh data directory"; cat "$WORK/sqlite.log"
fi

echo "== restart on the same data keeps the data and does not reload the demo"
if start_server sqlite-again; then
    check "restart is ready" true
    check "demo not loaded twice" bash -c "! grep -q 'demo catalogue loaded' '$WORK/sqlite-again.log'"
    stop_server; check "second stop exits 0" test $? = 0
else
    fail "restart on the same data"
fi
check "SQLite integrity" test "$(sqlite3 "$WORK/data/opendvc.sqlite" 'PRAGMA integrity_check')" = ok
check "SQLite in WAL mode" test "$(sqlite3 "$WORK/data/opendvc.sqlite" 'PRAGMA journal_mode')" = wal

echo "== bad configuration"
out=$(cd "$WORK" && "$BIN" serve --port abc 2>&1); status=$?
check "--port abc exits non-zero ($status)" test "$status" -ne 0
check "--port abc says one line naming the key" test "$(wc -l <<<"$out")" = 1 -a -n "$(grep 'opendvc.port' <<<"$out")"
out=$(cd "$WORK" && OPENDVC_PORT=99999 "$BIN" serve 2>&1); status=$?
check "OPENDVC_PORT=99999 refused ($status)" test "$status" -ne 0 -a "$(wc -l <<<"$out")" = 1
out=$(cd "$WORK" && "$BIN" serve --db-url postgres://nobody:secret@127.0.0.1:1/none 2>&1); status=$?
check "unreachable database exits non-zero ($status)" test "$status" -ne 0
check "unreachable database gives one line ($out)" test "$(wc -l <<<"$out")" = 1
check "the password is not shown" bash -c "! grep -q secret <<<'$out'"
out=$(cd "$WORK" && "$BIN" serve --db-url mysql://x 2>&1); status=$?
check "unsupported database URL refused ($status)" test "$status" -ne 0 -a "$(wc -l <<<"$out")" = 1

echo "== commands"
out=$(cd "$WORK" && "$BIN" migrate --data-dir "$WORK/other" 2>/dev/null)
check "migrate on a new data directory ($out)" grep -q 'schema at version' <<<"$out"
out=$(cd "$WORK" && "$BIN" create-admin --email admin@example.gov.vn --password 'mot mat khau dai' --data-dir "$WORK/other" 2>/dev/null)
check "create-admin ($out)" grep -q 'Administrator account 1 created' <<<"$out"
out=$(cd "$WORK" && "$BIN" create-admin --email admin@example.gov.vn --password 'mot mat khau dai' --data-dir "$WORK/other" 2>&1); status=$?
check "create-admin twice is refused ($out)" test "$status" -ne 0 -a -n "$(grep 'already exists' <<<"$out")"
out=$("$BIN" calendar add --from 2026-04-29T16:00 --working-hours 2 | tail -n 1)
check "calendar add across 30 April and 1 May ($out)" test "$out" = "2026-05-04T08:00:00+07:00"
out=$(cd "$WORK" && "$BIN" holidays export --data-dir "$WORK/other" 2>/dev/null)
check "holidays export prints the built-in table" grep -q '^2026-02-17,holiday,' <<<"$out"
printf '%s\n2027-06-14,compensatory_day_off,Nghỉ thêm,Extra day off,announced\n' "$out" >"$WORK/holidays.csv"
out=$(cd "$WORK" && "$BIN" holidays import "$WORK/holidays.csv" --data-dir "$WORK/other" 2>&1)
check "holidays import stores a new schedule ($out)" grep -q 'days stored' <<<"$out"
check "the new day is in force" grep -q '^2027-06-14,compensatory_day_off' <<<"$(cd "$WORK" && "$BIN" holidays export --data-dir "$WORK/other")"
printf 'date,kind,name_vi,name_en\n2027-13-01,holiday,X,X\n' >"$WORK/bad-holidays.csv"
out=$(cd "$WORK" && "$BIN" holidays import "$WORK/bad-holidays.csv" --data-dir "$WORK/other" 2>&1); status=$?
check "a bad holiday file is refused with its line ($out)" test "$status" -ne 0 -a -n "$(grep 'Line 2' <<<"$out")"
for command in serve worker migrate create-admin jobs calendar import holidays; do
    check "$command --help" grep -q "USAGE: opendvc $command" <<<"$("$BIN" "$command" --help 2>&1)"
done

if [ -n "${OPENDVC_E2E_POSTGRES_URL:-}" ]; then
    echo "== PostgreSQL"
    db="opendvc_e2e_$$"
    psql -q "$OPENDVC_E2E_POSTGRES_URL" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
    PG_URL="${OPENDVC_E2E_POSTGRES_URL%/*}/$db"
    if start_server postgres --db-url "$PG_URL" --data-dir "$WORK/pgdata"; then
        pass "server starts on PostgreSQL"
        portal_checks postgres
        (cd "$WORK" && exec "$BIN" worker --db-url "$PG_URL" --data-dir "$WORK/pgdata" >"$WORK/worker.log" 2>&1) &
        WORKER_PID=$!
        sleep 2
        check "a worker process runs beside the server" kill -0 "$WORKER_PID"
        PORT2=$(free_port)
        (cd "$WORK" && exec "$BIN" serve --no-worker --port "$PORT2" --db-url "$PG_URL" --data-dir "$WORK/pgdata" >"$WORK/postgres2.log" 2>&1) &
        SECOND_PID=$!
        for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$PORT2/readyz" >/dev/null 2>&1 && break; sleep 0.2; done
        check "a second serve process on the same database" grep -q 'Đăng ký khai sinh' <<<"$(curl -fs "http://127.0.0.1:$PORT2/")"
        kill -TERM "$SECOND_PID"; wait "$SECOND_PID"; check "second server exits 0" test $? = 0
        kill -TERM "$WORKER_PID"; wait "$WORKER_PID"; check "worker exits 0 on SIGTERM" test $? = 0
        stop_server; check "PostgreSQL server exits 0 on SIGTERM" test $? = 0
    else
        fail "server starts on PostgreSQL"; cat "$WORK/postgres.log"
    fi
    psql -q "$OPENDVC_E2E_POSTGRES_URL" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
fi

finish
