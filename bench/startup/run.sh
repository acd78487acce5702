#!/usr/bin/env bash
# Start-up benchmark: whole-process wall time of three short jobs, for the NativeAOT marcel, the framework-dependent
# (JIT) marcel and the usual tools, side by side in one run; then binary size and peak RSS. Prints a markdown table.
#   bench/startup/run.sh [--runs N] [--no-build]
# Jobs: `--version` (beside curl --version); `connect` to a local server that answers FIN at once (beside curl
# telnet://, nc -z and nc); `fetch` of a small local page (beside curl), when this build has `marcel fetch`.
# Figures move with the machine's load: run it on a quiet machine, and compare rows of the same run only.
# Needs hyperfine and GNU time (installed with apt-get when missing), python3, curl, nc. Loopback only.
set -euo pipefail
cd "$(dirname "$0")/../.."

runs=40 build=1
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "usage: $0 [--runs N] [--no-build]" >&2; exit 1 ;;
  esac
done

missing=()
command -v hyperfine >/dev/null || missing+=(hyperfine)
[ -x /usr/bin/time ] || missing+=(time)
command -v nc >/dev/null || missing+=(netcat-openbsd)
command -v curl >/dev/null || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# MARCEL_AOT / MARCEL_JIT point at other builds (e.g. an installed tool); --no-build then.
aot=${MARCEL_AOT:-src/Marcel.Cli/bin/Release/net10.0/linux-x64/publish/marcel}
jit=${MARCEL_JIT:-src/Marcel.Cli/bin/Release/net10.0/marcel}   # the framework-dependent build's apphost, as the .NET tool runs it
if [ "$build" -eq 1 ]; then
  echo "Building the NativeAOT and the framework-dependent marcel..." >&2
  dotnet publish src/Marcel.Cli -c Release -r linux-x64 >/dev/null
  dotnet build src/Marcel.Cli -c Release >/dev/null
fi
# `dotnet pack` (PackAsTool) leaves no apphost behind: build again when it is missing.
[ -x "$jit" ] || dotnet build src/Marcel.Cli -c Release >/dev/null
aot=$(realpath "$aot"); jit=$(realpath "$jit")

work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

export LANG=C.UTF-8 DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
unset LC_ALL http_proxy HTTP_PROXY https_proxy HTTPS_PROXY all_proxy ALL_PROXY

await_line() { for _ in $(seq 100); do [ -s "$1" ] && return 0; sleep 0.1; done; echo "no output in $1" >&2; exit 1; }

python3 -u bench/startup/fin_server.py >"$work/fin.port" 2>/dev/null &
pids+=("$!"); await_line "$work/fin.port"; fin_port=$(head -n 1 "$work/fin.port")

jobs_file="$work/jobs.tsv"   # job <TAB> label <TAB> command
{
  printf 'version\tcurl --version\tcurl --version\n'
  printf 'version\tmarcel --version (AOT)\t%s --version\n' "$aot"
  printf 'version\tmarcel --version (JIT)\t%s --version\n' "$jit"
  printf 'connect\tcurl telnet:// (read FIN, exit)\tcurl -s telnet://127.0.0.1:%s\n' "$fin_port"
  printf 'connect\tnc -z (connect only)\tnc -z 127.0.0.1 %s\n' "$fin_port"
  printf 'connect\tnc (read FIN, exit)\tnc 127.0.0.1 %s\n' "$fin_port"
  printf 'connect\tmarcel connect (AOT)\t%s connect 127.0.0.1 %s\n' "$aot" "$fin_port"
  printf 'connect\tmarcel connect (JIT)\t%s connect 127.0.0.1 %s\n' "$jit" "$fin_port"
} >"$jobs_file"

# fetch: only when this build has the command (an unknown command with --help shows the root help and exits 0).
if "$aot" fetch --help 2>/dev/null | grep -q '^  marcel fetch'; then
  mkdir -p "$work/site"
  { echo '<!doctype html><title>Marcel</title>'; for i in $(seq 40); do echo "<p>Ligne $i : bonjour.</p>"; done; } >"$work/site/page.html"
  (cd "$work/site" && exec python3 -u -m http.server 0 --bind 127.0.0.1) >"$work/http.out" 2>&1 &
  pids+=("$!"); await_line "$work/http.out"
  url="http://127.0.0.1:$(grep -oE 'port [0-9]+' "$work/http.out" | head -n 1 | cut -d' ' -f2)/page.html"
  {
    printf 'fetch\tcurl -s URL\tcurl -s -o /dev/null %s\n' "$url"
    printf 'fetch\tmarcel fetch URL (AOT)\t%s fetch %s\n' "$aot" "$url"
    printf 'fetch\tmarcel fetch URL (JIT)\t%s fetch %s\n' "$jit" "$url"
  } >>"$jobs_file"
else
  echo "marcel fetch is not in this build: the fetch job is left out." >&2
fi

