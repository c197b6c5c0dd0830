#!/usr/bin/env bash
# End-to-end check of an online dossier against the real binary, as a browser would do it with curl: a citizen
# registers, uploads, submits; an officer is created on the command line, enrols in two-factor and receives the
# dossier; the job worker delivers the e-mail to the development outbox; the public lookup shows the timeline;
# the access log verifies and the attachment sweep runs.
# Usage: dossiers.sh /path/to/opendvc
set -uo pipefail
BIN=${1:?usage: dossiers.sh /path/to/opendvc}
WORK=$(mktemp -d /tmp/opendvc-e2e-dossiers.XXXXXX)
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

export OPENDVC_BCRYPT_COST=4
PORT=$(free_port)
BASE="http://127.0.0.1:$PORT"
DATA="$WORK/data"
(cd "$WORK" && exec "$BIN" serve --port "$PORT" --data-dir "$DATA" >"$WORK/server.log" 2>&1) &
SERVER_PID=$!
if ! wait_ready "$BASE"; then
    fail "the server starts"
    finish
    exit 1
fi

csrf_of() { grep -o 'name="csrf_token" value="[0-9a-f]*"' | head -1 | sed 's/.*value="//; s/"//'; }
location() { grep -i '^location:' | tr -d '\r' | sed 's/^[Ll]ocation: //'; }

CITIZEN="$WORK/citizen.jar"
token=$(curl -s -c "$CITIZEN" "$BASE/dang-ky" | csrf_of)
curl -s -o /dev/null -b "$CITIZEN" -c "$CITIZEN" "$BASE/dang-ky" \
    --data-urlencode account_type=citizen --data-urlencode personal_id=001090001234 \
    --data-urlencode "full_name=Nguyễn Văn An" --data-urlencode birth_date=1990-03-27 --data-urlencode sex=male \
    --data-urlencode phone=0912345678 --data-urlencode email=an@example.vn --data-urlencode province_code=01 \
    --data-urlencode "password=trâu ơi ta bảo trâu này" --data-urlencode "password_confirm=trâu ơi ta bảo trâu này" \
    --data-urlencode "csrf_token=$token"
token=$(curl -s -b "$CITIZEN" "$BASE/tai-khoan" | csrf_of)
check "the citizen is signed in" test -n "$token"

ref=$(curl -s -D - -o /dev/null -b "$CITIZEN" "$BASE/ho-so" --data-urlencode procedure_code=1.001193 \
    --data-urlencode agency_code=000.00.61.H29 --data-urlencode "csrf_token=$token" | location | sed 's|/ho-so/||')
check "a draft is created" test "${#ref}" -eq 32

printf '%%PDF-1.4\n%% to khai\n%%%%EOF\n' >"$WORK/to-khai.pdf"
printf '%%PDF-1.4\n%% sneaky\n' >"$WORK/anh.png"
status=$(curl -s -o /dev/null -w '%{http_code}' -b "$CITIZEN" "$BASE/ho-so/$ref/tep" -F "csrf_token=$token" -F slot=0 \
    -F "file=@$WORK/to-khai.pdf;filename=Tờ khai.pdf")
check "a PDF uploads into the first slot (303)" test "$status" = 303
body=$(curl -s -w '\n%{http_code}' -b "$CITIZEN" "$BASE/ho-so/$ref/tep" -F "csrf_token=$token" -F slot=1 \
    -F "file=@$WORK/anh.png")
check "a PDF named .png is refused with a reason (422)" \
    bash -c '[[ "$1" == *"phần mở rộng .png"* && "$1" == *422 ]]' _ "$body"
status=$(curl -s -o /dev/null -w '%{http_code}' -b "$CITIZEN" "$BASE/ho-so/$ref/tep" -F slot=0 -F "file=@$WORK/to-khai.pdf")
check "an upload without the CSRF field is refused (403)" test "$status" = 403
blobs=$(find "$DATA/attachments/sha256" -type f | wc -l)
check "only the accepted file is stored" test "$blobs" -eq 1

curl -s -o /dev/null -b "$CITIZEN" "$BASE/ho-so/$ref/luu" --data-urlencode "request_details=Khai sinh cho con" \
    --data-urlencode next=review --data-urlencode "csrf_token=$token"
