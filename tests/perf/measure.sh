#!/usr/bin/env bash
# Reproducible performance measurements for docs/guide.md's "Performance" section.
# Needs: a release build (cargo build --release), Xvfb (apt-get install xvfb) for the window
# measurements; jwt-cli (`cargo install jwt-cli`) on PATH for the CLI comparison; openssl for
# the RSA key generation comparison. Prints one
# "name value" line per number. ONLY="cli rsa" (any of cli rsa window har hostile) runs only
# those sections, e.g. `ONLY=rsa bash tests/perf/measure.sh`.
set -euo pipefail
want() { [ -z "${ONLY:-}" ] || [[ " $ONLY " == *" $1 "* ]]; }
cd "$(dirname "$0")/../.."
TARGET=${CARGO_TARGET_DIR:-target}
BIN=$TARGET/release/supajwt
[ -x "$BIN" ] || cargo build --release
echo "binary_size_bytes $(stat -c %s "$BIN")"
# The window is its own program (`supajwt` with no arguments runs it).
[ -x "$TARGET/release/supajwt-window" ] && echo "window_binary_size_bytes $(stat -c %s "$TARGET/release/supajwt-window")"

TOKEN=$("$BIN" mint --role anon --secret a-secret-that-is-long-enough-for-hs256-0123 --now 1767225600 2>/dev/null)
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
if want cli; then
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
    # The target: supajwt against jwt-cli, 100 runs of each in turn, 9 rounds, so both see the
    # same noise; the median of the per-round ratios.
    paired_ratio() { # command_a command_b (functions) -> median over rounds of a's time / b's
      local t0 t1 t2
      for _ in $(seq 9); do
        t0=$(date +%s%N)
        for _ in $(seq 100); do "$1" >/dev/null; done
        t1=$(date +%s%N)
        for _ in $(seq 100); do "$2" >/dev/null; done
        t2=$(date +%s%N)
        echo "$((t1 - t0)) $((t2 - t1))"
      done | awk '{ printf "%.3f\n", $1 / $2 }' | sort -g | sed -n 5p
    }
    ours_decode() { "$BIN" decode "$TOKEN" --now 1767225600; }
    jwt_decode() { jwt decode "$TOKEN"; }
    ours_verify() { "$BIN" verify "$TOKEN" --secret "$SECRET" --now 1767225600; }
    jwt_verify() { jwt decode --secret "$SECRET" "$TOKEN"; }
    echo "cli_decode_ratio_vs_jwt_cli $(paired_ratio ours_decode jwt_decode)"
    echo "cli_verify_ratio_vs_jwt_cli $(paired_ratio ours_verify jwt_verify)"
    if [ -x "$CLI_ONLY" ]; then
      cli_only_decode() { "$CLI_ONLY" decode "$TOKEN" --now 1767225600; }
      echo "cli_only_decode_ratio_vs_jwt_cli $(paired_ratio cli_only_decode jwt_decode)"
    fi
  fi
  # CPU time and page faults per process (`perf stat`, when installed), same commands.
  if command -v perf >/dev/null && command -v jwt >/dev/null; then
    cpu_and_faults() { # name command... -> "name_task_clock_ms X" and "name_page_faults Y"
      local name=$1
      shift
      perf stat -r 300 -x, -e task-clock,page-faults "$@" 2>&1 >/dev/null |
        awk -F, -v n="$name" '$3 == "task-clock" { printf "%s_task_clock_ms %.2f\n", n, $1 }
          $3 == "page-faults" { printf "%s_page_faults %d\n", n, $1 }'
    }
    cpu_and_faults cli_decode "$BIN" decode "$TOKEN" --now 1767225600
    cpu_and_faults jwt_cli_decode jwt decode "$TOKEN"
    cpu_and_faults cli_verify "$BIN" verify "$TOKEN" --secret "$SECRET" --now 1767225600
    cpu_and_faults jwt_cli_verify jwt decode --secret "$SECRET" "$TOKEN"
  fi
  # The floor: spawning any process (/bin/true) in the same loop.
  echo "process_floor_ms $(per_run_ms /bin/true)"
fi

# RSA key generation, supajwt (primes searched on all cores) against OpenSSL on the same
# machine, runs interleaved so both see the same noise: median and p90 in milliseconds.
# Runs per size: RSA_RUNS_2048 (default 15), RSA_RUNS_3072 (9), RSA_RUNS_4096 (5).
ms_of() { # command... -> wall milliseconds of one run
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1
  end=$(date +%s%N)
  echo $(((end - start) / 1000000))
}
median_p90() { # numbers on stdin -> "median p90"
  sort -n | awk '{ a[NR] = $1 } END { m = a[int((NR + 1) / 2)]; i = int(NR * 0.9); if (i < NR * 0.9) i++; print m, a[i] }'
}
if want rsa && command -v openssl >/dev/null; then
  for bits in 2048 3072 4096; do
    ours=$(mktemp)
    theirs=$(mktemp)
    runs_var=RSA_RUNS_$bits
    default_runs=$(case $bits in 2048) echo 15 ;; 3072) echo 9 ;; *) echo 5 ;; esac)
    for _ in $(seq "${!runs_var:-$default_runs}"); do
      ms_of "$BIN" keygen --alg RS256 --bits "$bits" --format pem >>"$ours"
      ms_of openssl genpkey -algorithm RSA -pkeyopt "rsa_keygen_bits:$bits" >>"$theirs"
    done
    read -r our_median our_p90 < <(median_p90 <"$ours")
    read -r ssl_median ssl_p90 < <(median_p90 <"$theirs")
    echo "keygen_rsa${bits}_median_p90_ms $our_median $our_p90"
    echo "openssl_rsa${bits}_median_p90_ms $ssl_median $ssl_p90"
    echo "keygen_rsa${bits}_median_ratio_vs_openssl $(awk -v a="$our_median" -v b="$ssl_median" 'BEGIN { printf "%.2f", a / b }')"
    echo "keygen_rsa${bits}_p90_ratio_vs_openssl $(awk -v a="$our_p90" -v b="$ssl_p90" 'BEGIN { printf "%.2f", a / b }')"
    rm -f "$ours" "$theirs"
  done
