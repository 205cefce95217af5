#!/usr/bin/env bash
# Server CPU time per query under a ~10 s dnsperf load on loopback: fastpath serve (compiled engine) and Knot DNS
# serving the same names from a zone file, in the same run. CPU time comes from /proc/PID/stat (utime + stime), which
# is stable on a shared machine where queries per second are not.
# Usage: bench/serve-perf.sh [seconds]     (installs dnsperf and knot with apt-get when they are missing)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
work=$(mktemp -d)
command -v dnsperf >/dev/null || { apt-get update -qq && apt-get install -y -qq dnsperf >/dev/null; }
command -v knotd >/dev/null || { apt-get update -qq && apt-get install -y -qq knot >/dev/null; }

# The queries: every A name of the demo's services and endpoints, and some misses.
dotnet publish src/FastPath.Cli -c Release -o "$work/cli" >/dev/null
names=(my-service.default my-db.default kafka.default kubernetes.default frontend.shop checkout.shop cart.shop search.shop kube-dns.kube-system)
: > "$work/queries"
for n in "${names[@]}"; do echo "$n.svc.cluster.local A" >> "$work/queries"; done
echo "nope.default.svc.cluster.local A" >> "$work/queries"
echo "my-service.default.svc.cluster.local AAAA" >> "$work/queries"

cpu_us() { awk '{print ($14 + $15) * 1000000 / '"$(getconf CLK_TCK)"'}' "/proc/$1/stat"; }

measure() { # name pid port
  local before after out q
  before=$(cpu_us "$2")
  out=$(dnsperf -s 127.0.0.1 -p "$3" -d "$work/queries" -l "$secs" -c 4 -Q 200000 2>&1)
  after=$(cpu_us "$2")
  q=$(echo "$out" | awk '/Queries completed/ {print $3}')
  echo "$out" | grep -E "Queries (sent|completed|lost)|Queries per second|Average Latency" | sed "s/^/  [$1] /"
  awk -v n="$1" -v b="$before" -v a="$after" -v q="$q" 'BEGIN { printf "  [%s] server CPU: %.0f ms for %d queries = %.2f us/query\n", n, (a-b)/1000, q, (a-b)/q }'
}

# FastPath
FASTPATH_UDP_THREADS=${FASTPATH_UDP_THREADS:-} dotnet "$work/cli/FastPath.Cli.dll" serve --manifests manifests/demo --listen 127.0.0.1:5391 > "$work/fastpath.log" 2>&1 &
fp=$!
for _ in $(seq 60); do dig +short +time=1 +tries=1 @127.0.0.1 -p 5391 my-service.default.svc.cluster.local >/dev/null 2>&1 && break; sleep 1; done
echo "fastpath serve (compiled engine), pid $fp:"
measure fastpath "$fp" 5391
dig +short @127.0.0.1 -p 5391 my-db.default.svc.cluster.local | sed 's/^/  still answering: /'
kill -TERM "$fp"; wait "$fp" || true

# Knot with the same A records
mkdir -p "$work/knot"
{
  echo '$ORIGIN cluster.local.'
  echo '@ 30 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. 1 7200 1800 86400 30'
  echo '@ 30 IN NS ns.dns.cluster.local.'
  echo 'ns.dns 30 IN A 127.0.0.1'
  echo 'my-service.default.svc 30 IN A 10.100.200.1'
  echo 'my-db.default.svc 30 IN A 10.244.1.5'
  echo 'my-db.default.svc 30 IN A 10.244.2.7'
  echo 'kafka.default.svc 30 IN A 10.244.1.60'
  echo 'kafka.default.svc 30 IN A 10.244.2.60'
  echo 'kubernetes.default.svc 30 IN A 10.96.0.1'
  echo 'frontend.shop.svc 30 IN A 10.97.3.75'
  echo 'checkout.shop.svc 30 IN A 10.99.121.166'
  echo 'cart.shop.svc 30 IN A 10.111.80.87'
  echo 'search.shop.svc 30 IN A 10.100.50.5'
  echo 'kube-dns.kube-system.svc 30 IN A 10.96.0.10'
} > "$work/knot/cluster.local.zone"
cat > "$work/knot/knot.conf" <<CONF
server:
    listen: 127.0.0.1@5392
    rundir: "$work/knot"
database:
    storage: "$work/knot"
zone:
  - domain: cluster.local
    file: "$work/knot/cluster.local.zone"
CONF
knotd -c "$work/knot/knot.conf" > "$work/knot.log" 2>&1 &
kn=$!
for _ in $(seq 30); do dig +short +time=1 +tries=1 @127.0.0.1 -p 5392 my-service.default.svc.cluster.local >/dev/null 2>&1 && break; sleep 1; done
echo "knotd $(knotd -V | head -1), pid $kn:"
measure knot "$kn" 5392
kill -TERM "$kn"; wait "$kn" || true
rm -rf "$work"