next=$(curl -s -D - -o /dev/null -b "$CITIZEN" "$BASE/ho-so/$ref/nop" --data-urlencode "csrf_token=$token" | location)
check "submission leads to the receipt" test "$next" = "/ho-so/$ref/bien-nhan"
code=$(curl -s -b "$CITIZEN" "$BASE/ho-so/$ref/bien-nhan" | grep -o 'class="dossier-code">[^<]*' | sed 's/.*>//')
check "the receipt shows a dossier code ($code)" bash -c '[[ "$1" =~ ^000\.00\.61\.H29-[0-9]{6}-0001$ ]]' _ "$code"

"$BIN" create-officer --data-dir "$DATA" --email canbo@example.gov.vn --password "mật khẩu cán bộ" \
    --name "Trần Thị Bình" --agency 000.00.61.H29 >"$WORK/officer.out" 2>&1
check "create-officer works while the server runs" grep -q "Officer account" "$WORK/officer.out"
"$BIN" create-officer --data-dir "$DATA" --email x@example.gov.vn --password "mật khẩu cán bộ" \
    --name "X" --agency 999.99.99.Z99 >"$WORK/officer-bad.out" 2>&1
check "an unknown agency is refused naming the field" grep -q "agency: no agency has the code" "$WORK/officer-bad.out"

OFFICER="$WORK/officer.jar"
token=$(curl -s -c "$OFFICER" "$BASE/dang-nhap" | csrf_of)
curl -s -o /dev/null -b "$OFFICER" -c "$OFFICER" "$BASE/dang-nhap" --data-urlencode login=canbo@example.gov.vn \
    --data-urlencode "password=mật khẩu cán bộ" --data-urlencode "csrf_token=$token"
where=$(curl -s -D - -o /dev/null -b "$OFFICER" "$BASE/can-bo" | location)
check "the officer is sent to two-factor first" test "$where" = /xac-thuc-hai-buoc
page=$(curl -s -b "$OFFICER" "$BASE/xac-thuc-hai-buoc")
secret=$(grep -o '<code class="secret">[^<]*' <<<"$page" | sed 's/.*>//; s/ //g')
token=$(csrf_of <<<"$page")
otp=$(python3 - "$secret" <<'PY'
import base64, hashlib, hmac, struct, sys, time
secret = sys.argv[1] + "=" * ((8 - len(sys.argv[1]) % 8) % 8)
digest = hmac.new(base64.b32decode(secret), struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
offset = digest[-1] & 15
print("%06d" % ((struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1000000))
PY
)
page=$(curl -s -b "$OFFICER" "$BASE/xac-thuc-hai-buoc" --data-urlencode "code=$otp" --data-urlencode "csrf_token=$token")
check "a code from an authenticator app enrols and shows recovery codes" grep -q "recovery-codes" <<<"$page"
inbox=$(curl -s -b "$OFFICER" "$BASE/can-bo")
check "the officer's inbox lists the dossier" grep -q "$code" <<<"$inbox"
dossier=$(curl -s -b "$OFFICER" "$BASE/can-bo/ho-so/$ref")
version=$(grep -o 'name="version" value="[0-9]*"' <<<"$dossier" | head -1 | sed 's/.*value="//; s/"//')
token=$(csrf_of <<<"$dossier")
status=$(curl -s -o /dev/null -w '%{http_code}' -b "$OFFICER" "$BASE/can-bo/ho-so/$ref/xu-ly" \
    --data-urlencode action=receive --data-urlencode "version=$version" --data-urlencode "csrf_token=$token")
check "the officer receives it (303)" test "$status" = 303
status=$(curl -s -o /dev/null -w '%{http_code}' -b "$OFFICER" "$BASE/can-bo/ho-so/$ref/xu-ly" \
    --data-urlencode action=process --data-urlencode "version=$version" --data-urlencode "csrf_token=$token")
check "the same action on a stale version is a conflict (409)" test "$status" = 409

json=$(curl -s "$BASE/api/v1/dossiers/$code/status")
check "the public lookup shows status 2 and the timeline" python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["status"]["code"] == 2 and [s["status"] for s in d["timeline"]] == [1, 2], d
assert d["due_at"] and "Nguyễn" not in sys.argv[1] and "001090001234" not in sys.argv[1]' "$json"
for _ in $(seq 1 50); do
    [ "$(find "$DATA/outbox" -name '*-email.txt' 2>/dev/null | wc -l)" -ge 2 ] && break
    sleep 0.2
done
check "the worker delivered both e-mails to data/outbox" \
    test "$(grep -l 'To: an@example.vn' "$DATA"/outbox/*-email.txt 2>/dev/null | wc -l)" -ge 2
check "no ID number or name in the server log" bash -c '! grep -q -e 001090001234 -e "Nguyễn Văn An" "$1"' _ "$WORK/server.log"

# An agency's one-stop system reports a dossier received at its counter.
"$BIN" agency add-client --data-dir "$DATA" --agency 000.00.62.H29 --name mot-cua-xa >"$WORK/client.out" 2>&1
token=$(tail -1 "$WORK/client.out")
check "agency add-client prints a token on its last line" bash -c '[[ "$1" =~ ^[0-9a-f]{64}$ ]]' _ "$token"
batch='{"items":[{"dossier_code":"000.00.62.H29-250701-0007","procedure_code":"1.001193","agency":"000.00.62.H29",
 "applicant":{"type":1,"id":"001090001234","name":"Nguyễn Văn An"},"channel":1,"received_at":"2025-07-01T08:00:00+07:00",
 "due_at":"2025-07-02T17:00:00+07:00","status":2,"event_id":"ev-1","event_at":"2025-07-01T08:00:00+07:00"},
 {"dossier_code":"000.00.62.H29-250701-0007","procedure_code":"1.001193","agency":"000.00.61.H29",
 "applicant":{"type":1,"id":"1","name":"A"},"channel":1,"status":4,"event_id":"ev-2","event_at":"2025-07-01T09:00:00+07:00"}]}'
