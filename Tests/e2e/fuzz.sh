#!/usr/bin/env bash
# Property-based fuzzing of the JSON API against its own OpenAPI document, with schemathesis and every check on:
# no server errors, answers that match the declared status codes, content types, headers and schemas, schema-valid
# requests accepted and schema-violating ones refused, secured operations refusing requests without the token,
# 405 with Allow for methods a path does not have. The agency operations get a real bearer token.
# Usage: fuzz.sh /path/to/opendvc
#   OPENDVC_E2E_FUZZ_EXAMPLES=N   test cases per operation and phase (default 40)
#   OPENDVC_E2E_FUZZ_SEED=N       replay a run (the seed is printed)
#   OPENDVC_E2E_FUZZ_SPEC=FILE    fuzz with this document instead of the one the server serves (a spec being edited)
#   OPENDVC_E2E_ARTIFACTS=DIR     where the server log and the reports are kept on failure
# Needs `st` (python3 -m pip install schemathesis).
set -uo pipefail
BIN=$(realpath "${1:?usage: fuzz.sh /path/to/opendvc}")
WORK=$(mktemp -d /tmp/opendvc-e2e-fuzz.XXXXXX)
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
EXAMPLES=${OPENDVC_E2E_FUZZ_EXAMPLES:-40}
SEED=${OPENDVC_E2E_FUZZ_SEED:-$((RANDOM * 32768 + RANDOM))}

keep_artifacts() {
    if [ -n "${OPENDVC_E2E_ARTIFACTS:-}" ]; then
        mkdir -p "$OPENDVC_E2E_ARTIFACTS/fuzz" && cp -r "$WORK"/. "$OPENDVC_E2E_ARTIFACTS/fuzz/"
        echo "--- artifacts in $OPENDVC_E2E_ARTIFACTS/fuzz"
    fi
}

if ! command -v st >/dev/null 2>&1; then
    fail "schemathesis is installed (python3 -m pip install schemathesis)"
    finish
    exit 1
fi

export OPENDVC_BCRYPT_COST=4
# The public lookup is rate-limited per address; the fuzzer is one address.
export OPENDVC_LOOKUP_PER_MINUTE=1000000
PORT=$(free_port)
BASE="http://127.0.0.1:$PORT"
DATA="$WORK/data"
(cd "$WORK" && exec "$BIN" serve --port "$PORT" --data-dir "$DATA" >"$WORK/server.log" 2>&1) &
SERVER_PID=$!
if ! wait_ready "$BASE"; then
    fail "the server starts"
    keep_artifacts
    finish
    exit 1
fi
pass "the server starts"

# The spec's examples use agency 000.00.61.H29: the token acts for it, so the example sync batch applies.
"$BIN" agency add-client --data-dir "$DATA" --agency 000.00.61.H29 --name fuzz >"$WORK/client.out" 2>&1
TOKEN=$(tail -1 "$WORK/client.out")
check "an agency client is created" bash -c '[[ "$1" =~ ^[0-9a-f]{64}$ ]]' _ "$TOKEN"

# The dossier of the spec's lookup example exists, so the lookup's 200 answer is checked against its schema too.
seed_batch='{"items":[{"dossier_code":"000.00.61.H29-250701-0001","procedure_code":"1.001193","agency":"000.00.61.H29",
 "applicant":{"type":1,"id":"001090001234","name":"Nguyễn Văn An"},"channel":1,"received_at":"2025-07-01T08:00:00+07:00",
 "due_at":"2025-07-02T17:00:00+07:00","status":2,"event_id":"seed-1","event_at":"2025-07-01T08:00:00+07:00"}]}'
answer=$(curl -s "$BASE/api/v1/sync/dossiers" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    --data-binary "$seed_batch")
check "the example dossier is synced" grep -q '"accepted":1' <<<"$answer"

