#!/usr/bin/env bash
# Datagrams on loopback, in one run:
# 1. Ping-pong: round trips per second, one client, the same payload and the same wait-for-the-answer loop for every
#    server (bench/udp/pingpong.py): socat and ncat -u echoing through cat (one server hop per round trip); socat
#    relaying to an echo peer, and marcel serve --chat --udp relaying to an echo member (two hops each: the same
#    pattern, so these two rows compare like with like).
# 2. Fan-out: N members, K of them saying paced lines, through bench/chat's generator (ChatLoad): marcel's CPU per
#    delivered datagram in a UDP room beside its CPU per delivered line in a TCP room, same generator, same scenarios.
# Usage: bench/udp/run.sh [SECONDS=5] [PAYLOAD=64]      (SECONDS_PER=3: seconds of sending per fan-out scenario)
# ROUNDS=3: ping-pong rounds (the servers interleaved; each row shows its median round, so a burst of load elsewhere
# on a shared machine hits every server alike). MARCEL=path uses that marcel instead of publishing one; BASELINE=path
# adds rows for another marcel binary (before/after in one run). CPU is user+system time from /proc/PID/stat.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-5}; size=${2:-64}; per=${SECONDS_PER:-3}
out=bench/udp/out; mkdir -p "$out"
for tool in socat ncat python3; do command -v $tool >/dev/null || { echo "$tool is missing: apt-get install $tool"; exit 1; }; done
if [ -z "${MARCEL:-}" ]; then
  echo "Publishing marcel (NativeAOT) and building the load generator..." >&2
  dotnet publish src/Marcel.Cli -c Release -r linux-x64 -o "$out/aot" -v q -nologo >"$out/publish.log" 2>&1
  MARCEL="$out/aot/marcel"
fi
dotnet build -c Release bench/chat/ChatLoad -o "$out/load" -v q -nologo >"$out/load.log" 2>&1
free_port() { python3 -c 'import socket;s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM);s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
cpu_ms() { awk '{print ($14+$15)*10}' "/proc/$1/stat"; }
bound() { # proto port: waits until something listens there
  for _ in $(seq 100); do ss -Hln"$1" "sport = :$2" | grep -q . && return 0; sleep 0.05; done; return 1
}
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

pingpong() { # mode command... (PORT and ECHO in the command are replaced): prints "round-trips/s lost server-CPU-ms"
  local mode=$1; shift
  local port echo; port=$(free_port); echo=$(free_port)
  local cmd=("${@//PORT/$port}"); cmd=("${cmd[@]//ECHO/$echo}")
  "${cmd[@]}" </dev/null >/dev/null 2>&1 & local pid=$!
  bound u "$port" || { echo "0 0 0"; stop $pid; return; }
  local before; before=$(cpu_ms $pid)
  read -r rate lost < <(python3 bench/udp/pingpong.py "$mode" "$port" "$seconds" "$size" "$echo")
  local after; after=$(cpu_ms $pid)
  stop $pid
  echo "$rate $lost $((after - before))"
}

fanout() { # transport marcel-binary generator-arguments...: prints the generator's RESULT line
  local transport=$1 binary=$2; shift 2
  local port; port=$(free_port)
  local udp=(); [ "$transport" = udp ] && udp=(--udp)
  # The generator's members all send from 127.0.0.1: lift the room's cap of datagram members per address (a binary
  # from before that cap has none, and does not know the option).
  if [ "$transport" = udp ] && [[ $("$binary" serve --help 2>/dev/null) == *--max-per-address* ]]; then udp+=(--max-per-address 20000); fi
  "$binary" serve --chat "${udp[@]}" --host 127.0.0.1 --port "$port" --max-clients 20000 </dev/null >/dev/null 2>&1 & local pid=$!
  local proto=t; [ "$transport" = udp ] && proto=u
  if ! bound $proto "$port"; then echo "RESULT error=server-did-not-start"; stop $pid; return; fi
  timeout 120 dotnet "$out/load/ChatLoad.dll" load "$@" --transport "$transport" --port "$port" --pid $pid | grep '^RESULT' || echo "RESULT error=generator-failed"
  stop $pid
}
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }

echo "Datagrams on loopback, $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg) at the start"
echo
echo "Ping-pong: ${size}-byte payload, one client, ${seconds} s per server"
echo
echo "| server | hops | round trips/s | ÷ socat (echo) | server deliveries/s | lost | server CPU µs/delivery |"
echo "|---|---:|---:|---:|---:|---:|---:|"
names=("socat (echo through cat)" "ncat -u (echo through cat)" "socat (relay to an echo peer)")
modes=(echo echo forward); hops=(1 1 2)
cmds=("socat UDP-LISTEN:PORT,bind=127.0.0.1 EXEC:cat" "ncat -u -l 127.0.0.1 PORT -e /bin/cat" "socat UDP-LISTEN:PORT,bind=127.0.0.1 UDP:127.0.0.1:ECHO")
if [ -n "${BASELINE:-}" ]; then
  names+=("marcel, baseline (room, relay to an echo member)"); modes+=(room); hops+=(2)
  cmds+=("$BASELINE serve --chat --udp --host 127.0.0.1 --port PORT")
fi
names+=("marcel serve --chat --udp (room, relay to an echo member)"); modes+=(room); hops+=(2)
cmds+=("$MARCEL serve --chat --udp --host 127.0.0.1 --port PORT")
# The machine may be shared: every server runs ROUNDS times, interleaved, and each row shows its median round.
: > "$out/pingpong.txt"
for round in $(seq "${ROUNDS:-3}"); do
  for i in "${!names[@]}"; do
    read -ra cmd <<<"${cmds[$i]}"
    echo "$i $(pingpong "${modes[$i]}" "${cmd[@]}")" >> "$out/pingpong.txt"
  done
done
socat_rate=$(awk '$1 == 0 {print $2}' "$out/pingpong.txt" | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}')
for i in "${!names[@]}"; do
  awk -v i="$i" '$1 == i' "$out/pingpong.txt" | sort -k2,2n | awk -v name="${names[$i]}" -v h="${hops[$i]}" -v s="$seconds" -v base="$socat_rate" '
    { rate[NR]=$2; lost+=$3; cpu[NR]=$4 }
    END { m=int((NR+1)/2); r=rate[m];
          printf "| %s | %d | %d | %s | %d | %d | %s |\n", name, h, r, (base > 0 ? sprintf("%.2f", r/base) : "-"), r*h, lost,
                 (r > 0 ? sprintf("%.1f", cpu[m]*1000/(r*h*s)) : "-") }'
done
echo
echo "Fan-out: marcel's CPU per delivered line (TCP room) and per delivered datagram (UDP room), ${per} s per scenario"
echo
header="| scenario | TCP ns/line | UDP ns/datagram | UDP ÷ TCP | TCP lines/s | UDP datagrams/s | UDP loss |"
rule="|---|---:|---:|---:|---:|---:|---:|"
[ -n "${BASELINE:-}" ] && { header="$header baseline UDP ns/datagram | baseline ÷ TCP |"; rule="$rule---:|---:|"; }
echo "$header"; echo "$rule"
scenario() { # label generator-arguments...
  local label=$1; shift
  local tcp udp; tcp=$(fanout tcp "$MARCEL" "$@"); udp=$(fanout udp "$MARCEL" "$@")
  echo "$label|tcp|$tcp" >> "$out/results.txt"; echo "$label|udp|$udp" >> "$out/results.txt"
  local t u; t=$(field cpu_ns_per_line "$tcp"); u=$(field cpu_ns_per_line "$udp")
  local row; row=$(printf '| %s | %.0f | %.0f | %s | %s | %s | %s |' "$label" "${t:-0}" "${u:-0}" \
    "$(awk -v t="${t:-0}" -v u="${u:-0}" 'BEGIN{ if (t > 0) printf "%.2f", u/t; else print "-" }')" \
    "$(field lines_per_s "$tcp")" "$(field lines_per_s "$udp")" "$(field loss "$udp")")
  if [ -n "${BASELINE:-}" ]; then
    local b; b=$(fanout udp "$BASELINE" "$@"); echo "$label|udp-baseline|$b" >> "$out/results.txt"
    local bn; bn=$(field cpu_ns_per_line "$b")
    row="$row $(printf '%.0f' "${bn:-0}") | $(awk -v t="${t:-0}" -v u="${bn:-0}" 'BEGIN{ if (t > 0) printf "%.2f", u/t; else print "-" }') |"
  fi
  echo "$row"
}
: > "$out/results.txt"
scenario "N=10 K=1 paced 1000/s" --clients 10 --senders 1 --rate 1000 --seconds "$per"
scenario "N=100 K=10 paced 100/s" --clients 100 --senders 10 --rate 100 --seconds "$per"
scenario "N=100 K=10 paced 1000/s" --clients 100 --senders 10 --rate 1000 --seconds "$per"
echo
echo "Raw generator lines: $out/results.txt; load $(cut -d' ' -f1-3 /proc/loadavg) at the end"
