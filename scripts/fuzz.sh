#!/usr/bin/env bash
# Schema-driven fuzzing of a live Parcours server with schemathesis.
#
# Starts .build/debug/parcours (built by `swift build`; this script builds nothing) on a free
# loopback port with a fresh temporary database, seeds a small dataset through the API so path
# ids like 1 exist, then runs schemathesis against the served /openapi.json. Fails on any 5xx
# and on any response that contradicts the document. The server is always stopped.
#
#   scripts/fuzz.sh                      # uses schemathesis from PATH or .build/venv
#   FUZZ_EXAMPLES=25 FUZZ_MAX_TIME=210 FUZZ_SEED=1 scripts/fuzz.sh   # the defaults
#   FUZZ_KEEP=1 scripts/fuzz.sh         # keep the database, server logs, metrics and report
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="${PARCOURS_BIN:-$ROOT/.build/debug/parcours}"
EXAMPLES="${FUZZ_EXAMPLES:-25}"
MAX_TIME="${FUZZ_MAX_TIME:-210}"
ST="${SCHEMATHESIS:-}"
if [ -z "$ST" ]; then
  if [ -x "$ROOT/.build/venv/bin/schemathesis" ]; then ST="$ROOT/.build/venv/bin/schemathesis"
  elif command -v schemathesis >/dev/null; then ST="$(command -v schemathesis)"
  else echo "fuzz: schemathesis not found (make fuzz installs it in .build/venv)" >&2; exit 2; fi
fi
# The run happens from a temporary folder: a relative path given here must not depend on it.
case "$ST" in /*) ;; */*) ST="$PWD/$ST" ;; esac
case "$BIN" in /*) ;; */*) BIN="$PWD/$BIN" ;; esac
[ -x "$ST" ] || { echo "fuzz: $ST is not an executable" >&2; exit 2; }
[ -x "$BIN" ] || { echo "fuzz: $BIN not found: run swift build first" >&2; exit 2; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/parcours-fuzz.XXXXXX")"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  if [ "${FUZZ_KEEP:-0}" = 1 ]; then echo "fuzz: kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT INT TERM

# Port 0: the kernel picks a free port; the server prints the one it got.
PARCOURS_LOG_LEVEL="${PARCOURS_LOG_LEVEL:-warning}" "$BIN" serve --db "$WORK/fuzz.sqlite" --migrations "$ROOT/migrations" \
  --host 127.0.0.1 --port 0 --workers 4 >"$WORK/stdout" 2>"$WORK/stderr" &
SERVER_PID=$!
URL=""
for _ in $(seq 300); do
  URL="$(grep -o 'listening on http://127\.0\.0\.1:[0-9]*' "$WORK/stdout" | head -1 | sed 's/listening on //' || true)"
  [ -n "$URL" ] && break
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "fuzz: the server did not start" >&2; cat "$WORK/stderr" >&2; exit 1; }
  sleep 0.1
done
[ -n "$URL" ] || { echo "fuzz: no 'listening on' line" >&2; exit 1; }
ADMIN="$(grep -o 'pct_[0-9a-f]\{64\}' "$WORK/stdout" | head -1)"
[ -n "$ADMIN" ] || { echo "fuzz: no first admin token printed" >&2; exit 1; }
echo "fuzz: server at $URL (pid $SERVER_PID), database $WORK/fuzz.sqlite"

# Seed through the API; prints the token schemathesis uses.
TOKEN="$(python3 "$ROOT/scripts/fuzz_seed.py" "$URL" "$ADMIN")"


# One worker: with two, hypothesis's lambda descriptions (ast.parse from two threads) crash
# CPython 3.11 now and then ("AST constructor recursion depth mismatch"), a tool error that
# says nothing of the server.
run() {
  # From the temporary folder: schemathesis keeps its cache (.schemathesis/) in the working directory.
  (cd "$WORK" && PYTHONPATH="$ROOT/scripts${PYTHONPATH:+:$PYTHONPATH}" SCHEMATHESIS_HOOKS=fuzz_hooks "$ST" run "$URL/openapi.json" --url "$URL" \
    -H "Authorization: Bearer $TOKEN" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance \
    --phases examples,coverage,fuzzing --max-examples "$EXAMPLES" --seed "${FUZZ_SEED:-1}" \
    --workers 1 --request-timeout 20 --no-color "$@" ${FUZZ_ARGS:-})
}

# Revoking tokens comes last, on its own: it sweeps token ids and would revoke the fuzzer's own
# token, leaving every later operation nothing but 401s.
set +e
run --max-time "$MAX_TIME" --exclude-operation-id delete_v1_tokens_id --report junit --report-dir "$WORK/report"
STATUS=$?
if [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$URL/v1/tokens?limit=1")" != 200 ]; then
  echo "fuzz: the fuzzer's token stopped working during the run" >&2; STATUS=1
fi
run --max-time 20 --include-operation-id delete_v1_tokens_id || STATUS=1
set -e

# A crash of the server is a failure even when every answer before it conformed.
if ! kill -0 "$SERVER_PID" 2>/dev/null; then
  echo "fuzz: the server died during the run" >&2; tail -50 "$WORK/stderr" >&2; STATUS=1
elif grep -q 'unexpected error' "$WORK/stderr"; then
  echo "fuzz: the server logged unexpected errors:" >&2; grep 'unexpected error' "$WORK/stderr" | head -20 >&2; STATUS=1
fi
# What the run reached: the routes that never answered 2xx are not exercised beyond validation.
curl -s "$URL/metrics" >"$WORK/metrics.txt" || true
python3 - "$WORK/metrics.txt" <<'PY' || true
import re, sys
ok, seen = set(), set()
for line in open(sys.argv[1]):
    m = re.match(r'parcours_http_requests_total\{method="(\w+)",route="([^"]+)",status="(\d+)"\} (\d+)', line)
    if m and m.group(2) != "unmatched":
        key = m.group(1) + " " + m.group(2)
        seen.add(key)
        if m.group(3).startswith("2"):
            ok.add(key)
never = sorted(seen - ok)
print(f"fuzz: {len(ok)} of {len(seen)} operations answered 2xx at least once")
if never:
    print("fuzz: never 2xx: " + ", ".join(never))
PY

exit "$STATUS"
