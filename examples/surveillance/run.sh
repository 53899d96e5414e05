#!/usr/bin/env bash
# Runs the surveillance scenario on one machine (examples/surveillance/README.md): weir with its
# bundled store and this example's policy, principals and triggers (after `weir policy test` on the
# policy and its tests, surveillance.test.yaml, at 100% coverage); three functions (geo, faces,
# notify) as local HTTP endpoints; a camera ingesting images; then the checks of scenario.py.
# Ports: WEIR_PORT (8100), STORE_PORT (8101), GEO_PORT (9101), FACES_PORT (9102), NOTIFY_PORT (9103).
# WORK: a folder for weir's home and the functions' state (default: a new temporary folder).
# IMAGES: how many images the camera ingests (40).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
WEIR_PORT=${WEIR_PORT:-8100} STORE_PORT=${STORE_PORT:-8101}
GEO_PORT=${GEO_PORT:-9101} FACES_PORT=${FACES_PORT:-9102} NOTIFY_PORT=${NOTIFY_PORT:-9103}
IMAGES=${IMAGES:-40}
WORK=${WORK:-$(mktemp -d -t weir-surveillance.XXXXXX)}
mkdir -p "$WORK/policies" "$WORK/state"
PY=$("$ROOT/scripts/boto3")

fill() {
  sed -e "s#@WEIR_PORT@#$WEIR_PORT#g" -e "s#@STORE_PORT@#$STORE_PORT#g" -e "s#@GEO_PORT@#$GEO_PORT#g" \
      -e "s#@FACES_PORT@#$FACES_PORT#g" -e "s#@NOTIFY_PORT@#$NOTIFY_PORT#g" -e "s#@WORK@#$WORK#g" -e "s#@HERE@#$HERE#g" "$1"
}
fill "$HERE/weir.yaml.in" > "$WORK/weir.yaml"
fill "$HERE/policies/surveillance.weir.in" > "$WORK/policies/surveillance.weir"
cp "$HERE/policies/surveillance.test.yaml" "$WORK/policies/surveillance.test.yaml"

# The secret weir signs its calls to the functions with (and they check); a demo value.
export WEIR_TRIGGER_SECRET=${WEIR_TRIGGER_SECRET:-surveillance-demo-signing-secret}
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

# WEIR_COMMAND: how to run weir (default: the repository's ./weir, which builds if needed; the
# test suite passes the java command line of the build it is testing).
read -r -a WEIR_CMD <<< "${WEIR_COMMAND:-$ROOT/weir}"

# The policy's own tests first: every rule and trigger covered, each trigger's input as its role sees it.
if ! "${WEIR_CMD[@]}" policy test "$WORK/policies" --min-coverage 100 > "$WORK/policy-test.log" 2>&1; then
  cat "$WORK/policy-test.log" >&2; echo "run.sh: the policy tests failed" >&2; exit 1
fi
echo "policy tests: $(grep -E '^[0-9]+ passed' "$WORK/policy-test.log")"
"${WEIR_CMD[@]}" up --config "$WORK/weir.yaml" --home "$WORK/home" > "$WORK/weir.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 600); do
  grep -q "weir ready" "$WORK/weir.log" 2>/dev/null && break
  kill -0 "${PIDS[0]}" 2>/dev/null || { cat "$WORK/weir.log" >&2; echo "run.sh: weir did not start" >&2; exit 1; }
  sleep 0.2
done
grep -q "weir ready" "$WORK/weir.log" || { cat "$WORK/weir.log" >&2; echo "run.sh: weir did not start" >&2; exit 1; }

start_function() {  # kind port principal-key principal-secret
  FUNCTION_SECRET_ACCESS_KEY="$4" "$PY" "$HERE/functions/function.py" --kind "$1" --port "$2" \
      --state "$WORK/state" --weir "http://127.0.0.1:$WEIR_PORT" --access-key-id "$3" > "$WORK/function-$1.log" 2>&1 &
  PIDS+=($!)
}
start_function geo "$GEO_PORT" AKIASURVGEO000000001 surv-geo-secret
start_function faces "$FACES_PORT" AKIASURVFACES0000001 surv-faces-secret
start_function notify "$NOTIFY_PORT" "" ""

set +e
"$PY" "$HERE/scenario.py" --weir "http://127.0.0.1:$WEIR_PORT" --state "$WORK/state" --images "$IMAGES"
status=$?
set -e
echo "weir's audit of the trigger calls: $(grep -c '"weir:TriggerCall"' "$WORK/home/audit/audit.jsonl" || true) events in $WORK/home/audit/audit.jsonl"
[ $status -eq 0 ] || { echo "--- weir.log (last 40 lines)"; tail -n 40 "$WORK/weir.log"; for f in "$WORK"/function-*.log; do echo "--- $f"; tail -n 10 "$f"; done; }
exit $status
