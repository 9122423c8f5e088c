#!/usr/bin/env bash
# Builds AsyaSocket and runs every test suite: xunit (core, surface) always, Pester when pwsh is on PATH.
# Ends with one line: "N passed, N failed, N skipped" summing every suite that ran.
# Needs only the .NET SDK; packages come from NuGet during the build.
set -uo pipefail
cd "$(dirname "$0")"

configuration="${CONFIGURATION:-Release}"
results="TestResults"
rm -rf "$results"
mkdir -p "$results"

passed=0 failed=0 skipped=0
add_counts() { passed=$((passed + $1)); failed=$((failed + $2)); skipped=$((skipped + $3)); }

echo "== Build ($configuration)"
if ! dotnet build AsyaSocket.slnx -c "$configuration" -nologo -v quiet; then
  echo "The build failed."
  echo "0 passed, 1 failed"
  exit 1
fi

for project in tests/*/*.Tests.csproj; do
  name="$(basename "$project" .csproj)"
  echo "== $name"
  dotnet test "$project" -c "$configuration" --no-build -nologo \
    --logger "trx;LogFileName=$name.trx" --results-directory "$results" \
    --logger "console;verbosity=minimal"
  trx="$results/$name.trx"
  if [ ! -f "$trx" ]; then
    echo "$name produced no results: counted as one failure."
    add_counts 0 1 0
    continue
  fi
  # <Counters total=".." executed=".." passed=".." failed=".." ... notExecuted=".." ...>
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
  count() { printf '%s' "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  add_counts "$(count passed)" "$(( $(count failed) + $(count error) + $(count timeout) + $(count aborted) ))" "$(count notExecuted)"
done

if command -v pwsh >/dev/null 2>&1; then
  echo "== Pester (pwsh $(pwsh -NoProfile -NonInteractive -Command '$PSVersionTable.PSVersion.ToString()'))"
  pester_log="$results/pester.log"
  pwsh -NoProfile -NonInteractive -File tests/Pester/Run-Pester.ps1 -ResultPath "$results/pester.xml" 2>&1 | tee "$pester_log"
  summary="$(grep -E '^Pester: ' "$pester_log" | tail -n 1)"
  if [[ "$summary" =~ ^Pester:\ ([0-9]+)\ passed,\ ([0-9]+)\ failed,\ ([0-9]+)\ skipped ]]; then
    add_counts "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}" "${BASH_REMATCH[3]}"
  elif [[ "$summary" == *skipped* ]]; then
    echo "Pester was skipped: ${summary#Pester: }"
  else
    echo "Pester ended without a summary: counted as one failure."
    add_counts 0 1 0
  fi
else
  echo "== Pester skipped: pwsh is not on PATH (install PowerShell 7.4+ and Pester 5 to run tests/Pester)."
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
