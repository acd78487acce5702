#!/usr/bin/env bash
# Soak benchmark: bench/soak/run.sh [DURATION_SECONDS] [extra options...]
#   Builds marcel (Release) and the soak driver, runs `marcel serve --chat` on loopback with 200 well-behaved clients
#   and injected faults for DURATION_SECONDS (default 600), then the anchor `ncat --chat` for a shorter run (60 s, or
#   ANCHOR_SECONDS; with the same faults, then without resetters, which ncat does not survive), and prints markdown tables. Options: --clients N --rate MSG_PER_S --resetters N --slow N
#   --garbage N --sample SECONDS. On a shared machine: nice -n 10 bench/soak/run.sh 600
set -euo pipefail
cd "$(dirname "$0")"
duration=${1:-600}
shift || true
dotnet build ../../src/Marcel.Cli/Marcel.Cli.csproj -c Release -o out/marcel -nologo -v quiet >/dev/null
dotnet build Marcel.Soak.csproj -c Release -o out/soak -nologo -v quiet >/dev/null
status=0
dotnet out/soak/Marcel.Soak.dll --server marcel --marcel out/marcel/marcel.dll --duration "$duration" "$@" || status=$?
if command -v ncat >/dev/null && [ "${ANCHOR_SECONDS:-60}" != 0 ]; then
  echo
  dotnet out/soak/Marcel.Soak.dll --server ncat --duration "${ANCHOR_SECONDS:-60}" "$@" || true
  echo
  # ncat --chat quits on a client reset during accept ("getpeername ... QUITTING"): once more without resetters.
  dotnet out/soak/Marcel.Soak.dll --server ncat --duration "${ANCHOR_SECONDS:-60}" "$@" --resetters 0 || true
fi
exit "$status"
