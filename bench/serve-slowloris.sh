#!/usr/bin/env bash
# UDP latency of `fastpath serve` while N "slowloris" TCP clients are held against it (issue 17 item 5 and its figures):
# each client connects, sends a DNS length prefix and then one byte of the message every 200 ms, and reconnects as soon
# as the server closes it (Knot's tcp-io-timeout: 500 ms for a started message). For each N the script reports UDP p99
# (dnsperf at a fixed rate), the server's resident memory while they are held, and the connections the server held,
# closed by timeout and evicted at the cap; idle (N = 0) runs before each N, so each ratio is to an idle run measured
# next to it on this shared machine. Everything on 127.0.0.1.
# Usage: bench/serve-slowloris.sh [N...]   (default: 250 500 1000 2000 4000); FASTPATH_CLI=path/to/FastPath.Cli.dll to
#        measure a given build; TCP_MAX_CLIENTS (default 1000, the server's default). Not a CI test.
set -euo pipefail
cd "$(dirname "$0")/.."
counts=("$@"); [[ ${#counts[@]} -gt 0 ]] || counts=(250 500 1000 2000 4000)
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
command -v dnsperf >/dev/null || { apt-get update -qq && apt-get install -y -qq dnsperf >/dev/null; }
if [[ -z "${FASTPATH_CLI:-}" ]]; then
  dotnet publish src/FastPath.Cli -c Release -o "$work/cli" >/dev/null
  FASTPATH_CLI="$work/cli/FastPath.Cli.dll"
fi
PORT=5394 RATE=${RATE:-5000} SECS=${SECS:-5}
ulimit -n 65536 2>/dev/null || true
mkdir -p "$work/m"
for i in $(seq 0 999); do
  printf 'apiVersion: v1\nkind: Service\nmetadata: {name: svc%d, namespace: ns%d}\nspec: {clusterIP: 10.96.%d.%d, ports: [{name: http, port: 80}]}\n---\n' "$i" $((i % 10)) $((i / 250 + 10)) $((i % 250 + 1))
done > "$work/m/services.yaml"
printf '.:53 {\n    kubernetes cluster.local\n}\n' > "$work/Corefile"
dotnet "$FASTPATH_CLI" serve --manifests "$work/m" --corefile "$work/Corefile" --listen 127.0.0.1:$PORT --tcp-max-clients "${TCP_MAX_CLIENTS:-1000}" > "$work/serve.log" 2>&1 &
pid=$!
until dig +short +time=1 +tries=1 @127.0.0.1 -p $PORT svc1.ns1.svc.cluster.local 2>/dev/null | grep -q .; do kill -0 $pid; sleep 0.2; done
for i in $(seq 0 99); do echo "svc$i.ns$((i % 10)).svc.cluster.local A"; done > "$work/q"
p99() { dnsperf -s 127.0.0.1 -p $PORT -d "$work/q" -l "$SECS" -c 2 -Q "$RATE" -v > "$work/dnsperf.out" 2>&1 || true
  local lost; lost=$(awk '/Queries lost/ {print $3}' "$work/dnsperf.out")
  awk '$1 == ">" {print $NF}' "$work/dnsperf.out" | sort -g | awk -v l="$lost" '{v[NR]=$1} END {printf "%.3f %s\n", v[int(NR*0.99)]*1000, l}'; }
rss() { awk '/VmRSS/ {print $2}' /proc/$pid/status; }

cat > "$work/loris.py" <<'PY'
import selectors, socket, sys, time
n, port, secs = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
sel = selectors.DefaultSelector()
reconnects = 0
def open_one():
    s = socket.socket(); s.setblocking(False)
    try: s.connect(("127.0.0.1", port))
    except BlockingIOError: pass
    sel.register(s, selectors.EVENT_READ, [0])
    return s
socks = [open_one() for _ in range(n)]
print("held", flush=True)
end = time.monotonic() + secs
while time.monotonic() < end:
    for key, _ in sel.select(timeout=0.2):   # readable: the server closed it (EOF or reset) -> reconnect
        s = key.fileobj
        try: data = s.recv(64)
        except OSError: data = b""
        if not data:
            sel.unregister(s); s.close(); socks.remove(s); socks.append(open_one()); reconnects += 1
    for s in socks:                           # one more byte: a 512-byte message announced, sent a byte at a time
        st = sel.get_key(s).data
        try: s.send(b"\x02" if st[0] == 0 else b"\x00" if st[0] == 1 else b"a"); st[0] += 1
        except OSError: pass
print("reconnects", reconnects, flush=True)
PY

echo "$(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg); UDP at $RATE qps (dnsperf -c 2, $SECS s), tcp-max-clients ${TCP_MAX_CLIENTS:-1000}"
echo "| slowloris clients | UDP p99 idle | UDP p99 held | ratio | UDP lost (held) | resident idle → held | per client | reconnects |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in "${counts[@]}"; do
  read -r idle _ < <(p99)
  r0=$(rss)
  python3 "$work/loris.py" "$n" $PORT $((SECS + 3)) > "$work/loris.out" &
  lp=$!
  until grep -q held "$work/loris.out" 2>/dev/null; do sleep 0.1; done
  sleep 1
  r1=$(rss)
  read -r held lost < <(p99)
  wait $lp || true
  rec=$(awk '/reconnects/ {print $2}' "$work/loris.out")
  awk -v n="$n" -v i="$idle" -v h="$held" -v l="$lost" -v a="$r0" -v b="$r1" -v r="$rec" \
    'BEGIN { printf "| %d | %s ms | %s ms | %.2f | %s | %.1f → %.1f MB | %d bytes | %s |\n", n, i, h, h/i, l, a/1024, b/1024, (b-a)*1024/n, r }'
  sleep 1
done
kill -TERM $pid; wait $pid 2>/dev/null || true
