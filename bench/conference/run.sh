#!/usr/bin/env bash
# Conference benchmark (issue 5 item 8): one publisher (2 Mbps H.264-like video + 50 pps PCMU) and N WebRTC receivers,
# against the VideoLink hub (WHIP/WHEP) and Janus (VideoRoom) in the same run, everything on 127.0.0.1.
# Writes bench/conference/RESULTS-conference.md. Re-runnable; cleans up its processes and temp dir.
#
#   bench/conference/run.sh                       # N = 50,150,300, 20 s each, everything shares both cores
#   RECEIVERS=50 SECONDS_PER_RUN=10 bench/conference/run.sh
#   PIN=1 bench/conference/run.sh                 # taskset: servers on CPU 1, generator on CPU 0
#   NICE=-10 bench/conference/run.sh              # our sessions' autogroups at niceness -10 against other users
#   GENERATOR_NICE=0 bench/conference/run.sh      # the generator's session as high as the servers' (default: NICE + 10)
#   LOADGEN_ARGS="--receiver-host off" …          # a socket per receiver instead of the shared ReceiverHost
#   TARGETS=hub bench/conference/run.sh           # hub only (or TARGETS=janus)
#   SKIP_BUILD=1 …                                # reuse the Release build
#   HUB_ARGS="--Media:SendThreads=1" …           # extra hub switches
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD

receivers=${RECEIVERS:-50,150,300}
seconds=${SECONDS_PER_RUN:-20}
warmup=${WARMUP_SECONDS:-4}
targets=${TARGETS:-hub,janus}
pin=${PIN:-0}
nice_level=${NICE:-0}
# The generator stands in for 300 remote machines; on this box it would otherwise take an equal CPU share from the server
# it measures whenever both are busy (a keyframe burst), so by default its session runs 10 below the servers'.
generator_nice=${GENERATOR_NICE:-$((nice_level + 10))}
server_cpus=${SERVER_CPUS:-1}
generator_cpus=${GENERATOR_CPUS:-0}
out=${OUTPUT:-bench/conference/RESULTS-conference.md}

# The kernel groups CPU time by session (sched_autogroup_enabled=1 here): `nice` alone only ranks our processes among
# themselves, not against the other users' sessions. So each server and the generator runs in a session of its own
# (setsid), and with NICE set that session's autogroup gets the niceness (sched(7), "The autogroup feature").
# setsid does not fork here (a background job is no process-group leader) and every step execs: $! stays the server.
in_session=(setsid bash -c 'if [[ $0 != 0 ]]; then echo "$0" >/proc/self/autogroup; fi; exec "$@"' "$nice_level")
server_prefix=("${in_session[@]}" nice -n "$nice_level")
generator_in_session=(setsid bash -c 'if [[ $0 != 0 ]]; then echo "$0" >/proc/self/autogroup; fi; exec "$@"' "$generator_nice")
generator_prefix=("${generator_in_session[@]}" nice -n "$generator_nice")
if [[ $pin == 1 ]]; then
  server_prefix+=(taskset -c "$server_cpus")
  generator_prefix+=(taskset -c "$generator_cpus")
fi

work=$(mktemp -d /tmp/confbench.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ ${KEEP_WORK:-0} == 1 ]]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

free_port() { # $1 = tcp|udp
  python3 -c "import socket,sys; s=socket.socket(socket.AF_INET, socket.SOCK_STREAM if sys.argv[1]=='tcp' else socket.SOCK_DGRAM); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])" "$1"
}

wait_for() { # $1 = description, $2… = command that succeeds when ready
  local what=$1; shift
  for _ in $(seq 1 120); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  echo "timed out waiting for $what" >&2
  return 1
}

if [[ ${SKIP_BUILD:-0} != 1 ]]; then
  dotnet build -c Release hub/VideoLink.Hub -v q -nologo
  dotnet build -c Release bench/VideoLink.LoadGen -v q -nologo
fi

