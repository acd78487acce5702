#!/usr/bin/env bash
# Room across servers: one marcel against three marcels sharing one redis-server, same generator, same load, one run.
# Usage: bench/redis/run.sh     (the issue's size by default: CLIENTS=9000 SENDERS=10, paced at RATE=20 lines/s in
#                                total (180,000 deliveries/s: what this 2-core machine holds without queueing; 100
#                                lines/s saturated it), SECONDS_PER=10; the generator holds 9,000 descriptors)
# Each server's warnings go to bench/redis/out/NODE.log; the run then counts, per server, the events that make a
# measurement unclean (a split, lines that never arrived, a failed heartbeat, a dropped subscription) and says so.
# Then Redis's own round trip (redis-benchmark PING, one connection) and its PUBLISH rate on the same redis-server, as
# the anchors of the latency target and of how far one Redis goes.
# Prints a markdown table; raw RESULT lines in bench/redis/out/results.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
CLIENTS=${CLIENTS:-9000} SENDERS=${SENDERS:-10} RATE=${RATE:-20} SECONDS_PER=${SECONDS_PER:-10}
out=bench/redis/out
mkdir -p "$out"
command -v redis-server >/dev/null || { echo "redis-server is missing: apt-get install redis-server"; exit 1; }

echo "Building marcel (NativeAOT) and the load generator (Release)..." >&2
[ -x "$out/marcel-aot/marcel" ] && [ -n "${REUSE:-}" ] || dotnet publish -c Release -r linux-x64 src/Marcel.Cli -o "$out/marcel-aot" -v q -nologo >/dev/null
dotnet build -c Release bench/chat/ChatLoad -o "$out/load" -v q -nologo >/dev/null

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_listen() { for _ in $(seq 200); do ss -ltn "sport = :$1" | grep -q LISTEN && return 0; sleep 0.05; done; echo "nothing listens on $1" >&2; return 1; }

