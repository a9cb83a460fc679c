#!/usr/bin/env bash
# Media benchmarks (issue 3 item 9): SRTP/SRTCP, RFC 7983 classifier, receive → route → send.
# Short in-process jobs (see bench/VideoLink.Bench/Support/BenchConfigs.cs), ≈ 2–3 min on the 2-core machine.
# Writes BenchmarkDotNet's GitHub markdown to bench/results/ and the machine facts to bench/results/media-machine.txt.
# Extra arguments go to BenchmarkDotNet, e.g.  bench/run-media.sh --filter '*Srtp*'
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
artifacts="bench/VideoLink.Bench/BenchmarkDotNet.Artifacts"   # gitignored
results="bench/results"
filter=(--filter '*')
if [[ $# -gt 0 ]]; then filter=("$@"); fi

rm -rf "$artifacts/results"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
dotnet run -c Release --project bench/VideoLink.Bench -- "${filter[@]}" --artifacts "$artifacts"

mkdir -p "$results"
for f in "$artifacts"/results/*-report-github.md; do
  cp "$f" "$results/$(basename "$f" | sed 's/^VideoLink\.Bench\.//; s/-report-github//')"
done
{
  echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "nproc: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
  echo "dotnet: $(dotnet --version)"
  echo "load average (1/5/15 min) before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "command: bench/run-media.sh ${*:-} (dotnet run -c Release --project bench/VideoLink.Bench -- ${filter[*]} --artifacts $artifacts)"
} > "$results/media-machine.txt"
echo "results in $results/"
