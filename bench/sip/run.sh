#!/usr/bin/env bash
# VideoLink SIP benchmark (issue 4 item 9): the hub's registrar and call set-up against Kamailio, same run,
# same SIPp scenarios, everything on 127.0.0.1, bounded (< 10 min with the defaults), kills what it starts.
#
#   bench/sip/run.sh                       # build (if needed) a Release hub into /tmp/vlhub-release and run
#
# Environment (defaults):
#   HUB_DLL=/tmp/vlhub-release/VideoLink.Hub.dll   built with `dotnet build hub/VideoLink.Hub -c Release
#                                                   -p:SkipConsoleBuild=true -o /tmp/vlhub-release` if missing
#   REG_RATES="200 500 1000 2000"  REG_SECS=12     offered authenticated-REGISTER rates (/s), seconds per step
#   KAM_EXTRA_RATES="3000 4000"                    REGISTER rates offered to Kamailio only (to find its ceiling)
#   CALL_RATES="100 200 400"       CALL_SECS=10    offered call rates (INVITE/407/ACK/INVITE/200/ACK/BYE/200)
#   HOLD=1 HOLD_USERS=2000 HOLD_INTERVAL=60 HOLD_CYCLES=2   the 2,000-endpoints-re-registering check
#   PORT_BASE=15080   hub SIP = base, Kamailio = base+10, SIPp UAS = base+11, SIPp UAC = base+20,
#                     hub HTTP = base+3400, SIPp media ports from base+200
#   HUB_LOG_LEVEL=                 empty = the hub's shipped logging (Serilog Information: console + file, one line per
#                                  registration); e.g. Warning passes --Logging:Serilog:MinimumLevel Warning (diagnostic)
#   (an empty REG_RATES, KAM_EXTRA_RATES or CALL_RATES skips that part)
#   PERF=0            1 = start the hub with DOTNET_PerfMapEnabled=1 and `perf record` it during its top REGISTER step
#
# Output: bench/sip/generated/run-<UTC time>/ (SIPp stat/error files, logs, steps.jsonl, results.md);
# results.md is printed at the end. bench/sip/generated/ is git-ignored.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
GEN=$HERE/generated
SCN=$HERE/scenarios
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=$GEN/run-$STAMP

HUB_DLL=${HUB_DLL:-/tmp/vlhub-release/VideoLink.Hub.dll}
REG_RATES=${REG_RATES-"200 500 1000 2000"}
REG_SECS=${REG_SECS:-12}
KAM_EXTRA_RATES=${KAM_EXTRA_RATES-"3000 4000"}
CALL_RATES=${CALL_RATES-"100 200 400"}
CALL_SECS=${CALL_SECS:-10}
HOLD=${HOLD:-1}
HOLD_USERS=${HOLD_USERS:-2000}
HOLD_INTERVAL=${HOLD_INTERVAL:-60}
HOLD_CYCLES=${HOLD_CYCLES:-2}
PORT_BASE=${PORT_BASE:-15080}
PERF=${PERF:-0}
HUB_LOG_LEVEL=${HUB_LOG_LEVEL:-}

HUB_SIP=$PORT_BASE
KAM_SIP=$((PORT_BASE + 10))
UAS_SIP=$((PORT_BASE + 11))
UAC_SIP=$((PORT_BASE + 20))
HUB_HTTP=$((PORT_BASE + 3400))
MEDIA_BASE=$((PORT_BASE + 200))
IP=127.0.0.1

for tool in sipp kamailio dotnet python3 curl ss; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool not found (kamailio: apt-get install -y kamailio; sipp: apt-get install -y sip-tester)" >&2; exit 2; }
done
for p in $HUB_SIP $KAM_SIP $UAS_SIP $UAC_SIP; do
  if ss -lnu | awk '{print $4}' | grep -q ":$p\$"; then echo "run.sh: UDP port $p is in use; set PORT_BASE" >&2; exit 2; fi
done
if ss -lnt | awk '{print $4}' | grep -q ":$HUB_HTTP\$"; then echo "run.sh: TCP port $HUB_HTTP is in use; set PORT_BASE" >&2; exit 2; fi

