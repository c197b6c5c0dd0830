# Shared helpers of the end-to-end scripts: counting checks, free ports, waiting for readiness.
# The sourcing script sets WORK and may set SERVER_PID; it calls finish at the end.
FAILED=0
PASSED=0
SERVER_PID=""

pass() { PASSED=$((PASSED + 1)); printf '  ok   %s\n' "$*"; }
fail() { FAILED=$((FAILED + 1)); printf '  FAIL %s\n' "$*"; }
check() { local what=$1; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }

cleanup() {
    [ -n "$SERVER_PID" ] && kill -9 "$SERVER_PID" 2>/dev/null
    if [ "$FAILED" -ne 0 ]; then echo "--- logs kept in $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# wait_ready BASE_URL: until /readyz answers, while the server process lives.
wait_ready() {
    for _ in $(seq 1 150); do
        curl -fs "$1/readyz" >/dev/null 2>&1 && return 0
        [ -n "$SERVER_PID" ] && ! kill -0 "$SERVER_PID" 2>/dev/null && return 1
        sleep 0.2
    done
    return 1
}

finish() {
    echo "$PASSED passed, $FAILED failed"
    [ "$FAILED" -eq 0 ]
}
