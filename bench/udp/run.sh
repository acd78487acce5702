#!/usr/bin/env bash
# UDP ping-pong round trips per second on loopback, one client, same payload, in one run:
# socat and ncat -u as echo servers (anchors) and marcel serve --chat --udp as a relay to an echo member.
# Usage: bench/udp/run.sh [SECONDS=5] [PAYLOAD=64]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-5}; size=${2:-64}
out=bench/udp/out; mkdir -p "$out"
dotnet publish src/Marcel.Cli -c Release -r linux-x64 -o "$out/aot" >"$out/publish.log" 2>&1
marcel="$out/aot/marcel"
free_port() { python3 -c 'import socket;s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM);s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
cpu_ms() { awk '{print ($14+$15)*10}' "/proc/$1/stat"; }
run() { # name mode command...
  local name=$1 mode=$2; shift 2
  local port; port=$(free_port)
  "${@//PORT/$port}" </dev/null >/dev/null 2>&1 & local pid=$!
  sleep 1
  local before; before=$(cpu_ms $pid)
  read -r rate lost < <(python3 bench/udp/pingpong.py "$mode" "$port" "$seconds" "$size")
  local after; after=$(cpu_ms $pid)
  kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true
  local hops=1; [ "$mode" = relay ] && hops=2
  printf '| %s | %s | %s | %s | %s |\n' "$name" "$rate" "$((rate * hops))" "$lost" "$(awk -v c=$((after-before)) -v r="$rate" -v h=$hops -v s="$seconds" 'BEGIN{printf "%.1f", c*1000/(r*h*s)}')"
}
echo "UDP ping-pong, ${size}-byte datagrams, ${seconds} s each, $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| server | round trips/s | server deliveries/s | lost | server CPU µs/delivery |"
echo "|---|---:|---:|---:|---:|"
run "socat (echo)" echo socat UDP-LISTEN:PORT,bind=127.0.0.1 EXEC:cat
run "ncat -u (echo)" echo ncat -u -l 127.0.0.1 PORT -e /bin/cat
run "marcel serve --chat --udp (relay)" relay "$marcel" serve --chat --udp --host 127.0.0.1 --port PORT
