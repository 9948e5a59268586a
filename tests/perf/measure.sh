#!/usr/bin/env bash
# Reproducible performance measurements for the README's "Performance" section.
# Needs: a release build (cargo build --release), Xvfb (apt-get install xvfb) for the window
# measurements; jwt-cli (`cargo install jwt-cli`) on PATH for the CLI comparison; openssl for
# the RSA key generation comparison. Prints one
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

# RSA key generation, supajwt (primes searched on all cores) against OpenSSL on the same
# machine, runs interleaved so both see the same noise: median and p90 in milliseconds.
# RSA_RUNS (default 11) runs per size.
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
if command -v openssl >/dev/null; then
  for bits in 2048 3072 4096; do
    ours=$(mktemp)
    theirs=$(mktemp)
    for _ in $(seq "${RSA_RUNS:-11}"); do
      ms_of "$BIN" keygen --alg RS256 --bits "$bits" --format pem >>"$ours"
      ms_of openssl genpkey -algorithm RSA -pkeyopt "rsa_keygen_bits:$bits" >>"$theirs"
    done
    read -r our_median our_p90 < <(median_p90 <"$ours")
    read -r ssl_median ssl_p90 < <(median_p90 <"$theirs")
    echo "keygen_rsa${bits}_median_p90_ms $our_median $our_p90"
    echo "openssl_rsa${bits}_median_p90_ms $ssl_median $ssl_p90"
    echo "keygen_rsa${bits}_median_ratio_vs_openssl $(awk -v a="$our_median" -v b="$ssl_median" 'BEGIN { printf "%.2f", a / b }')"
    rm -f "$ours" "$theirs"
  done
fi

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
echo "(in-process numbers: cargo bench --bench core)"