answer=$(curl -s "$BASE/api/v1/sync/dossiers" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -H 'Idempotency-Key: lan-1' --data-binary "$batch")
check "a sync batch applies the good item and names the bad one's field" python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["accepted"] == 1 and d["rejected"] == 1, d
assert d["results"][1]["error"]["field"] == "agency", d' "$answer"
again=$(curl -s "$BASE/api/v1/sync/dossiers" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -H 'Idempotency-Key: lan-1' --data-binary "$batch")
check "the same Idempotency-Key and body get the same answer" test "$answer" = "$again"
status=$(curl -s -o /dev/null -w '%{http_code}' "$BASE/api/v1/sync/dossiers" -H 'Content-Type: application/json' --data-binary "$batch")
check "a batch without a token is refused (401)" test "$status" = 401
json=$(curl -s "$BASE/api/v1/dossiers/000.00.62.H29-250701-0007/status")
check "the synced dossier can be looked up" python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["status"]["code"] == 2 and d["received_at"].startswith("2025-07-01T08:00:00"), d' "$json"

echo "== Statistics"
"$BIN" stats refresh --data-dir "$DATA" >"$WORK/stats.out" 2>&1
check "opendvc stats refresh reports its time" grep -q "Statistics refreshed in" "$WORK/stats.out"
json=$(curl -s "$BASE/api/v1/stats/agencies?from=2025-07-01&to=2025-07-31")
check "the synced agency appears in the July 2025 figures" python3 -c '
import json, sys
d = json.loads(sys.argv[1])
a = [x for x in d["agencies"] if x["agency_code"] == "000.00.62.H29"]
assert len(a) == 1 and a[0]["received"] == 1 and a[0]["rank"] >= 1, d' "$json"
json=$(curl -s "$BASE/api/v1/stats/summary")
check "the summary counts the applied sync event and the portal views" python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["status_syncs"] >= 1 and d["hits"] > 0 and d["agencies_syncing"] == 1 and d["accounts"] >= 1, d' "$json"
page=$(curl -s "$BASE/thong-ke?tu=2025-07-01&den=2025-07-31")
check "the statistics page draws its charts with tables behind them" \
    bash -c 'grep -q "<svg" <<<"$1" && grep -q "<tr><td>07/2025</td><td>1</td></tr>" <<<"$1"' _ "$page"
check "the agencies CSV has a header and the agency" \
    bash -c 'curl -s "$1" | grep -q "^1,000.00.62.H29,"' _ "$BASE/api/v1/stats/agencies.csv?from=2025-07-01&to=2025-07-31"

kill -TERM "$SERVER_PID"
wait "$SERVER_PID"
SERVER_PID=""
"$BIN" audit verify --data-dir "$DATA" >"$WORK/audit.out" 2>&1
check "opendvc audit verify finds the chain intact" grep -q "Access log intact" "$WORK/audit.out"
"$BIN" attachments sweep --data-dir "$DATA" >"$WORK/sweep.out" 2>&1
check "opendvc attachments sweep keeps the referenced file" grep -q "kept 1" "$WORK/sweep.out"
finish
