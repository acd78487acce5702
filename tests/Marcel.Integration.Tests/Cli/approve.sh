#!/usr/bin/env bash
# Accepts the help texts that the last failing help test received: copies each Cli/Approved/*.received.txt from the
# test output over the approved file beside this script. Read `git diff` afterwards: those texts are what users see.
#   dotnet test --project tests/Marcel.Integration.Tests -- --filter-class Marcel.Tests.Cli.HelpTests; tests/Marcel.Integration.Tests/Cli/approve.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
shopt -s nullglob
received=("$here"/../bin/*/net10.0/Cli/Approved/*.received.txt)
[ ${#received[@]} -gt 0 ] || { echo "Nothing to approve: no .received.txt (every help test passed?)."; exit 0; }
for file in "${received[@]}"; do
  name=$(basename "$file" .received.txt)
  cp "$file" "$here/Approved/$name.txt" && rm "$file"
  echo "approved: Cli/Approved/$name.txt"
done
