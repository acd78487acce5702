#!/usr/bin/env bash
# marcel fetch beside curl, in one run, on loopback only:
#   - a 1 GiB file from a local nginx, direct and through tinyproxy with Basic auth: throughput, ratio to curl, peak RSS;
#   - a small page: whole-process wall time (start-up included).
# Usage: bench/fetch/run.sh [runs]          (default 3 runs per case, the best is kept)
#   By default marcel is published in Release, framework-dependent (R2R=1: with ReadyToRun code).
#   MARCEL=/path/to/marcel (a NativeAOT binary) or MARCEL_DLL=/path/to/marcel.dll measures another build.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-3}
small_runs=${SMALL_RUNS:-20}
for tool in nginx tinyproxy curl /usr/bin/time python3; do
  command -v "$tool" >/dev/null || { echo "missing: $tool (apt-get install nginx tinyproxy curl time python3)"; exit 1; }
done

work=$(mktemp -d /tmp/marcel-bench-fetch.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

if [ -n "${MARCEL:-}" ]; then
  marcel=("$MARCEL")
else
  dll=${MARCEL_DLL:-}
  if [ -z "$dll" ]; then
    # Framework-dependent. R2R=1 adds ReadyToRun code: start-up about a third faster, 1-2 MiB more mapped images.
    extra=()
    if [ "${R2R:-0}" = 1 ]; then
      extra=(-r "linux-$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')" --self-contained false -p:PublishReadyToRun=true)
    fi
    dotnet publish src/Marcel.Cli -c Release "${extra[@]}" -o "$work/marcel" -v quiet -nologo >/dev/null
    dll="$work/marcel/marcel.dll"
  fi
  marcel=(dotnet "$dll")
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 200); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.05; done; echo "port $1 never opened"; exit 1; }

chmod 755 "$work"   # nginx workers run as nobody when started by root
mkdir -p "$work/www"
head -c 1073741824 /dev/urandom > "$work/www/big.bin"
printf '<html><body><p>Bonjour, le réseau !</p></body></html>\n' > "$work/www/page.html"
web=$(free_port); proxy=$(free_port)
cat > "$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/error.log warn;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path $work/t1; proxy_temp_path $work/t2; fastcgi_temp_path $work/t3; uwsgi_temp_path $work/t4; scgi_temp_path $work/t5;
  types { text/html html; application/octet-stream bin; }
  sendfile on;
  server { listen 127.0.0.1:$web; root $work/www; }
}
CONF
cat > "$work/tinyproxy.conf" <<CONF
Port $proxy
Listen 127.0.0.1
Allow 127.0.0.1
Timeout 60
BasicAuth bench bench-pass
LogLevel Error
CONF
nginx -p "$work" -c "$work/nginx.conf" -g 'daemon off;' & pids+=($!)
tinyproxy -d -c "$work/tinyproxy.conf" >/dev/null 2>&1 & pids+=($!)
wait_port "$web"; wait_port "$proxy"
cat "$work/www/big.bin" > /dev/null   # page cache warm for both tools

# Both tools must really get the whole file, or the figures mean nothing.
url="http://127.0.0.1:$web/big.bin"
for check in "curl -sf $url" "curl -sf -x 127.0.0.1:$proxy -U bench:bench-pass $url" \
             "${marcel[*]} fetch -sf $url" "${marcel[*]} fetch -sf -x 127.0.0.1:$proxy -U bench:bench-pass $url"; do
  size=$($check | wc -c)
  [ "$size" -eq 1073741824 ] || { echo "'$check' got $size bytes, not 1 GiB"; exit 1; }
done

# measure CMD...: prints "seconds peak_rss_kib" of one run.
measure() { /usr/bin/time -f '%e %M' "$@" 2>&1 >/dev/null | tail -n 1; }
# faster A B: true when run A took less time than run B (or B is empty).
faster() { [ -z "$2" ] || awk -v a="${1%% *}" -v b="${2%% *}" 'BEGIN{exit !(a<b)}'; }
# duel NAME CURL_ARGS -- MARCEL_ARGS: curl and marcel alternate, $runs times each, so that a burst of load from
# elsewhere on the machine hits both; the fastest run of each is kept (with its peak RSS).
duel() {
  local name=$1; shift
  local curl_args=() marcel_args=() best_c="" best_m="" line
  while [ "$1" != "--" ]; do curl_args+=("$1"); shift; done; shift
  marcel_args=("$@")
  for _ in $(seq "$runs"); do
    line=$(measure curl "${curl_args[@]}"); if faster "$line" "$best_c"; then best_c=$line; fi
    line=$(measure "${marcel[@]}" fetch "${marcel_args[@]}"); if faster "$line" "$best_m"; then best_m=$line; fi
  done
  printf -v "$name" '%s|%s' "$best_c" "$best_m"
}

duel direct -s "$url" -- -s "$url"
duel proxied -s -x "127.0.0.1:$proxy" -U bench:bench-pass "$url" -- -s -x "127.0.0.1:$proxy" -U bench:bench-pass "$url"

# Small page: mean whole-process wall time over $small_runs runs.
mean_ms() {
  local start end
  start=$(date +%s%N)
  for _ in $(seq "$small_runs"); do "$@" >/dev/null; done
  end=$(date +%s%N)
  echo $(( (end - start) / small_runs / 1000000 ))
}
page="http://127.0.0.1:$web/page.html"
small_curl=$(mean_ms curl -s "$page")
small_marcel=$(mean_ms "${marcel[@]}" fetch -s "$page")

gbps() { awk -v s="$1" 'BEGIN{printf "%.2f", 1.073741824 / s}'; }
ratio() { awk -v c="$1" -v m="$2" 'BEGIN{printf "%.2f", c / m}'; }
mib() { awk -v k="$1" 'BEGIN{printf "%.1f", k / 1024}'; }
row() { # case "curl_line|marcel_line"
  local c=${2%%|*} m=${2##*|}
  printf '| %s | %s GB/s | %s GB/s | %s× | %s MiB | %s MiB |\n' "$1" "$(gbps "${c%% *}")" "$(gbps "${m%% *}")" "$(ratio "${c%% *}" "${m%% *}")" "$(mib "${c##* }")" "$(mib "${m##* }")"
}

echo "marcel: ${marcel[*]}   ($(nproc) cores, best of $runs alternating runs, 1 GiB = 1.07 GB)"
echo
echo '| case | curl | marcel | marcel/curl throughput | curl peak RSS | marcel peak RSS |'
echo '|---|---|---|---|---|---|'
row "1 GiB direct" "$direct"
row "1 GiB via tinyproxy (Basic)" "$proxied"
echo
echo '| case | curl | marcel | marcel/curl |'
echo '|---|---|---|---|'
printf '| small page, whole process (mean of %s) | %s ms | %s ms | %s× |\n' "$small_runs" "$small_curl" "$small_marcel" "$(ratio "$small_marcel" "$small_curl")"
