#!/usr/bin/env bash
# Server CPU per answered query and p99 latency under dnsperf on loopback: `fastpath serve` against Knot DNS serving
# the same names from a zone file, in the same run, rounds alternating between the two; the medians are reported.
# Clusters: the demo and 1,000 Services. Corefiles: kubeadm's default (forward, cache, loop, prometheus, …),
# kubernetes only, and kubernetes with rewrite, hosts and autopath. Loads: saturating and rate-limited (-Q).
# CPU comes from /proc/PID/stat (utime + stime), which stays meaningful on a shared machine where qps does not.
# Everything listens on 127.0.0.1 only; forwarded names go to a local Knot.
#
# Usage: bench/serve-perf.sh [seconds per run] [rounds] [rate]      (defaults: 5 3 20000)
#        FASTPATH_CLI=path/to/FastPath.Cli.dll bench/serve-perf.sh   (measure another build, e.g. an older commit)
#        SERVE_PERF_CLUSTERS="thousand" SERVE_PERF_COREFILES="plugins" bench/serve-perf.sh   (a subset of the table)
#        bench/serve-perf.sh strace [cli.dll]                       (syscalls per query while names are forwarded)
#        bench/serve-perf.sh compare BEFORE.dll AFTER.dll [secs] [rounds]  (two builds, kubeadm Corefile, 1,000 Services,
#                                                                   saturating, rounds alternating: CPU/query and qps)
# Needs dnsperf and knot (installed with apt-get when missing); not a CI test.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=run
if [[ "${1:-}" == strace ]]; then mode=strace; shift; FASTPATH_CLI=${1:-${FASTPATH_CLI:-}}; set --; fi
if [[ "${1:-}" == compare ]]; then mode=compare; BEFORE_CLI=$2; AFTER_CLI=$3; FASTPATH_CLI=$3; shift 3; fi
secs=${1:-5}
rounds=${2:-3}
rate=${3:-20000}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
command -v dnsperf >/dev/null || { apt-get update -qq && apt-get install -y -qq dnsperf >/dev/null; }
command -v knotd >/dev/null || { apt-get update -qq && apt-get install -y -qq knot >/dev/null; }
if [[ -z "${FASTPATH_CLI:-}" ]]; then
  dotnet publish src/FastPath.Cli -c Release -o "$work/cli" >/dev/null
  FASTPATH_CLI="$work/cli/FastPath.Cli.dll"
fi
FP_PORT=5391 KNOT_PORT=5392
clk=$(getconf CLK_TCK)
cpu_us() { awk -v hz="$clk" '{print ($14 + $15) * 1000000 / hz}' "/proc/$1/stat"; }

# ---- clusters: manifests for FastPath, the same A records as a zone for Knot, and the query list --------------------
make_demo() { # dir
  mkdir -p "$1"; cp -r manifests/demo "$1/manifests"
  printf '%s\n' my-service.default:10.100.200.1 my-db.default:10.244.1.5 my-db.default:10.244.2.7 kafka.default:10.244.1.60 \
    kafka.default:10.244.2.60 kubernetes.default:10.96.0.1 frontend.shop:10.97.3.75 checkout.shop:10.99.121.166 \
    cart.shop:10.111.80.87 search.shop:10.100.50.5 kube-dns.kube-system:10.96.0.10 > "$1/records"
}
make_thousand() { # dir
  mkdir -p "$1/manifests"
  : > "$1/records"
  for i in $(seq 0 999); do
    ns=ns$((i % 10)); ip=10.96.$((i / 250 + 10)).$((i % 250 + 1))
    printf 'apiVersion: v1\nkind: Service\nmetadata: {name: svc%d, namespace: %s}\nspec: {clusterIP: %s, ports: [{name: http, port: 80}]}\n---\n' "$i" "$ns" "$ip"
    echo "svc$i.$ns:$ip" >> "$1/records"
  done > "$1/manifests/services.yaml"
}
zone_and_queries() { # dir
  {
    echo '$ORIGIN cluster.local.'
    echo '@ 30 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. 1 7200 1800 86400 30'
    echo '@ 30 IN NS ns.dns.cluster.local.'
    echo 'ns.dns 30 IN A 127.0.0.1'
    awk -F: '{print $1 ".svc 30 IN A " $2}' "$1/records"
  } > "$1/cluster.local.zone"
  awk -F: '!seen[$1]++ {print $1 ".svc.cluster.local A"}' "$1/records" > "$1/queries"
  echo "nope.default.svc.cluster.local A" >> "$1/queries"
  # The strace run also asks names outside the cluster, which the kubeadm Corefile forwards (to Knot).
  { cat "$1/queries"; for i in $(seq 1 20); do echo "host$i.upstream.test A"; done; } > "$1/queries-forwarded"
}

