#!/usr/bin/env bash
# Footprint of `fastpath serve` (issue 16 part 5, issue 17 item 5):
#  1. resident memory and time to the first answer at 1,000 and 10,000 Services from manifests (kubernetes-only
#     Corefile, the in-memory snapshot: no Roslyn at start);
#  2. memory per held idle TCP connection, and UDP p99 with them held (python3 opens the connections).
# Everything on 127.0.0.1. Usage: bench/serve-footprint.sh [connections]   (default 2000); not a CI test.
set -euo pipefail
cd "$(dirname "$0")/.."
conns=${1:-2000}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
command -v dnsperf >/dev/null || { apt-get update -qq && apt-get install -y -qq dnsperf >/dev/null; }
if [[ -z "${FASTPATH_CLI:-}" ]]; then
  dotnet publish src/FastPath.Cli -c Release -o "$work/cli" >/dev/null
  FASTPATH_CLI="$work/cli/FastPath.Cli.dll"
fi
PORT=5393
printf '.:53 {\n    kubernetes cluster.local\n}\n' > "$work/Corefile"

services() { # count dir: Services with a 4-endpoint EndpointSlice each, 100 per namespace
  mkdir -p "$2"
  for i in $(seq 0 $(($1 - 1))); do
    ns=ns$((i / 100)); a=$((i / 250 % 250)); b=$((i % 250 + 1))
    printf 'apiVersion: v1\nkind: Service\nmetadata: {name: svc%d, namespace: %s}\nspec: {clusterIP: 10.96.%d.%d, selector: {app: svc%d}, ports: [{name: http, port: 80}]}\n---\n' "$i" "$ns" "$a" "$b" "$i"
    printf 'apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: svc%d-1, namespace: %s, labels: {kubernetes.io/service-name: svc%d}}\naddressType: IPv4\nports: [{name: http, port: 8080, protocol: TCP}]\nendpoints:\n' "$i" "$ns" "$i"
    for e in 1 2 3 4; do printf -- '- {addresses: [10.%d.%d.%d], conditions: {ready: true}}\n' $((e + 100)) "$a" "$b"; done
    echo '---'
  done > "$2/cluster.yaml"
}

first_answer() { # manifests-dir
  local start pid
  start=$(date +%s.%N)
  dotnet "$FASTPATH_CLI" serve --manifests "$1" --corefile "$work/Corefile" --listen 127.0.0.1:$PORT > "$work/serve.log" 2>&1 &
  pid=$!
  until dig +short +time=1 +tries=1 @127.0.0.1 -p $PORT svc1.ns0.svc.cluster.local 2>/dev/null | grep -q .; do
    kill -0 $pid 2>/dev/null || { cat "$work/serve.log"; return 1; }
    sleep 0.05
  done
  local t; t=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN{printf "%.2f", e - s}')
  echo "$t $(awk '/VmRSS/ {print $2}' /proc/$pid/status) $(awk '/VmHWM/ {print $2}' /proc/$pid/status) $pid"
}

echo "| Services | first answer after start | resident after it | peak resident |"
echo "|---:|---:|---:|---:|"
for n in 1000 10000; do
  services $n "$work/m$n"
  read -r t rss hwm pid < <(first_answer "$work/m$n")
  printf '| %d | %s s | %d MB | %d MB |\n' $n "$t" $((rss / 1024)) $((hwm / 1024))
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
done

# Idle TCP connections: memory each, and UDP latency while they are held.
dotnet "$FASTPATH_CLI" serve --manifests "$work/m1000" --corefile "$work/Corefile" --listen 127.0.0.1:$PORT --tcp-max-clients $((conns + 100)) > "$work/serve.log" 2>&1 &
pid=$!
until dig +short +time=1 +tries=1 @127.0.0.1 -p $PORT svc1.ns0.svc.cluster.local 2>/dev/null | grep -q .; do sleep 0.1; done
echo "svc1.ns0.svc.cluster.local A" > "$work/q"
p99() { dnsperf -s 127.0.0.1 -p $PORT -d "$work/q" -l 5 -c 2 -Q 5000 -v 2>&1 | awk '$1 == ">" {print $NF}' | sort -g | awk '{v[NR]=$1} END {printf "%.3f", v[int(NR*0.99)]*1000}'; }
idle_p99=$(p99)
rss0=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
python3 - "$conns" $PORT > "$work/held" <<'PY' &
import socket, sys, time
n, port = int(sys.argv[1]), int(sys.argv[2])
held = []
for _ in range(n):
    s = socket.create_connection(("127.0.0.1", port)); held.append(s)
print(len(held), flush=True)
time.sleep(8)  # held while the server's memory and UDP latency are measured (idle timeout is 10 s)
PY
hold=$!
until [[ -s "$work/held" ]]; do sleep 0.1; done
sleep 0.5
rss1=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
held_p99=$(p99)
wait $hold || true
echo
echo "$conns idle TCP connections held: +$(( (rss1 - rss0) ))  KB resident = $(( (rss1 - rss0) * 1024 / conns )) bytes each; UDP p99 ${idle_p99} ms idle, ${held_p99} ms while held"
kill -TERM $pid; wait $pid 2>/dev/null || true