load_before=$(cut -d" " -f1-3 /proc/loadavg)
# Wall time: hyperfine without a shell (-N), stdin and stdout on /dev/null, warm-up runs first (page cache). The runs
# are spread over 5 rounds that go through every command in turn, so a burst of load on a shared machine falls on all.
rounds=5
per_round=$(( (runs + rounds - 1) / rounds ))
for round in $(seq "$rounds"); do
  echo "  round $round/$rounds" >&2
  i=0
  while IFS=$'\t' read -r _ label cmd; do
    i=$((i + 1))
    [ -e "$work/$i.failed" ] && continue
    if ! hyperfine -N --style none --warmup 2 --runs "$per_round" --export-json "$work/$i.$round.json" "$cmd" >"$work/$i.log" 2>&1; then
      touch "$work/$i.failed"; echo "    failed: $label ($cmd)" >&2; sed 's/^/    /' "$work/$i.log" | tail -n 5 >&2
    fi
  done <"$jobs_file"
done

# Peak RSS: the median of 5 runs under GNU time.
i=0
while IFS=$'\t' read -r _ _ cmd; do
  i=$((i + 1))
  for _ in 1 2 3 4 5; do
    # shellcheck disable=SC2086
    /usr/bin/time -f %M -o "$work/rss" $cmd </dev/null >/dev/null 2>&1 || true
    tail -n 1 "$work/rss"
  done | sort -n | sed -n 3p >"$work/$i.rss"
done <"$jobs_file"

load_after=$(cut -d" " -f1-3 /proc/loadavg)
python3 - "$jobs_file" "$work" "$aot" "$jit" "$runs" "$load_before" "$load_after" <<'PY'
import glob, json, os, statistics, sys
jobs_file, work, aot, jit, runs, load_before, load_after = sys.argv[1:]
rows = []
with open(jobs_file) as f:
    for i, line in enumerate(f, 1):
        job, label, cmd = line.rstrip("\n").split("\t")
        if os.path.exists(os.path.join(work, f"{i}.failed")):
            rows.append(dict(job=job, label=label, failed=True))
            continue
        results = [json.load(open(p))["results"][0] for p in sorted(glob.glob(os.path.join(work, f"{i}.*.json")))]
        times = [t * 1000 for r in results for t in r["times"]]
        # CPU time (user + system, mean per run): the work done, which a loaded machine disturbs less than wall time.
        cpu = statistics.mean((r["user"] + r["system"]) * 1000 for r in results)
        rss = int(open(os.path.join(work, f"{i}.rss")).read().strip() or 0)
        rows.append(dict(job=job, label=label, median=statistics.median(times), mean=statistics.mean(times),
                         sd=statistics.stdev(times), min=min(times), cpu=cpu, rss=rss / 1024, n=len(times)))

# The issue's target: at or under curl's time on each job (nc is shown beside it for the connect job).
anchors = {"version": "curl --version", "connect": "curl telnet:// (read FIN, exit)", "fetch": "curl -s URL"}
by = {(r["job"], r["label"]): r for r in rows}
print(f"\n### Start-up, whole process ({runs} runs each, median; {os.cpu_count()} CPUs, load average {load_before} before, {load_after} after)\n")
print("| job | command | median ms | mean ± σ ms | min ms | CPU ms | peak RSS MiB | vs anchor | JIT ÷ AOT |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
verdicts = []
for r in rows:
    if r.get("failed"):
        print(f"| {r['job']} | {r['label']} | failed (see stderr) | | | | | | |")
        continue
    anchor = by.get((r["job"], anchors[r["job"]]))
    if anchor and anchor.get("failed"):
        anchor = None
    vs = f"{r['median'] / anchor['median']:.2f}×" if anchor and anchor is not r else "anchor" if anchor is r else ""
    speedup = ""
    if r["label"].endswith("(AOT)"):
        j = by.get((r["job"], r["label"].replace("(AOT)", "(JIT)")))
        if j and not j.get("failed") and anchor:
            speedup = f"{j['median'] / r['median']:.1f}×"
            verdicts.append(f"- {r['job']}: AOT {r['median']:.1f} ms vs {anchors[r['job']]} {anchor['median']:.1f} ms "
                            f"({'at or under' if r['median'] <= anchor['median'] else 'OVER'} the anchor); "
                            f"JIT/AOT {j['median'] / r['median']:.1f}× ({'≥' if j['median'] / r['median'] >= 5 else 'UNDER'} 5×)")
    print(f"| {r['job']} | {r['label']} | {r['median']:.1f} | {r['mean']:.1f} ± {r['sd']:.1f} | {r['min']:.1f} | {r['cpu']:.1f} | {r['rss']:.1f} | {vs} | {speedup} |")

def size(path): return os.path.getsize(path) / 1024 / 1024
jit_dir = os.path.dirname(jit)
jit_files = [p for p in glob.glob(os.path.join(jit_dir, "*")) if os.path.isfile(p) and not p.endswith((".pdb", ".xml"))]
print("\n### Size\n")
print("| build | size | needs |")
print("|---|---:|---|")
print(f"| NativeAOT `marcel` (stripped, one file) | {size(aot):.1f} MiB | glibc, ICU (+ OpenSSL for TLS) |")
print(f"| framework-dependent `marcel` (app files, no pdb) | {sum(map(os.path.getsize, jit_files)) / 1024 / 1024:.1f} MiB | the .NET 10 + ASP.NET Core runtimes |")
print("\n### Targets\n")
print("\n".join(verdicts))
PY