args=()
if [[ $targets == *hub* ]]; then
  http_port=$(free_port tcp); sip_port=$(free_port udp); media_port=$(free_port udp)
  export VIDEOLINK_ADMIN_PASSWORD=${VIDEOLINK_ADMIN_PASSWORD:-bench-$(head -c 9 /dev/urandom | base64 | tr -d '/+=')}
  "${server_prefix[@]}" dotnet hub/VideoLink.Hub/bin/Release/net10.0/VideoLink.Hub.dll \
    --urls "http://127.0.0.1:$http_port" --data "$work/hub-data" --sip-port "$sip_port" --media-port "$media_port" \
    --Media:BindAddress=127.0.0.1 --Logging:Serilog:MinimumLevel=Warning ${HUB_ARGS:-} >"$work/hub.log" 2>&1 &
  hub_pid=$!; pids+=("$hub_pid")
  wait_for "the hub" curl -sf "http://127.0.0.1:$http_port/health/ready"
  args+=(--hub-url "http://127.0.0.1:$http_port" --hub-pid "$hub_pid")
fi

if [[ $targets == *janus* ]]; then
  janus_port=$(free_port tcp)
  mkdir -p "$work/janus"
  cp bench/conference/janus/*.jcfg "$work/janus/"
  sed -i "s|configs_folder = .*|configs_folder = \"$work/janus\"|" "$work/janus/janus.jcfg"
  sed -i "s|port = 18088|port = $janus_port|" "$work/janus/janus.transport.http.jcfg"
  "${server_prefix[@]}" /usr/bin/janus -F "$work/janus" -C "$work/janus/janus.jcfg" >"$work/janus.log" 2>&1 &
  janus_pid=$!; pids+=("$janus_pid")
  wait_for "Janus" curl -sf "http://127.0.0.1:$janus_port/janus/info"
  args+=(--janus-url "http://127.0.0.1:$janus_port/" --janus-pid "$janus_pid")
fi

command="RECEIVERS=$receivers SECONDS_PER_RUN=$seconds PIN=$pin NICE=$nice_level GENERATOR_NICE=$generator_nice TARGETS=$targets bench/conference/run.sh"
uptime_before=$(uptime)
started=$(date -u '+%Y-%m-%d %H:%M UTC')

# Inline socket completions: each receiver's receive loop runs on the runtime's two epoll threads, not one thread each.
DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT=2 "${generator_prefix[@]}" \
  dotnet bench/VideoLink.LoadGen/bin/Release/net10.0/VideoLink.LoadGen.dll "${args[@]}" \
  --receivers "$receivers" --seconds "$seconds" --warmup "$warmup" --output "$work/table.md" --command "$command" ${LOADGEN_ARGS:-} \
  | tee "$work/loadgen.log"

uptime_after=$(uptime)
{
  echo "# Conference forwarding benchmark: VideoLink hub beside Janus"
  echo
  echo "Generated by \`bench/conference/run.sh\` (issue 5 item 8) — do not edit by hand; the analysis lives in \`bench/RESULTS.md\`."
  echo
  echo "- Started $started; machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(dotnet --version | sed 's/^/.NET SDK /'); $(/usr/bin/janus --version 2>/dev/null | head -1)."
  echo "- \`uptime\` before: $uptime_before"
  echo "- \`uptime\` after:  $uptime_after"
  if [[ $pin == 1 ]]; then
    echo "- Pinned with taskset: servers (hub, Janus) on CPU $server_cpus, the load generator on CPU $generator_cpus. Other users of the machine are not pinned and share both."
  else
    echo "- Not pinned: servers, the load generator and whatever else runs here share both cores."
  fi
  echo "- Servers and generator each run in a session (autogroup) of their own: servers at autogroup niceness $nice_level, the generator at $generator_nice (0 = the same CPU share as each other session on the machine; a higher number gives the generator less when the cores are contended)."
  echo "- The load generator runs on the same 2 cores; its own CPU % over the window is in the table (it receives and SRTP-unprotects N × ~280 packets/s)."

  echo "- Server CPU % is utime+stime of the server process over the window (/proc/<pid>/stat), 100 % = one core; CPU µs/packet divides it by the packets the receivers got in the window. RSS is VmRSS at the end of the window."
  echo "- Delay (p50, p99, max) is the kernel's arrival stamp at the receiver's socket minus the send stamp in the payload (same host, same clock); \"p99 read\" is the moment the generator read the packet instead, which adds its own scheduling. Loss counts distinct publisher packets sent in the window that a receiver never got (receivers that failed to connect count as losing everything). See Run details below."
  echo
  cat "$work/table.md"
} >"$out"
echo "Wrote $out"