# ---- Corefiles (every endpoint on loopback) --------------------------------------------------------------------------
corefile() { # kind
  case "$1" in
    kubeadm) cat <<EOF
.:53 {
    errors
    health 127.0.0.1:0 {
       lameduck 5s
    }
    ready 127.0.0.1:0
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus 127.0.0.1:0
    forward . 127.0.0.1:$KNOT_PORT
    cache 30
    loop
    reload
    loadbalance
}
EOF
    ;;
    kubernetes) printf '.:53 {\n    kubernetes cluster.local\n}\n' ;;
    plugins) cat <<EOF
.:53 {
    errors
    rewrite name suffix .corp.internal .svc.cluster.local
    hosts {
       10.1.2.3 legacy.example.internal
       fallthrough
    }
    autopath @kubernetes
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods verified
       fallthrough in-addr.arpa ip6.arpa
    }
    forward . 127.0.0.1:$KNOT_PORT
    cache 30
}
EOF
    ;;
  esac
}

start_knot() { # dir
  mkdir -p "$1/knot"
  printf '$ORIGIN upstream.test.\n@ 30 IN SOA ns hostmaster 1 7200 1800 86400 30\n@ 30 IN NS ns\nns 30 IN A 127.0.0.1\n* 30 IN A 192.0.2.1\n' > "$1/knot/upstream.test.zone"
  cat > "$1/knot/knot.conf" <<CONF
server:
    listen: 127.0.0.1@$KNOT_PORT
    rundir: "$1/knot"
database:
    storage: "$1/knot"
zone:
  - domain: cluster.local
    file: "$1/cluster.local.zone"
  - domain: upstream.test
    file: "$1/knot/upstream.test.zone"
CONF
  knotd -c "$1/knot/knot.conf" > "$1/knot.log" 2>&1 &
  echo $! > "$1/knot.pid"
  wait_for $KNOT_PORT
}

start_fastpath() { # dir corefile-kind
  corefile "$2" > "$1/Corefile.$2"
  dotnet "$FASTPATH_CLI" serve --manifests "$1/manifests" --corefile "$1/Corefile.$2" --listen 127.0.0.1:$FP_PORT > "$1/fastpath.$2.log" 2>&1 &
  echo $! > "$1/fastpath.pid"
  wait_for $FP_PORT
}

wait_for() { # port
  for _ in $(seq 120); do
    dig +short +time=1 +tries=1 @127.0.0.1 -p "$1" kubernetes.default.svc.cluster.local >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "nothing answers on port $1" >&2; return 1
}

# One dnsperf run against pid/port: prints "cpu_us_per_query p99_ms completed lost qps".
measure() { # pid port queries [-Q rate]
  local pid=$1 port=$2 queries=$3; shift 3
  local before after out
  before=$(cpu_us "$pid")
  dnsperf -s 127.0.0.1 -p "$port" -d "$queries" -l "$secs" -c 4 -v "$@" > "$work/dnsperf.out" 2>&1 || true
  after=$(cpu_us "$pid")
  out=$(grep -E "Queries (completed|lost)|Queries per second" "$work/dnsperf.out")
  local completed lost qps p99
  completed=$(echo "$out" | awk '/Queries completed/ {print $3}')
  lost=$(echo "$out" | awk '/Queries lost/ {print $3}')
  qps=$(echo "$out" | awk '/Queries per second/ {print $4}')
  p99=$(awk '$1 == ">" {print $NF}' "$work/dnsperf.out" | sort -g | awk '{v[NR]=$1} END {i=int(NR*0.99); if (i<1) i=1; printf "%.3f", v[i]*1000}')
  awk -v b="$before" -v a="$after" -v q="$completed" -v l="$lost" -v qps="$qps" -v p="$p99" 'BEGIN { printf "%.2f %s %d %d %.0f\n", (a-b)/q, p, q, l, qps }'
}

median() { sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

if [[ $mode == strace ]]; then
  command -v strace >/dev/null || { apt-get update -qq && apt-get install -y -qq strace >/dev/null; }
  dir="$work/thousand"; make_thousand "$dir"; zone_and_queries "$dir"; start_knot "$dir"
  start_fastpath "$dir" kubeadm
  pid=$(cat "$dir/fastpath.pid")
  strace -c -f -p "$pid" -o "$work/strace.txt" & st=$!
  sleep 1
  dnsperf -s 127.0.0.1 -p $FP_PORT -d "$dir/queries-forwarded" -l "$secs" -c 4 -Q "$rate" > "$work/dnsperf.out" 2>&1 || true
  kill -INT $st; wait $st || true
  completed=$(awk '/Queries completed/ {print $3}' "$work/dnsperf.out")
  grep -E "Queries (sent|completed|lost)" "$work/dnsperf.out"
  echo "syscalls per answered query ($completed answered, $(wc -l < "$dir/queries-forwarded") names of which 20 forwarded):"
  awk -v q="$completed" '$NF ~ /^(recvmsg|sendmsg|recvmmsg|sendmmsg|recvfrom|sendto|epoll_wait|epoll_pwait|sched_yield|futex|epoll_ctl|read|write)$/ && $4 ~ /^[0-9]+$/ { printf "  %-12s %8d  %.3f\n", $NF, $4, $4 / q }' "$work/strace.txt"
  kill -TERM "$(cat "$dir/fastpath.pid")" "$(cat "$dir/knot.pid")"; wait || true
  exit 0
fi

if [[ $mode == compare ]]; then
  dir="$work/thousand"; make_thousand "$dir"; zone_and_queries "$dir"; start_knot "$dir"
  : > "$work/before"; : > "$work/after"
  for _ in $(seq "$rounds"); do
    for build in before after; do
      if [[ $build == before ]]; then FASTPATH_CLI=$BEFORE_CLI; else FASTPATH_CLI=$AFTER_CLI; fi
      start_fastpath "$dir" kubeadm
      fp=$(cat "$dir/fastpath.pid")
      measure "$fp" $FP_PORT "$dir/queries" >> "$work/$build"
      kill -TERM "$fp"; wait "$fp" 2>/dev/null || true
    done
  done
  echo "1,000 Services, kubeadm Corefile, saturating, dnsperf -c 4 -l $secs, $rounds rounds alternating (cpu_us/query p99_ms completed lost qps):"
  for build in before after; do echo "  $build:"; sed 's/^/    /' "$work/$build"; done
  b=$(awk '{print $1}' "$work/before" | median); a=$(awk '{print $1}' "$work/after" | median)
  bq=$(awk '{print $5}' "$work/before" | median); aq=$(awk '{print $5}' "$work/after" | median)
  awk -v b="$b" -v a="$a" -v bq="$bq" -v aq="$aq" 'BEGIN { printf "median CPU/query: before %.2f µs, after %.2f µs (after/before %.2f); median qps: before %.0f, after %.0f\n", b, a, a/b, bq, aq }'
  kill -TERM "$(cat "$dir/knot.pid")"; wait || true
  exit 0
fi

echo "dnsperf: $secs s per run, 4 clients, $rounds alternating rounds, rate-limited runs at -Q $rate; knotd $(knotd -V | awk '{print $NF}')"
echo "| cluster | Corefile | load | fastpath µs CPU/query | Knot µs CPU/query | ratio | fastpath p99 ms | Knot p99 ms | lost (fp/knot) |"
echo "|---|---|---|---:|---:|---:|---:|---:|---|"
for cluster in ${SERVE_PERF_CLUSTERS:-demo thousand}; do
  dir="$work/$cluster"
  if [[ $cluster == demo ]]; then make_demo "$dir"; else make_thousand "$dir"; fi
  zone_and_queries "$dir"
  start_knot "$dir"
  kn=$(cat "$dir/knot.pid")
  for cf in ${SERVE_PERF_COREFILES:-kubeadm kubernetes plugins}; do
    start_fastpath "$dir" "$cf"
    fp=$(cat "$dir/fastpath.pid")
    for load in saturating limited; do
      args=(); [[ $load == limited ]] && args=(-Q "$rate")
      : > "$work/fp" ; : > "$work/kn"
      for _ in $(seq "$rounds"); do
        measure "$fp" $FP_PORT "$dir/queries" "${args[@]}" >> "$work/fp"
        measure "$kn" $KNOT_PORT "$dir/queries" "${args[@]}" >> "$work/kn"
      done
      fcpu=$(awk '{print $1}' "$work/fp" | median); kcpu=$(awk '{print $1}' "$work/kn" | median)
      fp99=$(awk '{print $2}' "$work/fp" | median); kp99=$(awk '{print $2}' "$work/kn" | median)
      flost=$(awk '{s+=$4} END {print s}' "$work/fp"); klost=$(awk '{s+=$4} END {print s}' "$work/kn")
      label=$([[ $load == limited ]] && echo "$rate qps" || echo saturating)
      awk -v c="$cluster" -v f="$cf" -v l="$label" -v a="$fcpu" -v b="$kcpu" -v p="$fp99" -v q="$kp99" -v x="$flost" -v y="$klost" \
        'BEGIN { printf "| %s | %s | %s | %.2f | %.2f | %.2f | %s | %s | %s/%s |\n", c, f, l, a, b, a/b, p, q, x, y }'
    done
    kill -TERM "$fp"; wait "$fp" 2>/dev/null || true
  done
  kill -TERM "$kn"; wait "$kn" 2>/dev/null || true
done