fi

if want window && command -v Xvfb >/dev/null; then
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
# HAR: a generated ~170 MB HAR (not committed), stream-parsed by `supajwt har`. Throughput and
# peak RSS (/usr/bin/time -v), against Python's json.load of the same file (a whole-tree parser)
# in the same run; `har --redact` copies the file entry by entry.
if want har && [ -x /usr/bin/time ] && command -v python3 >/dev/null; then
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
  # The target: `har` reads the file at least as fast as json.load. Both run 3 times in turn,
  # so they see the same noise; each reports its median round (time and peak RSS).
  median() { sort -n -k2 | sed -n 2p; }
  scans=""; loads=""
  for _ in 1 2 3; do
    scans+="$(measure har_scan "$BIN" har "$HAR" --json --now 1767225600 | tr '\n' ' ')"$'\n'
    loads+="$(measure python_json_load python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$HAR" | tr '\n' ' ')"$'\n'
  done
  scan=$(printf %s "$scans" | median)
  load=$(printf %s "$loads" | median)
  echo "$scan" | awk '{ print $1, $2; print $3, $4 }'
  echo "$load" | awk '{ print $1, $2; print $3, $4 }'
  measure har_redact "$BIN" har "$HAR" --redact
  scan_s=$(echo "$scan" | awk '{ print $2 }')
  load_s=$(echo "$load" | awk '{ print $2 }')
  echo "har_scan_mib_per_s $(awk -v b="$har_bytes" -v s="$scan_s" 'BEGIN { printf "%.1f", b / 1048576 / s }')"
  echo "python_json_load_mib_per_s $(awk -v b="$har_bytes" -v s="$load_s" 'BEGIN { printf "%.1f", b / 1048576 / s }')"
  echo "har_scan_vs_json_load_ratio $(awk -v a="$scan_s" -v b="$load_s" 'BEGIN { printf "%.2f", b / a }')"
  rm -f "$HAR" "$HAR.time"
fi
# Hostile inputs of at most 1 MiB: every command must finish well under 2 s on each (issue 10 §6).
# Prints one time per input and the largest, against the 2000 ms budget.
want hostile || exit 0
HOSTILE=$(mktemp -d)
trap 'rm -rf "$HOSTILE"; [ -n "${XVFB:-}" ] && kill "$XVFB" 2>/dev/null || true' EXIT
python3 - "$HOSTILE" <<'PY'
import base64, sys, pathlib
d = pathlib.Path(sys.argv[1])
b64 = lambda s: base64.urlsafe_b64encode(s.encode()).decode().rstrip("=")
pem = pathlib.Path("tests/data/pem/rsa_spki_public.pem").read_text()
(d / "pem_1000_rsa.pem").write_text(pem * 1000)
(d / "pem_5000_blocks.pem").write_text("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n" * 5000)
(d / "deep_jwks.json").write_text('{"keys":' + "[" * 500000 + "]" * 500000 + "}")
(d / "deep_token.txt").write_text(b64('{"alg":"HS256"}') + "." + b64("[" * 90000 + "]" * 90000) + ".c2ln")
(d / "long_b64_token.txt").write_text(b64('{"alg":"HS256"}') + "." + "A" * 250000 + ".c2ln")
(d / "many_dots.txt").write_text("a." * 120000)
(d / "big.env").write_text("".join(f"VAR_{i}=${{VAR_{i-1}:-x}}\n" for i in range(40000))[: 1024 * 1024])
PY
hostile_ms() { # command... -> milliseconds for one run (exit status ignored)
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1 || true
  end=$(date +%s%N)
  echo $(( (end - start) / 1000000 ))
}
MAX=0
for run in \
  "pem_1000_rsa verify x.y.z --key $HOSTILE/pem_1000_rsa.pem" \
  "pem_5000_blocks verify x.y.z --key $HOSTILE/pem_5000_blocks.pem" \
  "deep_jwks verify x.y.z --key $HOSTILE/deep_jwks.json" \
  "deep_token_decode decode - <$HOSTILE/deep_token.txt" \
  "deep_token_verify verify - --secret $SECRET <$HOSTILE/deep_token.txt" \
  "long_b64_decode decode - <$HOSTILE/long_b64_token.txt" \
  "many_dots_decode decode - <$HOSTILE/many_dots.txt" \
  "big_env_doctor doctor --env $HOSTILE/big.env" \
  "big_env_rotate rotate --env $HOSTILE/big.env"; do
  name=${run%% *}
  args=${run#* }
  ms=$(hostile_ms sh -c "\"$BIN\" $args")
  echo "hostile_${name}_ms $ms"
  [ "$ms" -gt "$MAX" ] && MAX=$ms
done
echo "hostile_max_ms $MAX (budget 2000)"
echo "(in-process numbers: cargo bench --bench core)"