ulimit -n 65536 2>/dev/null || true
mkdir -p "$OUT"
HUB_PID= ; KAM_PID= ; UAS_PID= ; HUB_DATA=
cleanup() {
  set +e
  [ -n "$UAS_PID" ] && kill "$UAS_PID" 2>/dev/null
  [ -n "$KAM_PID" ] && kill "$KAM_PID" 2>/dev/null
  [ -n "$HUB_PID" ] && kill "$HUB_PID" 2>/dev/null
  sleep 1
  [ -n "$UAS_PID" ] && kill -9 "$UAS_PID" 2>/dev/null
  [ -n "$KAM_PID" ] && kill -9 "$KAM_PID" 2>/dev/null
  [ -n "$HUB_PID" ] && kill -9 "$HUB_PID" 2>/dev/null
  [ -n "$HUB_DATA" ] && rm -rf "$HUB_DATA"
  rm -f "/tmp/perf-$HUB_PID.map" 2>/dev/null
}
trap cleanup EXIT INT TERM

log() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a "$OUT/run.log"; }

# ---------------------------------------------------------------- inputs
python3 "$HERE/gen.py" "$HOLD_USERS" | tee -a "$OUT/run.log"
cp "$HERE/kamailio/kamailio.cfg" "$GEN/kamailio.cfg"    # includes kamailio-users.cfg from the same folder

if [ ! -f "$HUB_DLL" ]; then
  log "building a Release hub into $(dirname "$HUB_DLL")"
  dotnet build "$ROOT/hub/VideoLink.Hub" -c Release -p:SkipConsoleBuild=true -o "$(dirname "$HUB_DLL")" >"$OUT/build.log" 2>&1
fi

# ---------------------------------------------------------------- helpers
ticks() { # utime+stime (clock ticks) of a pid and all its children
  local total=0 p
  for p in "$@" $(for q in "$@"; do ps -o pid= --ppid "$q" 2>/dev/null; done); do
    [ -r "/proc/$p/stat" ] || continue
    total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat")))
  done
  echo $total
}
rss_kb() { awk '/^VmRSS/{print $2}' "/proc/$1/status"; }
hwm_kb() { awk '/^VmHWM/{print $2}' "/proc/$1/status"; }
pss_kb_tree() { # proportional set size of a process tree (Kamailio's shared memory counted once)
  local total=0 p
  for p in "$1" $(ps -o pid= --ppid "$1"); do
    [ -r "/proc/$p/smaps_rollup" ] || continue
    total=$((total + $(awk '/^Pss:/{print $2; exit}' "/proc/$p/smaps_rollup")))
  done
  echo $total
}

# run_step <label> <target: hub|kamailio> <port> <scenario> <csv> <rate> <calls> <timeout s> [extra sipp args...]
run_step() {
  local label=$1 target=$2 port=$3 scn=$4 csv=$5 rate=$6 calls=$7 tmo=$8; shift 8
  local stf="$OUT/$label.stat.csv" err="$OUT/$label.errors.log"
  local pids uas_before=0 uas_after=0
  if [ "$target" = hub ]; then pids=$HUB_PID; else pids=$KAM_PID; fi
  rm -f "$stf" "$err"
  local t0 t1 c0 c1
  c0=$(ticks $pids); [ -n "$UAS_PID" ] && uas_before=$(ticks "$UAS_PID")
  t0=$(date +%s.%N)
  set +e
  timeout $((tmo + 15)) sipp "$IP:$port" -sf "$scn" -inf "$csv" -i $IP -p $UAC_SIP -mp $MEDIA_BASE \
    -r "$rate" -rp 1000 -m "$calls" -l 20000 -timeout "${tmo}s" -buff_size 4194304 -nd -nostdin \
    -trace_stat -stf "$stf" -fd 1 -trace_err -error_file "$err" "$@" >"$OUT/$label.sipp.out" 2>&1
  local rc=$?
  set -e
  t1=$(date +%s.%N)
  c1=$(ticks $pids); [ -n "$UAS_PID" ] && uas_after=$(ticks "$UAS_PID")
  python3 - "$stf" "$label" "$target" "$rate" "$calls" "$rc" "$t0" "$t1" "$((c1 - c0))" "$((uas_after - uas_before))" \
      "$(getconf CLK_TCK)" >>"$OUT/steps.jsonl" <<'PY'
import csv, json, sys
stf, label, target, rate, calls, rc, t0, t1, cpu, uas_cpu, hz = sys.argv[1:]
rows = list(csv.reader(open(stf), delimiter=";")) if stf else []
h, last = rows[0], rows[-1]
g = lambda name: last[h.index(name)]
start = float(g("StartTime").split("\t")[-1]); cur = float(g("CurrentTime").split("\t")[-1])
elapsed = cur - start
ok, failed = int(g("SuccessfulCall(C)")), int(g("FailedCall(C)"))
print(json.dumps(dict(label=label, target=target, offered=float(rate), calls=int(calls), created=int(g("TotalCallCreated")),
    ok=ok, failed=failed, retrans=int(g("Retransmissions(C)")), unexpected=int(g("FailedUnexpectedMessage(C)")),
    timeouts=int(g("FailedTimeoutOnRecv(C)")) + int(g("FailedMaxUDPRetrans(C)")), elapsed=round(elapsed, 3),
    achieved=round(ok / elapsed, 1) if elapsed > 0 else 0, sipp_rc=int(rc), wall=round(float(t1) - float(t0), 3),
    cpu_s=int(cpu) / int(hz), uas_cpu_s=int(uas_cpu) / int(hz))))
PY
  tail -1 "$OUT/steps.jsonl" | tee -a "$OUT/run.log"
}

