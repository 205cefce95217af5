#!/usr/bin/env bash
# Footprint of `fastpath serve` (issue 16 part 5, issue 17 item 5):
#  1. resident memory, time and CPU time to the first answer at 100, 1,000 and 10,000 Services from manifests (kubernetes-only
#     Corefile, the in-memory snapshot: no Roslyn at start), for each build given, alternating builds per size so
#     they share the machine's load;
#  2. memory per held idle TCP connection, and UDP p99 with them held (python3 opens the connections), per build.
# Everything on 127.0.0.1; not a CI test.
#
# Usage: bench/serve-footprint.sh [connections] [BUILD...]   (default: 2000 jit aot; 0 connections skips part 2)
#   BUILD is jit (dotnet FastPath.Cli.dll), r2r (the same, published ReadyToRun), aot (the Native AOT executable),
#   or a path to one of them: a .dll runs with
#   `dotnet`, anything else is executed. Append +VAR=value to run that build with environment settings, e.g.
#   jit+DOTNET_TieredPGO=0 or aot+DOTNET_GCgen0size=0x400000. jit and aot are published here unless
#   FASTPATH_CLI_JIT / _R2R / _AOT name them already; SIZES="100 1000 10000" picks the cluster sizes.
set -euo pipefail
cd "$(dirname "$0")/.."
conns=${1:-2000}
shift || true
builds=("$@")
[[ ${#builds[@]} -gt 0 ]] || builds=(jit aot)
sizes=${SIZES:-100 1000 10000}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
command -v dnsperf >/dev/null || { apt-get update -qq && apt-get install -y -qq dnsperf >/dev/null; }

binary() { # jit | aot | path: prints the path, publishing jit/aot once
  case $1 in
    jit)
      if [[ -z "${FASTPATH_CLI_JIT:-}" ]]; then
        dotnet publish src/FastPath.Cli -c Release -o "$work/jit" >/dev/null
        FASTPATH_CLI_JIT="$work/jit/FastPath.Cli.dll"
      fi
      echo "$FASTPATH_CLI_JIT" ;;
    r2r) # the JIT build with its own assemblies precompiled (ReadyToRun): less to JIT at start
      if [[ -z "${FASTPATH_CLI_R2R:-}" ]]; then
        dotnet publish src/FastPath.Cli -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$work/r2r" >/dev/null
        FASTPATH_CLI_R2R="$work/r2r/FastPath.Cli.dll"
      fi
      echo "$FASTPATH_CLI_R2R" ;;
    aot)
      if [[ -z "${FASTPATH_CLI_AOT:-}" ]]; then
        # Native AOT on Linux links with clang.
        command -v clang >/dev/null || { apt-get update -qq && apt-get install -y -qq clang zlib1g-dev >/dev/null; }
        dotnet publish src/FastPath.Cli -c Release -r linux-x64 -p:PublishAot=true -o "$work/aot" >/dev/null
        FASTPATH_CLI_AOT="$work/aot/FastPath.Cli"
      fi
      echo "$FASTPATH_CLI_AOT" ;;
    *) echo "$1" ;;
  esac
}

# Each build as a command line: env settings, then `dotnet X.dll` or the executable.
declare -A command
for b in "${builds[@]}"; do
  IFS=+ read -r -a parts <<< "$b"
  path=$(binary "${parts[0]}")
  [[ "${parts[0]}" == jit ]] && FASTPATH_CLI_JIT=$path
  [[ "${parts[0]}" == aot ]] && FASTPATH_CLI_AOT=$path
  [[ "${parts[0]}" == r2r ]] && FASTPATH_CLI_R2R=$path
  [[ -e "$path" ]] || { echo "no such build: $path" >&2; exit 1; }
  runner=()
  [[ "$path" == *.dll ]] && runner=(dotnet)
  command[$b]="env ${parts[*]:1} ${runner[*]} $path"
done

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

serve() { # build manifests-dir [extra serve options]: starts the server in the background, sets $pid
  local b=$1 dir=$2; shift 2
  # shellcheck disable=SC2086 # the command line is words on purpose
  ${command[$b]} serve --manifests "$dir" --corefile "$work/Corefile" --listen 127.0.0.1:$PORT "$@" > "$work/serve.log" 2>&1 &
  pid=$!
}

first_answer() { # build manifests-dir
  local start t
  start=$(date +%s.%N)
  serve "$1" "$2"
  until dig +short +time=1 +tries=1 @127.0.0.1 -p $PORT svc1.ns0.svc.cluster.local 2>/dev/null | grep -q .; do
    kill -0 $pid 2>/dev/null || { cat "$work/serve.log" >&2; return 1; }
    sleep 0.02
  done
  t=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN{printf "%.2f", e - s}')
  # CPU seconds (user + system, every thread) the process used until then: far steadier than the wall time on a
  # shared machine, where other work takes the cores away.
  cpu=$(awk -v hz="$(getconf CLK_TCK)" '{sub(/^.*\) /, ""); printf "%.2f", ($12 + $13) / hz}' /proc/$pid/stat)
  echo "$t $cpu $(awk '/VmRSS/ {print $2}' /proc/$pid/status) $(awk '/VmHWM/ {print $2}' /proc/$pid/status) $pid"
}

echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| Services | build | first answer after start | CPU until then | resident after it | peak resident |"
echo "|---:|---|---:|---:|---:|---:|"
for n in $sizes; do
  services "$n" "$work/m$n"
  for b in "${builds[@]}"; do
    read -r t cpu rss hwm pid < <(first_answer "$b" "$work/m$n")
    printf '| %d | %s | %s s | %s s | %d MB | %d MB |\n' "$n" "$b" "$t" "$cpu" $((rss / 1024)) $((hwm / 1024))
    kill -TERM "$pid"; while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
  done
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
[[ "$conns" -gt 0 ]] || exit 0

# Idle TCP connections: memory each, and UDP latency while they are held.
[[ -d "$work/m1000" ]] || services 1000 "$work/m1000"
echo "svc1.ns0.svc.cluster.local A" > "$work/q"
p99() { dnsperf -s 127.0.0.1 -p $PORT -d "$work/q" -l 5 -c 2 -Q 5000 -v 2>&1 | awk '$1 == ">" {print $NF}' | sort -g | awk '{v[NR]=$1} END {printf "%.3f", v[int(NR*0.99)]*1000}'; }
echo
for b in "${builds[@]}"; do
  serve "$b" "$work/m1000" --tcp-max-clients $((conns + 100))
  until dig +short +time=1 +tries=1 @127.0.0.1 -p $PORT svc1.ns0.svc.cluster.local 2>/dev/null | grep -q .; do sleep 0.1; done
  idle_p99=$(p99)
  rss0=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
  rm -f "$work/held"
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
  echo "$b: $conns idle TCP connections held: +$(( rss1 - rss0 )) KB resident = $(( (rss1 - rss0) * 1024 / conns )) bytes each; UDP p99 ${idle_p99} ms idle, ${held_p99} ms while held"
  kill -TERM $pid; wait $pid 2>/dev/null || true
done
