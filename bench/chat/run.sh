#!/usr/bin/env bash
# Chat room benchmark: a minimal C epoll broker (the floor), `ncat --chat` and `marcel serve --chat` side by side,
# same generator, same scenarios, one run; marcel-ws is the same marcel binary with its clients joining as browser
# members (`--web`, the generator's WebSocket clients), so the two kinds of member are measured against each other.
# Usage: bench/chat/run.sh            (SECONDS_PER=3 by default: seconds of sending per load scenario)
# marcel is the shipped NativeAOT binary; the 10,000-idle scenario also runs the framework-dependent build (dotnet tool).
# Prints a markdown table (and keeps the raw RESULT lines in bench/chat/out/results.txt).
set -euo pipefail
cd "$(dirname "$0")/../.."
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
SECONDS_PER=${SECONDS_PER:-3}
out=bench/chat/out
mkdir -p "$out"
command -v ncat >/dev/null || { echo "ncat is missing: apt-get install ncat"; exit 1; }
command -v cc >/dev/null || { echo "a C compiler is missing: apt-get install gcc"; exit 1; }
cc -O2 -o "$out/broker" bench/chat/floor/broker.c

echo "Building marcel (NativeAOT and framework-dependent) and the load generator (Release)..." >&2
dotnet publish -c Release -r linux-x64 src/Marcel.Cli -o "$out/marcel-aot" -v q -nologo >/dev/null
dotnet build -c Release src/Marcel.Cli -o "$out/marcel" -v q -nologo >/dev/null
dotnet build -c Release bench/chat/ChatLoad -o "$out/load" -v q -nologo >/dev/null

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

server_pid=""
start_server() { # $1 = floor|ncat|marcel|marcel-ws|marcel-jit ; sets $port, $web_port and $server_pid
  port=$(free_port)
  web_port=$(free_port)
  case "$1" in
    # -m 1020: ncat's ceiling (its default is 100 clients).
    floor) "$out/broker" "$port" </dev/null >/dev/null 2>&1 & ;;
    ncat) ncat --chat -l 127.0.0.1 "$port" -m 1020 </dev/null >/dev/null 2>&1 & ;;
    marcel) "$out/marcel-aot/marcel" serve --chat --host 127.0.0.1 --port "$port" --max-clients 20000 </dev/null >/dev/null 2>&1 & ;;
    marcel-ws) "$out/marcel-aot/marcel" serve --chat --host 127.0.0.1 --port "$port" --max-clients 20000 --web "$web_port" </dev/null >/dev/null 2>&1 & ;;
    marcel-jit) dotnet "$out/marcel/marcel.dll" serve --chat --host 127.0.0.1 --port "$port" --max-clients 20000 </dev/null >/dev/null 2>&1 & ;;
  esac
  server_pid=$!
  local listening=$port
  [ "$1" = marcel-ws ] && listening=$web_port
  for _ in $(seq 100); do ss -ltn "sport = :$listening" | grep -q LISTEN && return 0; sleep 0.05; done
  echo "server $1 did not start" >&2; return 1
}

stop_server() {
  kill -TERM "$server_pid" 2>/dev/null || true
  for _ in $(seq 40); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.05; done
  kill -KILL "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
}

run() { # $1 = label, rest = generator arguments (without --port/--pid); SERVERS overrides who runs it
  local label=$1; shift
  for server in ${SERVERS:-floor ncat marcel marcel-ws}; do
    start_server "$server"
    echo "  $label / $server" >&2
    local extra=()
    [ "$server" = floor ] && extra=(--prefix none)
    [ "$server" = marcel-ws ] && extra=(--ws "$web_port")
    # The result counts even when the generator is slow to exit after printing it (10,000 WebSocket clients to close).
    line=$( (timeout 120 dotnet "$out/load/ChatLoad.dll" "$@" "${extra[@]}" --port "$port" --pid "$server_pid" || true) | grep -m1 '^RESULT' || echo "RESULT error=generator-failed")
    echo "$label|$server|$line" >> "$out/results.txt"
    stop_server
  done
}

: > "$out/results.txt"
echo "Running scenarios (${SECONDS_PER}s each)..." >&2
run "N=10 K=1 paced 1000/s"       load --clients 10   --senders 1  --rate 1000 --seconds "$SECONDS_PER"
run "N=100 K=1 paced 1000/s"      load --clients 100  --senders 1  --rate 1000 --seconds "$SECONDS_PER"
run "N=100 K=10 paced 100/s"      load --clients 100  --senders 10 --rate 100  --seconds "$SECONDS_PER"
run "N=100 K=10 paced 1000/s"     load --clients 100  --senders 10 --rate 1000 --seconds "$SECONDS_PER"
run "N=100 K=10 unthrottled x64"  load --clients 100  --senders 10 --rate 0 --batch 64 --seconds "$SECONDS_PER"
run "N=1000 K=10 paced 1000/s"    load --clients 1000 --senders 10 --rate 1000 --seconds "$SECONDS_PER"
SERVERS="floor ncat marcel marcel-ws" run "10,000 idle clients" idle --clients 10000
SERVERS="marcel-jit" run "10,000 idle clients" idle --clients 10000
SERVERS="ncat marcel marcel-ws" run "100 leave + 100 join x10"    churn --clients 100 --rounds 10

python3 bench/chat/table.py "$out/results.txt"
