#!/usr/bin/env bash
# Release artefacts for every workstation the chapter names, in one command:
#
#   build/release.sh [OUT]          (OUT defaults to artifacts/release)
#
# For each runtime identifier: the marcel executable in an archive (.tar.gz on Linux and macOS, .zip on Windows),
# plus the .NET tool package (marcel.VERSION.nupkg, for `dotnet tool install`), and SHA256SUMS over all of them,
# verified at the end.
#   linux-x64                NativeAOT: one native file, no .NET needed (0 trim/AOT warnings allowed).
#   linux-arm64, osx-x64,    self-contained single file (the runtime inside, trimmed): NativeAOT for these needs
#   osx-arm64, win-x64       their own toolchains (a Mac, Windows, an arm64 sysroot), which this machine lacks.
#   win-arm64                built the same way when its runtime packs can be restored; the package registry this
#                            project builds from does not serve them today, so it is reported as not built.
# The unpacked executables stay under OUT/stage/RID (CI runs the linux-x64 one and the win-x64 one under Wine).
# Every RID is compiled, so a compile break on any platform fails this script.
set -euo pipefail
cd "$(dirname "$0")/.."

out=${1:-artifacts/release}
rm -rf "$out"
mkdir -p "$out/stage"
out=$(cd "$out" && pwd)
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

project=src/Marcel.Cli
version=$(dotnet msbuild "$project" -getProperty:Version)
rids=(linux-x64 linux-arm64 osx-x64 osx-arm64 win-x64 win-arm64)
built=() missing=() failed=()

publish() {
  local rid=$1 stage=$2
  if [ "$rid" = linux-x64 ]; then
    dotnet publish "$project" -c Release -r "$rid" -o "$stage"
  else
    dotnet publish "$project" -c Release -r "$rid" --self-contained -p:PublishAot=false \
      -p:PublishSingleFile=true -p:PublishTrimmed=true -p:EnableCompressionInSingleFile=true \
      -p:IncludeNativeLibrariesForSelfExtract=true -p:DebugType=none -o "$stage"
  fi
}

for rid in "${rids[@]}"; do
  stage="$out/stage/$rid"
  log="$out/stage/$rid.log"
  echo "== $rid"
  if ! publish "$rid" "$stage" >"$log" 2>&1; then
    if grep -q 'error NU1101' "$log"; then
      # The runtime packs of this RID are not served by the package source: a documented absence, not a break.
      echo "   not built: its runtime packs cannot be restored here ($(grep -o 'Unable to find package [^ ]*' "$log" | sed 's|\.$||' | sort -u | head -n 1))"
      missing+=("$rid")
    else
      grep -E 'error|warning' "$log" | sort -u | head -n 20
      failed+=("$rid")
    fi
    continue
  fi
  if grep -qE 'warning (IL|AOT)[0-9]+' "$log"; then
    grep -E 'warning (IL|AOT)[0-9]+' "$log" | sort -u | head -n 20
    failed+=("$rid")
    continue
  fi

  name="marcel-$version-$rid"
  package="$out/stage/$name"
  mkdir -p "$package"
  case $rid in
    win-*) cp "$stage/marcel.exe" "$package/" ;;
    *) cp "$stage/marcel" "$package/" ;;
  esac
  cp README.md "$package/"
  case $rid in
    win-*) (cd "$out/stage" && zip -qr -X "$out/$name.zip" "$name") ;;
    *) tar -C "$out/stage" --owner=0 --group=0 --numeric-owner -czf "$out/$name.tar.gz" "$name" ;;
  esac
  rm -rf "$package"
  built+=("$rid")
done

echo "== .NET tool package"
if dotnet pack "$project" -c Release -o "$out" >"$out/stage/pack.log" 2>&1; then
  built+=(tool)
else
  grep -E 'error' "$out/stage/pack.log" | sort -u | head -n 20
  failed+=(tool)
fi

(cd "$out" && sha256sum ./*.tar.gz ./*.zip ./*.nupkg 2>/dev/null | sed 's| \./| |' >SHA256SUMS && sha256sum --quiet -c SHA256SUMS)
echo "== artefacts in $out"
(cd "$out" && for f in *.tar.gz *.zip *.nupkg; do [ -e "$f" ] && printf '%10s  %s  %s\n' "$(stat -c %s "$f")" "$(grep " $f\$" SHA256SUMS | cut -c1-16)…" "$f"; done)
echo "built: ${built[*]:-none}; not built (packs unavailable): ${missing[*]:-none}; failed: ${failed[*]:-none}"
[ ${#failed[@]} -eq 0 ]
