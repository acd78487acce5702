#!/usr/bin/env bash
# Time-boxed AFL++ campaign against one SharpFuzz harness.
#   fuzz/run.sh TARGET [DURATION]      TARGET: line | chat | dns     DURATION: seconds, or 30m, 2h (default 10m)
# Installs afl++ (apt) and SharpFuzz.CommandLine 2.3.0 (fuzz/.tools) when missing, builds the harness into
# fuzz/out/TARGET, instruments that copy of Marcel.Core.dll, fuzzes from fuzz/corpus/TARGET, writes findings to
# fuzz/findings/TARGET (ignored), then merges the new interesting inputs back into fuzz/corpus/TARGET (committed).
# Replay one input without AFL: dotnet fuzz/out/TARGET/Marcel.Fuzz.dll TARGET FILE...
# Run it niced on a shared machine: nice -n 10 fuzz/run.sh line 30m
set -euo pipefail
cd "$(dirname "$0")"

target=${1:?usage: fuzz/run.sh line|chat|dns [DURATION]}
duration=${2:-10m}
case "$duration" in
  *h) seconds=$(( ${duration%h} * 3600 ));;
  *m) seconds=$(( ${duration%m} * 60 ));;
  *s) seconds=${duration%s};;
  *)  seconds=$duration;;
esac

if ! command -v afl-fuzz >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends afl++ >/dev/null
fi
if [ ! -x .tools/sharpfuzz ]; then
  dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path .tools >/dev/null
fi

out=out/$target
findings=findings/$target
corpus=corpus/$target
rm -rf "$out"
dotnet build Marcel.Fuzz/Marcel.Fuzz.csproj -c Release -o "$out" -nologo -v quiet
# Only the library is instrumented: coverage of the code under test, not of the harness or the runtime.
.tools/sharpfuzz "$out/Marcel.Core.dll"

export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1
started=$(date -u +%FT%TZ)
# A previous run's findings are set aside, not mixed in (its queue is already merged into the corpus).
[ -d "$findings" ] && mv "$findings" "$findings.$(date -u +%Y%m%dT%H%M%S)"
mkdir -p "$findings"
afl-fuzz -i "$corpus" -o "$findings" -V "$seconds" -t 10000 -m none -- dotnet "$out/Marcel.Fuzz.dll" "$target" >"$findings/afl.log" 2>&1 || true
ended=$(date -u +%FT%TZ)

stats=$findings/default/fuzzer_stats
afl_stat() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
crashes=$(find "$findings/default/crashes" -type f -name 'id:*' 2>/dev/null | wc -l)
hangs=$(find "$findings/default/hangs" -type f -name 'id:*' 2>/dev/null | wc -l)

# Keep the corpus small: new queue entries under 4 KiB, named by content hash so reruns do not duplicate them.
added=0
for f in "$findings"/default/queue/id:*; do
  [ -f "$f" ] && [ "$(stat -c %s "$f")" -le 4096 ] || continue
  name=$(sha1sum "$f" | cut -c1-16)
  [ -e "$corpus/$name" ] || { cp "$f" "$corpus/$name"; added=$((added + 1)); }
done

echo "target=$target started=$started ended=$ended duration=${seconds}s"
echo "execs=$(afl_stat execs_done) execs_per_sec=$(afl_stat execs_per_sec) paths=$(afl_stat corpus_count) coverage=$(afl_stat bitmap_cvg) crashes=$crashes hangs=$hangs corpus_added=$added"
if [ "$crashes" -gt 0 ]; then
  echo "crashes in $findings/default/crashes; replay: dotnet $out/Marcel.Fuzz.dll $target FILE"
  exit 1
fi
