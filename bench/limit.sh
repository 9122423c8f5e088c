#!/usr/bin/env bash
# The transport at the machine's limit, in one interleaved run (bench/README.md, "The limit run").
# Builds the module and the benchmarks in Release, compiles the C peer with the system's cc, then prints the
# table: C→C, the bare .NET peers, Core→Core, Core→C, C→Core for 64 B .. 1 MiB, and the cmdlets against the core.
# Extra arguments go to the run: --reps 3 --secs 2 --warmup 0.5 --sizes 64,1024,65536,1048576 --count 10000,
# --pairs "Core→Core,C→Core" (a subset; C→C always runs), --placement same|split|free (default same: each pair on CPU 0; bench/README.md, "Placement"), and --no-cmdlets to skip PowerShell.
set -euo pipefail
cd "$(dirname "$0")/.."
cmdlets=1
args=()
for a in "$@"; do
  if [ "$a" = --no-cmdlets ]; then cmdlets=0; else args+=("$a"); fi
done
for tool in cc taskset; do
  command -v "$tool" >/dev/null || { echo "limit.sh needs '$tool' (Debian: apt-get install gcc util-linux)." >&2; exit 2; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cc -O2 -Wall -o "$work/uds_peer" bench/limit/uds_peer.c
dotnet build bench/AsyaSocket.Benchmarks -c Release -o "$work/bench" -v quiet -nologo >/dev/null
if [ "$cmdlets" = 1 ]; then
  dotnet tool restore >/dev/null
  dotnet build src/AsyaSocket.Cmdlets -c Release -v quiet -nologo >/dev/null
  args+=(--cmdlets bench/limit/Measure-CmdletRates.ps1)
fi
dotnet "$work/bench/AsyaSocket.Benchmarks.dll" limit --peer "$work/uds_peer" "${args[@]}"