pids=()
cleanup() { for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no --loglevel warning >/dev/null 2>&1 &
redis_pid=$!; pids+=("$redis_pid")
wait_listen "$redis_port"

start_marcel() { # $1 = node name, rest = extra options; prints "port pid"
  local port; port=$(free_port)
  # Warnings (a split, a gap in a server's numbers, a dropped subscription) kept in out/NODE.log.
  "$out/marcel-aot/marcel" serve --chat --host 127.0.0.1 --port "$port" --max-clients 20000 "${@:2}" </dev/null >/dev/null 2>"$out/$1.log" &
  local pid=$!
  wait_listen "$port"
  echo "$port $pid"
}

: > "$out/results.txt"
load() { # $1 = label, $2 = ports, $3 = pids, rest = extra generator options
  echo "  $1" >&2
  line=$(timeout 300 dotnet "$out/load/ChatLoad.dll" load --clients "$CLIENTS" --senders "$SENDERS" --rate "$RATE" --seconds "$SECONDS_PER" \
    --port "$2" --pid "$3" "${@:4}" | grep '^RESULT' || echo "RESULT error=generator-failed")
  echo "$1|$line" >> "$out/results.txt"
}

read -r p1 pid1 < <(start_marcel single)
load "1 server x $CLIENTS clients" "$p1" "$pid1"
kill -TERM "$pid1"; wait "$pid1" 2>/dev/null || true

ports=() servers=()
for n in 1 2 3; do
  read -r p pid < <(start_marcel "node$n" --redis "redis://127.0.0.1:$redis_port" --node "node$n")
  ports+=("$p"); servers+=("$pid"); pids+=("$pid")
done
load "3 servers x $((CLIENTS / 3)) clients, one Redis" "$(IFS=,; echo "${ports[*]}")" "$(IFS=,; echo "${servers[*]}")" --redis-pid "$redis_pid"
for pid in "${servers[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done

echo "  redis-benchmark PING (Redis's round trip)" >&2
ping=$(redis-benchmark -p "$redis_port" -c 1 -n 20000 --csv PING 2>/dev/null | grep '^"PING"' | tail -n 1 || true)
echo "redis-ping|$ping" >> "$out/results.txt"

echo "  redis-benchmark PUBLISH" >&2
# Three subscribers stand for three servers (each message is written to three sockets, as in the room).
for _ in 1 2 3; do redis-cli -p "$redis_port" subscribe marcel:room:bench:events >/dev/null & pids+=("$!"); done
sleep 0.5
redis_cpu() { awk '{ s += $1 } END { printf "%d", s }' /proc/"$redis_pid"/task/*/schedstat; }
cpu_before=$(redis_cpu)
bench=$(redis-benchmark -p "$redis_port" -q -n 200000 -c 50 PUBLISH marcel:room:bench:events "<user1> a line of chat, about sixty bytes long, as said" 2>/dev/null | tr '\r' '\n' | grep -E 'requests per second' | tail -n 1)
cpu_after=$(redis_cpu)
echo "redis-benchmark PUBLISH (50 connections, 3 subscribers): $bench, Redis CPU $(( (cpu_after - cpu_before) / 200000 )) ns per PUBLISH" | tee -a "$out/results.txt" >&2

# A run during which the room split, lost lines or had a subscription dropped measured something else than the room:
# the servers' logs (warnings, as sentences; see RedisLog) say so. Counted per server, printed after the table.
events() { # $1 = log file; prints "splits gaps heartbeat-failures resubscribes"
  local f=$1
  printf '%s %s %s %s' "$(grep -c 'the room is split' "$f" || true)" "$(grep -c 'never arrived' "$f" || true)" \
    "$(grep -c 'Presence heartbeat failed' "$f" || true)" "$(grep -c 'subscribed again' "$f" || true)"
}
: > "$out/events.txt"
for n in single node1 node2 node3; do
  [ -f "$out/$n.log" ] && echo "$n $(events "$out/$n.log")" >> "$out/events.txt"
done

python3 - "$out/results.txt" "$out/events.txt" <<'PY'
import csv, sys
rows, ping, publish = [], None, None
for raw in open(sys.argv[1]):
    if raw.startswith('redis-ping|'):
        cells = next(csv.reader([raw.split('|', 1)[1]]), [])
        # "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
        ping = (float(cells[4]), float(cells[6])) if len(cells) >= 7 else None
        continue
    if raw.startswith('redis-benchmark PUBLISH'):
        publish = raw.strip(); continue
    if '|' not in raw: continue
    label, result = raw.rstrip('\n').split('|', 1)
    f = dict(kv.split('=', 1) for kv in result.split()[1:] if '=' in kv)
    rows.append((label, f))
def fmt_us(f):
    total = num(f, 'redis_cpu_ns_per_said')
    return '' if total != total else f"{total/1000:.1f}"
def fmt_idle(f):
    idle = num(f, 'redis_idle_cpu_ms_per_s')
    return '' if idle != idle else f"{idle:.1f} ms/s"
def num(f, k):
    try: return float(f.get(k, 'nan'))
    except ValueError: return float('nan')
print("| Scenario | Delivered lines/s | p50 ms | p99 ms | Loss | Out of order | Servers' CPU ns/delivered line (summed) | Redis CPU µs/line said (presence included) | Redis CPU while quiet (presence) |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
base = rows[0][1] if rows else {}
for label, f in rows:
    cpu = num(f, 'cpu_ns_per_line'); ratio = cpu / num(base, 'cpu_ns_per_line') if f is not base else None
    cpu_text = f"{cpu:,.0f}" + (f" ({ratio:.2f}x)" if ratio else "")
    print(f"| {label} | {num(f,'lines_per_s'):,.0f} | {f.get('p50_ms','')} | {f.get('p99_ms','')} | {f.get('loss','')} | {f.get('out_of_order','')} | {cpu_text} | {fmt_us(f)} | {fmt_idle(f)} |")
if ping:
    print(f"| Redis round trip (redis-benchmark PING, 1 connection) | | {ping[0]} | {ping[1]} | | | | | |")
if publish:
    print(f"| {publish.split(':', 1)[0]} | {publish.split(':', 1)[1].strip()} | | | | | | | |")
print()
unclean = []
for raw in open(sys.argv[2]):
    node, splits, gaps, beats, resubs = raw.split()
    # A split is logged once, by its cause: a lost connection ("the room is split") or a failed heartbeat.
    print(f"Server {node}: {int(splits) + int(beats)} split(s) ({beats} noticed by a failed heartbeat), {gaps} gap(s) (lines that never arrived), {resubs} dropped subscription(s).")
    if any(int(x) for x in (splits, gaps, beats, resubs)): unclean.append(node)
print("Clean run: no split, gap, failed heartbeat or dropped subscription." if not unclean else
      f"NOT a clean measurement: {', '.join(unclean)} logged the events above (see bench/redis/out/NODE.log).")
if len(rows) == 2 and ping:
    one, many = rows[0][1], rows[1][1]
    cpu_ratio = num(many, 'cpu_ns_per_line') / num(one, 'cpu_ns_per_line')
    bound = 2 * num(one, 'p99_ms') + ping[1]
    print()
    print(f"Targets: summed CPU {cpu_ratio:.2f}x the single server (<= 1.5x: {'met' if cpu_ratio <= 1.5 else 'missed'}); "
          f"cross-server p99 {num(many,'p99_ms'):.2f} ms against 2 x {num(one,'p99_ms'):.2f} + {ping[1]} = {bound:.2f} ms "
          f"({'met' if num(many,'p99_ms') <= bound else 'missed'}); loss {many.get('loss','?')} ({'met' if many.get('loss') == '0' and one.get('loss') == '0' else 'missed'}).")
PY
