#!/usr/bin/env bash
# End-to-end checks of the catalogue as a newcomer meets it: the README's import commands against ../shared/data on a
# fresh data directory, bad files refused with file:line and nothing written, then search on the web page and the
# JSON API checked against the OpenAPI document.
# Usage: catalogue.sh /path/to/opendvc /path/to/shared/data
set -uo pipefail
BIN=${1:?usage: catalogue.sh /path/to/opendvc /path/to/shared/data}
DATA=${2:?usage: catalogue.sh /path/to/opendvc /path/to/shared/data}
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d /tmp/opendvc-e2e-catalogue.XXXXXX)
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
cd "$WORK"
count() { sqlite3 "$WORK/data/opendvc.sqlite" "SELECT COUNT(*) FROM $1"; }

echo "== imports on a fresh data directory"
out=$("$BIN" import units "$DATA/vn-admin-units-2025" --legacy "$DATA/vn-admin-units-legacy" \
    --mapping "$DATA/vn-admin-units-mapping-2025" 2>&1)
check "units import ($(tr '\n' ';' <<<"$out"))" grep -q 'communes: 3321 read, 3321 inserted' <<<"$out"
out=$("$BIN" import agencies "$DATA/vn-agency-codes/agency_codes.csv" 2>&1)
check "agencies import ($out)" grep -q 'agencies: 86 read, 86 inserted' <<<"$out"

# A copy of the catalogue whose second record has a bad code, and one in Latin-1.
python3 - "$DATA/vn-admin-procedures/procedures.csv" "$WORK" <<'PY'
import csv, io, sys
source, work = sys.argv[1], sys.argv[2]
text = open(source, encoding="utf-8", newline="").read()
rows = list(csv.reader(io.StringIO(text, newline="")))
rows[2][0] = "abc"
with open(f"{work}/bad.csv", "w", encoding="utf-8", newline="") as out:
    csv.writer(out, lineterminator="\n").writerows(rows)
open(f"{work}/latin1.csv", "wb").write("ma_thu_tuc,ten_thu_tuc\n1.001193,Đăng ký\n".encode("utf-8").replace("Đăng ký".encode(), "Caf\xe9".encode("latin-1")))
PY
line=$(python3 -c "
import csv,sys
r=csv.reader(open('$WORK/bad.csv',newline='',encoding='utf-8')); next(r); next(r); print(r.line_num+1)")
out=$("$BIN" import procedures "$WORK/bad.csv" 2>&1); status=$?
check "a bad row stops the import ($status)" test "$status" -ne 0
check "the bad row is reported as file:line ($(head -1 <<<"$out"))" grep -q "bad.csv:$line: ma_thu_tuc 'abc'" <<<"$out"
check "nothing was imported" test "$(count procedures)" = 0
out=$("$BIN" import procedures "$WORK/latin1.csv" 2>&1); status=$?
check "a Latin-1 file is refused with its line ($out)" grep -q 'latin1.csv:2:' <<<"$out"
out=$("$BIN" import procedures "$WORK/bad.csv" --skip-bad 2>&1)
check "--skip-bad imports the rest ($(tail -1 <<<"$out"))" grep -q 'procedures: 2642 read, 2641 inserted, 0 updated, 1 skipped' <<<"$out"
out=$("$BIN" import procedures "$DATA/vn-admin-procedures/procedures.csv" \
    --details "$DATA/vn-admin-procedures/procedures_detail.jsonl.gz" 2>&1)
check "procedures import with details ($out)" grep -q 'procedures: 2642 read, 1 inserted, 2641 updated, 0 skipped' <<<"$out"
check "2,642 procedures stored" test "$(count procedures)" = 2642
check "3,321 communes stored" test "$(count communes)" = 3321

echo "== the web portal over the imported catalogue"
PORT=$(free_port)
BASE="http://127.0.0.1:$PORT"
"$BIN" serve --port "$PORT" >"$WORK/serve.log" 2>&1 &
SERVER_PID=$!
wait_ready "$BASE"
check "the demo is not loaded over an imported catalogue" test "$(count procedures)" = 2642
page=$(curl -fs "$BASE/thu-tuc?q=dang+ky+khai+sinh")
check "search page ranks birth registration first, highlighted" \
    grep -q 'class="result-title"><a href="/thu-tuc/1.001193" lang="vi"><mark>đăng</mark> <mark>ký</mark> <mark>khai</mark> <mark>sinh</mark>' \
    <<<"$(sed 's/Thủ tục //' <<<"$page")"
check "Telex typing finds it too" grep -q '/thu-tuc/1.001193' <<<"$(curl -fs "$BASE/thu-tuc?q=ddawng+kys+khai+sinh")"
check "the procedure page shows the imported documents" grep -q 'Giấy tờ cần nộp' <<<"$(curl -fs "$BASE/thu-tuc/1.001193")"
communes=$(curl -fs "$BASE/api/v1/units/provinces/01/communes")
check "Hà Nội has 126 communes in the API" grep -q '"total":126' <<<"$communes"
python3 "$HERE/check_api.py" "$BASE" && pass "API answers match the OpenAPI document" || fail "API answers match the OpenAPI document"
kill -TERM "$SERVER_PID"; wait "$SERVER_PID"; check "server exits 0" test $? = 0; SERVER_PID=""

finish