# ---------------------------------------------------------------- start the hub
HUB_DATA=$(mktemp -d /tmp/vlsip-hub.XXXXXX)
ADMIN_PW="Bench-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
log "starting hub $HUB_DLL (SIP udp $IP:$HUB_SIP, HTTP $HUB_HTTP, seed with $((2 * HOLD_USERS)) bench accounts)"
(
  export VIDEOLINK_ADMIN_PASSWORD=$ADMIN_PW
  [ "$PERF" = 1 ] && export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0   # W^X off: perf can resolve JIT frames
  cd "$(dirname "$HUB_DLL")"   # like deploy/videolink-hub.service (WorkingDirectory = the app folder, data elsewhere)
  exec dotnet "$HUB_DLL" --urls "http://$IP:$HUB_HTTP" --data "$HUB_DATA" --seed "$GEN/seed-bench.json" \
    --sip-port "$HUB_SIP" --media-port 0 --Sip:ListenAddress $IP --Sip:AdvertisedAddress $IP \
    ${HUB_LOG_LEVEL:+--Logging:Serilog:MinimumLevel "$HUB_LOG_LEVEL"}
) >"$OUT/hub.log" 2>&1 &
HUB_PID=$!
for i in $(seq 1 120); do
  curl -sf "http://$IP:$HUB_HTTP/health/ready" >/dev/null 2>&1 && break
  kill -0 $HUB_PID 2>/dev/null || { echo "hub exited; see $OUT/hub.log" >&2; tail -20 "$OUT/hub.log" >&2; exit 1; }
  sleep 0.5
done
curl -sf "http://$IP:$HUB_HTTP/health/ready" >/dev/null || { echo "hub not ready after 60 s" >&2; exit 1; }
HUB_RSS_START=$(rss_kb $HUB_PID)
log "hub ready (pid $HUB_PID), RSS ${HUB_RSS_START} kB"

hub_online() { # how many of the given users the directory API shows online
  local token
  token=$(curl -sf -X POST "http://$IP:$HUB_HTTP/api/auth/login" -H 'content-type: application/json' \
    -d "{\"username\":\"admin\",\"password\":\"$ADMIN_PW\"}" | python3 -c 'import json,sys;print(json.load(sys.stdin)["token"])')
  curl -sf -H "Authorization: Bearer $token" "http://$IP:$HUB_HTTP/api/endpoints" | python3 -c '
import json, sys
lo, hi = int(sys.argv[1]), int(sys.argv[2])
d = json.load(sys.stdin)
b = [e for e in d if (e.get("sipUser") or "").isdigit() and lo <= int(e["sipUser"]) <= hi]
print(sum(1 for e in b if e["online"]), len(b))' "$1" "$2"
}

# ---------------------------------------------------------------- start Kamailio
mkdir -p "$OUT/kamailio-run"
log "starting kamailio ($(kamailio -v | head -1)) on udp $IP:$KAM_SIP"
(cd "$GEN" && exec kamailio -f "$GEN/kamailio.cfg" -l "udp:$IP:$KAM_SIP" -A "UAS_ADDR=\"sip:$IP:$UAS_SIP\"" \
  -Y "$OUT/kamailio-run" -P "$OUT/kamailio-run/kamailio.pid" -DD -E -m 256 -M 16) >"$OUT/kamailio.log" 2>&1 &