# Where the server is right and the contract cannot say it in a schema:
# - the payment gateway's callback and the national-portal connector answer every request with HTTP 200 and say
#   what was wrong in the body (their protocols require it), so a schema-violating request gets a 200 there;
# - a sync batch whose items break the item schema is a 200 with those items "rejected" (one bad item never fails
#   the batch); a body that is not {"items":[…]} is still a 400;
# - a statistics period may not be reversed or longer than ten years (a rule across two parameters): a 400.
cat >"$WORK/schemathesis.toml" <<'EOF'
[auth.openapi.agencyToken]
bearer = "${OPENDVC_FUZZ_TOKEN}"

[[operations]]
include-operation-id = ["paymentCallback", "legacyLogin", "legacyCall"]
checks.negative_data_rejection.expected-statuses = ["200", "400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428", "429"]

[[operations]]
include-operation-id = "syncDossiers"
checks.negative_data_rejection.expected-statuses = ["200", "400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428", "429"]

[[operations]]
include-operation-id = ["getStatsAgencies", "getStatsAgenciesCSV", "getStatsProcedures"]
checks.positive_data_acceptance.expected-statuses = ["2xx", "400"]
EOF

SPEC="$BASE/openapi.yaml"
[ -n "${OPENDVC_E2E_FUZZ_SPEC:-}" ] && SPEC=$(realpath "$OPENDVC_E2E_FUZZ_SPEC")
echo "== schemathesis: $EXAMPLES examples per operation, seed $SEED, $SPEC"
started=$(date +%s)
(
    cd "$WORK" && OPENDVC_FUZZ_TOKEN="$TOKEN" exec timeout 170 st --config-file "$WORK/schemathesis.toml" run \
        "$SPEC" --url "$BASE" --checks all --max-examples "$EXAMPLES" --seed "$SEED" --workers 2 \
        --generation-database none --request-timeout 20 --no-color --output-truncate false \
        --report junit,har --report-dir "$WORK/reports"
) >"$WORK/schemathesis.out" 2>&1
status=$?
echo "   ($(($(date +%s) - started)) s, exit $status; output in schemathesis.out)"
check "schemathesis finished in time (exit $status)" test "$status" -ne 124
# One line per operation and kind of failure, with the way to reproduce it.
summary=$(python3 - "$WORK/schemathesis.out" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8", errors="replace").read()
failures = text.split("= FAILURES =", 1)[1].split("= SUMMARY =", 1)[0] if "= FAILURES =" in text else ""
operation, seen = None, []
for line in failures.splitlines():
    header = re.match(r"^_+ (.+?) _+$", line)
    if header:
        operation = header.group(1)
        continue
    kind = re.match(r"^- (ST\d+ .+|.*[Ee]rror.*)$", line.strip())
    if kind and operation and (operation, kind.group(1)) not in seen:
        seen.append((operation, kind.group(1)))
for operation, kind in seen:
    print(f"{operation}: {kind}")
PY
)
if [ "$status" -eq 0 ]; then
    pass "schemathesis: no failures ($(grep -o '[0-9]* generated' "$WORK/schemathesis.out" | head -1) test cases)"
else
    fail "schemathesis reports failures (see below; replay with OPENDVC_E2E_FUZZ_SEED=$SEED)"
    while IFS= read -r line; do [ -n "$line" ] && printf '       %s\n' "$line"; done <<<"$summary"
    sed -n '/= SUMMARY =/,$p' "$WORK/schemathesis.out" | grep -E 'ST[0-9]+|rror|generated' | sed 's/^/       /'
fi
check "the server is still up after fuzzing" curl -fs -o /dev/null "$BASE/readyz"
check "no unexpected error in the server log" bash -c '! grep -q "unexpected error" "$1"' _ "$WORK/server.log"
check "no token in the server log" bash -c '! grep -q "$2" "$1"' _ "$WORK/server.log" "$TOKEN"

kill -TERM "$SERVER_PID"
wait "$SERVER_PID"
code=$?
SERVER_PID=""
check "the server exits 0 on SIGTERM ($code)" test "$code" = 0
[ "$FAILED" -ne 0 ] && keep_artifacts
finish
