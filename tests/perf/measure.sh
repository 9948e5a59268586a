#!/usr/bin/env bash
# Reproducible performance measurements for the README's "Performance" section.
# Needs: a release build (cargo build --release), Xvfb (apt-get install xvfb) for the window
# measurements; jwt-cli (`cargo install jwt-cli`) on PATH for the CLI comparison. Prints one
# "name value" line per number.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=target/release/supajwt
[ -x "$BIN" ] || cargo build --release
echo "binary_size_bytes $(stat -c %s "$BIN")"

TOKEN=$("$BIN" mint --role anon --secret a-secret-that-is-long-enough-for-hs256-0123 --now 1767225600)
per_run_ms() { # command... -> milliseconds per run: median of 5 rounds of 100 runs (this VM is noisy)
  local start end
  for _ in 1 2 3 4 5; do
    start=$(date +%s%N)
    for _ in $(seq 100); do "$@" >/dev/null; done
    end=$(date +%s%N)
    echo "$start $end"
  done | awk '{ print ($2 - $1) / 100 / 1e6 }' | sort -n | sed -n 3p | xargs printf "%.2f"
}
SECRET=a-secret-that-is-long-enough-for-hs256-0123
echo "cli_decode_ms $(per_run_ms "$BIN" decode "$TOKEN" --now 1767225600)"
echo "cli_verify_ms $(per_run_ms "$BIN" verify "$TOKEN" --secret "$SECRET" --now 1767225600)"
# The command line built without the window, when built:
#   cargo build --release --no-default-features --target-dir target/cli-only
CLI_ONLY=target/cli-only/release/supajwt
if [ -x "$CLI_ONLY" ]; then
  echo "cli_only_binary_size_bytes $(stat -c %s "$CLI_ONLY")"
  echo "cli_only_decode_ms $(per_run_ms "$CLI_ONLY" decode "$TOKEN" --now 1767225600)"
  echo "cli_only_verify_ms $(per_run_ms "$CLI_ONLY" verify "$TOKEN" --secret "$SECRET" --now 1767225600)"
fi
# The reference: jwt-cli (`cargo install jwt-cli`), same token, same loop.
if command -v jwt >/dev/null; then
  echo "jwt_cli_decode_ms $(per_run_ms jwt decode "$TOKEN")"
  echo "jwt_cli_verify_ms $(per_run_ms jwt decode --secret "$SECRET" "$TOKEN")"
fi
# The floor: spawning any process (/bin/true) in the same loop.
echo "process_floor_ms $(per_run_ms /bin/true)"

if command -v Xvfb >/dev/null; then
  export DISPLAY=:97
  Xvfb :97 -screen 0 1280x800x24 >/dev/null 2>&1 &
  XVFB=$!
  trap 'kill $XVFB 2>/dev/null || true' EXIT
  sleep 1
  first_frame() { SUPAJWT_PROBE_FIRST_FRAME="$1" "$BIN" | awk '/first_frame_ms/ { print $2 }'; }
  for mode in blank app; do
    samples=$(for _ in 1 2 3 4 5; do first_frame "$([ $mode = blank ] && echo blank || echo 1)"; done | sort -n | sed -n 3p)
    echo "first_frame_${mode}_median_ms $samples"
  done
  "$BIN" &
  APP=$!
  sleep 3
  t0=$(awk '{ print $14 + $15 }' /proc/$APP/stat)
  sleep 10
  t1=$(awk '{ print $14 + $15 }' /proc/$APP/stat)
  echo "idle_cpu_percent_over_10s $(awk -v a="$t0" -v b="$t1" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", (b - a) / hz / 10 * 100 }')"
  echo "peak_rss_kib $(awk '/VmHWM/ { print $2 }' /proc/$APP/status)"
  kill $APP
fi
# HAR: a generated ~200 MB HAR (not committed), stream-parsed by `supajwt har`. Throughput and
# peak RSS (/usr/bin/time -v), against Python's json.load of the same file (a whole-tree parser)
# in the same run; `har --redact` copies the file entry by entry.
if [ -x /usr/bin/time ] && command -v python3 >/dev/null; then
  HAR=$(mktemp --suffix=.har)
  python3 - "$HAR" <<'PY'
import json, sys
anon = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZSIsInJlZiI6ImFiY2RlZmdoaWprbG1ub3BxcnN0Iiwicm9sZSI6ImFub24iLCJpYXQiOjE3MzU2ODk2MDAsImV4cCI6MjA1MTIyMjQwMH0.QxEOBOvD9z6HFpMk8dN8QQMJ2_P1SWhbK_5VuNeUl6A"
body = json.dumps([{"id": i, "task": "x" * 200} for i in range(12)])
with open(sys.argv[1], "w") as f:
    f.write('{"log":{"version":"1.2","creator":{"name":"perf","version":"1"},"entries":[')
    for i in range(int(__import__('os').environ.get('HAR_ENTRIES', '50000'))):
        e = {"request": {"method": "GET", "url": f"https://abcdefghijklmnopqrst.supabase.co/rest/v1/todos?id=eq.{i}",
                         "headers": [{"name": "apikey", "value": anon}, {"name": "authorization", "value": "Bearer " + anon},
                                     {"name": "origin", "value": "http://localhost:3000"}], "cookies": [], "queryString": []},
             "response": {"status": 401 if i % 50 == 0 else 200, "headers": [], "cookies": [],
                          "content": {"size": len(body), "mimeType": "application/json",
                                      "text": '{"message":"JWT expired"}' if i % 50 == 0 else body}}}
        f.write(("," if i else "") + json.dumps(e))
    f.write("]}}")
PY
  har_bytes=$(stat -c %s "$HAR")
  echo "har_file_bytes $har_bytes"
  measure() { # label command... -> "<label>_seconds", "<label>_peak_rss_kib"
    local label=$1; shift
    /usr/bin/time -v "$@" >/dev/null 2>"$HAR.time"
    awk -v l="$label" '/Elapsed \(wall clock\)/ { n = split($NF, t, ":"); s = (n == 3) ? t[1]*3600 + t[2]*60 + t[3] : t[1]*60 + t[2]; print l "_seconds " s }
                       /Maximum resident set size/ { print l "_peak_rss_kib " $NF }' "$HAR.time"
  }
  scan=$(measure har_scan "$BIN" har "$HAR" --json --now 1767225600)
  echo "$scan"
  measure har_redact "$BIN" har "$HAR" --redact
  measure python_json_load python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$HAR"
  echo "har_scan_mib_per_s $(echo "$scan" | awk -v b="$har_bytes" '/seconds/ { printf "%.1f", b / 1048576 / $2 }')"
  rm -f "$HAR" "$HAR.time"
fi
echo "(in-process numbers: cargo bench --bench core)"