KAM_PID=$!
for i in $(seq 1 40); do ss -lnu | awk '{print $4}' | grep -q ":$KAM_SIP\$" && break; sleep 0.25; done
ss -lnu | awk '{print $4}' | grep -q ":$KAM_SIP\$" || { echo "kamailio did not start; see $OUT/kamailio.log" >&2; tail -20 "$OUT/kamailio.log" >&2; exit 1; }
sleep 0.5
log "kamailio ready (pid $KAM_PID, $(($(ps -o pid= --ppid $KAM_PID | wc -l) + 1)) processes), PSS $(pss_kb_tree $KAM_PID) kB"

# ---------------------------------------------------------------- warm-up (not recorded): JIT/tiering of the hub
log "warm-up: 2,000 authenticated REGISTERs at 400/s to each server (not recorded)"
run_step warmup-hub hub $HUB_SIP "$SCN/register.xml" "$GEN/users.csv" 400 2000 30 -key expires 120 >/dev/null
run_step warmup-kamailio kamailio $KAM_SIP "$SCN/register.xml" "$GEN/users.csv" 400 2000 30 -key expires 120 >/dev/null
HUB_RSS_WARM=$(rss_kb $HUB_PID)

# ---------------------------------------------------------------- 1. REGISTER ladder
TOP_RATE=$(echo $REG_RATES | tr ' ' '\n' | sort -n | tail -1)
for r in $REG_RATES; do
  n=$((r * REG_SECS))
  log "REGISTER ${r}/s x ${REG_SECS}s ($n registrations over $HOLD_USERS accounts) -> hub"
  diag=()
  if [ "$r" = "$TOP_RATE" ]; then
    (sleep $((REG_SECS / 3)); top -H -b -d 2 -n 2 -p $HUB_PID >"$OUT/hub-top-H.txt" 2>&1) &
    diag+=($!)
    if [ "$PERF" = 1 ] && command -v perf >/dev/null; then
      (sleep 2; perf record -F 299 -g -p $HUB_PID -o "$OUT/hub-perf.data" -- sleep $((REG_SECS / 2)) >"$OUT/perf-record.log" 2>&1) &
      diag+=($!)
    fi
  fi
  run_step "reg-hub-$r" hub $HUB_SIP "$SCN/register.xml" "$GEN/users.csv" "$r" "$n" $((REG_SECS * 3 + 10)) -key expires 120
  for d in "${diag[@]}"; do wait "$d" || true; done
  sleep 2
  log "REGISTER ${r}/s x ${REG_SECS}s -> kamailio"
  run_step "reg-kamailio-$r" kamailio $KAM_SIP "$SCN/register.xml" "$GEN/users.csv" "$r" "$n" $((REG_SECS * 3 + 10)) -key expires 120
  sleep 2
done
for r in $KAM_EXTRA_RATES; do
  n=$((r * REG_SECS))
  log "REGISTER ${r}/s x ${REG_SECS}s -> kamailio only (its ceiling)"
  run_step "reg-kamailio-$r" kamailio $KAM_SIP "$SCN/register.xml" "$GEN/users.csv" "$r" "$n" $((REG_SECS * 3 + 10)) -key expires 120
  sleep 2
done
HUB_RSS_REG=$(rss_kb $HUB_PID)
KAM_PSS_REG=$(pss_kb_tree $KAM_PID)
if [ "$PERF" = 1 ] && [ -f "$OUT/hub-perf.data" ]; then
  for key in dso comm dso,sym; do   # self time; needs /tmp/perf-<hub pid>.map, so before cleanup
    perf report -i "$OUT/hub-perf.data" --stdio --no-children -g none --sort $key 2>/dev/null | grep -v '^#' | grep -v '^$' >"$OUT/hub-perf-by-${key/,/-}.txt" || true
  done
  python3 "$HERE/perf_components.py" "$OUT/hub-perf-by-dso-sym.txt" | tee "$OUT/hub-perf-components.txt" || true
fi

# ---------------------------------------------------------------- 2. call set-up ladder
log "starting SIPp UAS behind kamailio on $IP:$UAS_SIP"
sipp -sf "$SCN/call_uas.xml" -i $IP -p $UAS_SIP -mp $((MEDIA_BASE + 100)) -buff_size 4194304 -nd -nostdin -bg \
  -trace_err -error_file "$OUT/uas.errors.log" >"$OUT/uas.sipp.out" 2>&1 || true
