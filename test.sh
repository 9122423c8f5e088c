#!/usr/bin/env bash
# Builds AsyaSocket and runs every test suite: the xunit suites, then Pester in the pinned PowerShell.
# Ends with one line: "N passed, N failed, N skipped" summing every suite that ran.
# Needs only the .NET SDK: PowerShell 7.6.9 comes from the local tool manifest (.config/dotnet-tools.json)
# and Pester 6.2.0 from NuGet (build/Toolchain), both restored here.
#
#   ./test.sh                       everything
#   ASYA_SKIP_PESTER=1 ./test.sh    skip the Pester suite (counted and named as skipped; refused in CI)
set -uo pipefail
cd "$(dirname "$0")"

configuration="${CONFIGURATION:-Release}"
results="TestResults"
rm -rf "$results"
mkdir -p "$results"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 POWERSHELL_TELEMETRY_OPTOUT=1 POWERSHELL_UPDATECHECK=Off

passed=0 failed=0 skipped=0
add_counts() { passed=$((passed + $1)); failed=$((failed + $2)); skipped=$((skipped + $3)); }
finish() {
  [ -n "${ASYA_TEST_RABBITMQ_SKIP_REASON:-}" ] && echo "RabbitMQ suites: $ASYA_TEST_RABBITMQ_SKIP_REASON"
  echo "$passed passed, $failed failed, $skipped skipped"
  [ "$failed" -eq 0 ]; exit $?
}
no_registry() {
  echo "$1 could not be restored from NuGet. This machine needs access to a NuGet feed that serves"
  echo "PowerShell 7.6.9 (dotnet tool), Pester 6.2.0 and the packages in Directory.Packages.props:"
  echo "check the network or proxy, or point nuget.config at a feed that has them, then run ./test.sh again."
}

echo "== Toolchain"
if ! dotnet tool restore >"$results/tool-restore.log" 2>&1; then
  cat "$results/tool-restore.log"
  no_registry "The pinned PowerShell (.config/dotnet-tools.json)"
  add_counts 0 1 0
  finish
fi
if command -v pwsh >/dev/null 2>&1; then
  path_version="$(pwsh -NoProfile -NonInteractive -Command '$PSVersionTable.PSVersion.ToString()' 2>/dev/null || echo unknown)"
  case "$path_version" in
    7.[4-9]*|7.[1-9][0-9]*|[8-9].*) ;;
    *) echo "Note: the pwsh on PATH is $path_version, older than 7.4, which the module needs. The tests use the pinned"
       echo "PowerShell 7.6.9 (dotnet pwsh) instead; to run build.ps1 yourself, use 'dotnet pwsh ./build.ps1' or install 7.4+." ;;
  esac
fi

echo "== Build ($configuration)"
if ! dotnet restore AsyaSocket.slnx -nologo -v quiet >"$results/restore.log" 2>&1; then
  cat "$results/restore.log"
  no_registry "The solution's packages"
  add_counts 0 1 0
  finish
fi
if ! dotnet build AsyaSocket.slnx -c "$configuration" --no-restore -nologo -v quiet; then
  echo "The build failed."
  add_counts 0 1 0
  finish
fi

# A private RabbitMQ node for the RabbitMQ suites (tests/Broker/test-broker.sh: never the machine's own
# service), stopped when this script exits however it exits. Without one those suites skip with the
# reason (or, in CI, fail with it).
echo "== Test broker (RabbitMQ)"
broker_dir="$(mktemp -d "${TMPDIR:-/tmp}/asya-rabbitmq.XXXXXX")"
stop_broker() { tests/Broker/test-broker.sh stop "$broker_dir" >/dev/null 2>&1; rm -rf "$broker_dir"; }
trap stop_broker EXIT
tests/Broker/test-broker.sh start "$broker_dir" >"$results/broker.log" 2>&1
tail -n 1 "$results/broker.log"
if [ -f "$broker_dir/env" ]; then
  set -a; . "$broker_dir/env"; set +a
  unset ASYA_TEST_RABBITMQ_SKIP_REASON
else
  export ASYA_TEST_RABBITMQ_SKIP_REASON="no RabbitMQ test broker could be started (see $results/broker.log)"
  echo "$ASYA_TEST_RABBITMQ_SKIP_REASON"
fi

# run_suite PROJECT NAME: one xunit suite, its counts added from its trx.
run_suite() {
  local project="$1" name="$2"
  echo "== $name"
  dotnet test "$project" -c "$configuration" --no-build -nologo \
    --logger "trx;LogFileName=$name.trx" --results-directory "$results" \
    --logger "console;verbosity=minimal"
  local trx="$results/$name.trx"
  if [ ! -f "$trx" ]; then
    echo "$name produced no results: counted as one failure."
    add_counts 0 1 0
    return
  fi
  # <Counters total=".." executed=".." passed=".." failed=".." ... notExecuted=".." ...>
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
  count() { printf '%s' "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  add_counts "$(count passed)" "$(( $(count failed) + $(count error) + $(count timeout) + $(count aborted) ))" "$(count notExecuted)"
}

for project in tests/*/*.Tests.csproj; do
  run_suite "$project" "$(basename "$project" .csproj)"
done

# On Linux the socket transport calls the system directly; these suites again on the portable path
# (System.Net.Sockets), which other systems take, so it stays tested.
for suite in Core Contract; do
  ASYASOCKET_PORTABLE_SOCKETS=1 run_suite "tests/AsyaSocket.$suite.Tests/AsyaSocket.$suite.Tests.csproj" "AsyaSocket.$suite.Tests.Portable"
done

if [ -n "${ASYA_SKIP_PESTER:-}" ]; then
  if [ "${CI:-}" = "true" ]; then
    echo "== Pester: ASYA_SKIP_PESTER is set, but CI always runs Pester: counted as one failure."
    add_counts 0 1 0
  else
    echo "== Pester skipped on request (ASYA_SKIP_PESTER is set): counted as one skipped suite."
    add_counts 0 0 1
  fi
  finish
fi

echo "== Pester ($(dotnet pwsh -NoProfile -NonInteractive -Command '"PowerShell $($PSVersionTable.PSVersion) from $PSHOME"'))"
pester_log="$results/pester.log"
dotnet pwsh -NoProfile -NonInteractive -File tests/Pester/Run-Pester.ps1 -ResultPath "$results/pester.xml" 2>&1 | tee "$pester_log"
summary="$(grep -E '^Pester: ' "$pester_log" | tail -n 1)"
if [[ "$summary" =~ ^Pester:\ ([0-9]+)\ passed,\ ([0-9]+)\ failed,\ ([0-9]+)\ skipped ]]; then
  add_counts "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}" "${BASH_REMATCH[3]}"
else
  echo "Pester ended without a summary (${summary:-no output}): counted as one failure."
  add_counts 0 1 0
fi

finish
