#!/usr/bin/env bash
# Same-time A/B of two commits' lookup and whole-message cost: builds each commit's benchmarks in a git worktree,
# then runs bench/FastPath.Compare on both at once (each loads its own build), REPS times. The machine's load hits
# both sides alike; compare the ratios to FrozenDictionary / ARSoft, which each process measures in the same windows.
# SUITE=yarp compares the YARP picks (bench/FastPath.Integrations.Benchmarks) instead: ns added over RoundRobin.
# Usage: [SUITE=yarp] bench/compare-builds.sh BEFORE_COMMIT AFTER_COMMIT [reps] [rounds]
set -euo pipefail
before=$1 after=$2 reps=${3:-3} rounds=${4:-10}
bench=FastPath.Benchmarks
[ "${SUITE:-}" = yarp ] && bench=FastPath.Integrations.Benchmarks
root=$(git rev-parse --show-toplevel)
out=$(mktemp -d)
dotnet build -c Release "$root/bench/FastPath.Compare" -o "$out/compare" >/dev/null
for side in before after; do
  commit=${!side}
  git -C "$root" worktree add -f --detach "$out/$side" "$commit" >/dev/null 2>&1
  dotnet build -c Release "$out/$side/bench/$bench" >/dev/null
done
for rep in $(seq "$reps"); do
  for side in before after; do
    (cd "$out/$side" && dotnet "$out/compare/FastPath.Compare.dll" "bench/$bench/bin/Release/net10.0/$bench.dll" "$rounds" > "$out/$side-$rep.txt") &
  done
  wait
done
for side in before after; do echo "== $side (${!side})"; for rep in $(seq "$reps"); do echo "-- rep $rep"; cat "$out/$side-$rep.txt"; done; done
for side in before after; do git -C "$root" worktree remove --force "$out/$side"; done