UAS_PID=$(grep -o 'PID=\[[0-9]*\]' "$OUT/uas.sipp.out" | tr -dc 0-9)
[ -n "$UAS_PID" ] || { echo "SIPp UAS did not start; see $OUT/uas.sipp.out" >&2; exit 1; }
KEEP_UAS=$UAS_PID
for r in $CALL_RATES; do
  n=$((r * CALL_SECS))
  UAS_PID=
  log "calls ${r}/s x ${CALL_SECS}s -> hub echo"
  run_step "call-hub-$r" hub $HUB_SIP "$SCN/call_uac.xml" "$GEN/caller.csv" "$r" "$n" $((CALL_SECS * 3 + 10)) -s echo
  sleep 2
  UAS_PID=$KEEP_UAS
  log "calls ${r}/s x ${CALL_SECS}s -> kamailio -> SIPp UAS"
  run_step "call-kamailio-$r" kamailio $KAM_SIP "$SCN/call_uac.xml" "$GEN/caller.csv" "$r" "$n" $((CALL_SECS * 3 + 10)) -s echo
  sleep 2
done
kill $UAS_PID 2>/dev/null || true; UAS_PID=
HUB_RSS_CALL=$(rss_kb $HUB_PID)

# ---------------------------------------------------------------- 3. 2,000 endpoints re-registering every 60 s
HOLD_JSON='null'
if [ "$HOLD" = 1 ]; then
  lo=74001; hi=$((74000 + HOLD_USERS))
  hold_rate=$(python3 -c "print(round($HOLD_USERS / $HOLD_INTERVAL, 3))")
  n=$((HOLD_USERS * HOLD_CYCLES))
  before=$(hub_online $lo $hi)
  log "hold: $HOLD_USERS accounts ($lo..$hi) each REGISTER every ${HOLD_INTERVAL}s (Expires 120) = ${hold_rate}/s for $HOLD_CYCLES cycles; online before: $before"
  ( for s in $(seq 1 $((HOLD_INTERVAL * HOLD_CYCLES / 10 + 1))); do echo "$(date -u +%T) $(rss_kb $HUB_PID 2>/dev/null)"; sleep 10; done ) >"$OUT/hold-rss.txt" 2>/dev/null &
  RSS_SAMPLER=$!
  run_step hold-hub hub $HUB_SIP "$SCN/register.xml" "$GEN/hold.csv" "$hold_rate" "$n" $((HOLD_INTERVAL * HOLD_CYCLES + 30)) -key expires 120
  kill $RSS_SAMPLER 2>/dev/null || true
  after=$(hub_online $lo $hi)
  log "hold: online after: $after"
  HOLD_JSON=$(python3 -c "import json;print(json.dumps(dict(users=$HOLD_USERS, interval=$HOLD_INTERVAL, cycles=$HOLD_CYCLES, rate=$hold_rate, online_before='$before', online_after='$after')))")
fi
HUB_RSS_END=$(rss_kb $HUB_PID)
HUB_HWM=$(hwm_kb $HUB_PID)
KAM_PSS_END=$(pss_kb_tree $KAM_PID)

# ---------------------------------------------------------------- report
cat >"$OUT/meta.json" <<EOF
{"date": "$(date -u '+%Y-%m-%d %H:%M UTC')", "nproc": $(nproc), "cpu": "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')",
 "dotnet": "$(dotnet --version)", "kamailio": "$(kamailio -v | head -1 | sed 's/^version: //')", "sipp": "$(sipp -v 2>&1 | grep -o 'SIPp v[^ ,]*' | head -1)",
 "load_before": "$(cut -d' ' -f1-3 /proc/loadavg)", "hub_dll": "$HUB_DLL",
 "hub_log_level": "${HUB_LOG_LEVEL:-Information (shipped)}", "perf": $PERF, "reg_secs": $REG_SECS, "call_secs": $CALL_SECS, "kam_children": 4,
 "hub_rss_kb": {"start": $HUB_RSS_START, "after_warmup": $HUB_RSS_WARM, "after_register": $HUB_RSS_REG, "after_calls": $HUB_RSS_CALL, "end": $HUB_RSS_END, "peak": $HUB_HWM},
 "kam_pss_kb": {"after_register": $KAM_PSS_REG, "end": $KAM_PSS_END}, "hold": $HOLD_JSON}
EOF
python3 "$HERE/report.py" "$OUT" | tee "$OUT/results.md"
cp "$OUT/results.md" "$GEN/latest-results.md"
log "done: $OUT"
