#!/usr/bin/env bash
# VideoLink's whole test suite: installs the real peers it needs, starts PostgreSQL, restores, builds with
# warnings as errors, runs every .NET test project and the console's Vitest suite, and ends with one line
# "N passed, N failed". Exits non-zero when anything failed. Runs as root on Debian (CI) or with sudo rights.
set -uo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
OUT="$ROOT/test-output"
rm -rf "$OUT" && mkdir -p "$OUT"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 PLAYWRIGHT_BROWSERS_PATH=0
export NUGET_CERT_REVOCATION_MODE=${NUGET_CERT_REVOCATION_MODE:-offline}
export VIDEOLINK_SCREENSHOTS="$OUT/screenshots"   # console screenshots from the real-browser tests, for review

step() { printf '\n=== %s ===\n' "$*"; }
die() { echo "test.sh: $*" >&2; echo "0 passed, 1 failed"; exit 1; }

# 1. System packages: the real, independent peers and servers the tests run against. A missing peer is not
#    skipped later: the tests that need it fail. So install them here.
PACKAGES=(socat postgresql chromium fonts-wqy-microhei ffmpeg sip-tester baresip-core python3-aiortc coturn)
missing=()
for p in "${PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
  step "apt-get install ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$OUT/apt.log" 2>&1 \
    || { tail -20 "$OUT/apt.log"; die "apt-get install failed"; }
fi

# 2. PostgreSQL on 127.0.0.1 for the storage tests (the second supported provider).
step "PostgreSQL"
VIDEOLINK_TEST_POSTGRES=$(bash tests/scripts/start-postgres.sh) || die "could not start PostgreSQL"
export VIDEOLINK_TEST_POSTGRES

passed=0; failed=0

# 3. The console (Vue): install from the lockfile, type-check and build (the hub serves the build), unit tests.
if [ -f console/package.json ]; then
  step "console: npm ci, build, vitest"
  ( cd console && npm ci --no-audit --no-fund >"$OUT/npm-ci.log" 2>&1 ) || { tail -30 "$OUT/npm-ci.log"; die "npm ci failed"; }
  ( cd console && npm run build >"$OUT/console-build.log" 2>&1 ) || { tail -30 "$OUT/console-build.log"; die "console build failed"; }
  ( cd console && npm test ) 2>&1 | tee "$OUT/vitest.log"
  # The console's reporter ends with "console tests: N passed, N failed, N skipped".
  line=$(grep -E '^console tests: [0-9]+ passed, [0-9]+ failed' "$OUT/vitest.log" | tail -1)
  if [ -n "$line" ]; then
    vp=$(echo "$line" | sed -E 's/^console tests: ([0-9]+) passed.*/\1/')
    vf=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
    passed=$((passed + vp)); failed=$((failed + vf))
  else
    failed=$((failed + 1)); echo "console: vitest printed no summary"
  fi
fi

# 4. .NET: restore and build everything once, warnings are errors (Directory.Build.props).
step "dotnet build"
dotnet build VideoLink.sln -c Debug -p:SkipConsoleBuild=true 2>&1 | tee "$OUT/build.log" | grep -E "error|Warn|Elapsed" | tail -40
[ "${PIPESTATUS[0]}" -eq 0 ] || die "dotnet build failed (see test-output/build.log)"

# 5. Each test project on its own (the real-peer tests use both cores), results as TRX.
for proj in tests/*/*.Tests.csproj; do
  name=$(basename "$proj" .csproj)
  step "dotnet test $name"
  timeout 1800 dotnet test "$proj" --no-build -c Debug --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
    --results-directory "$OUT" -- RunConfiguration.TestSessionTimeout=1500000 >"$OUT/$name.log" 2>&1
  rc=$?
  grep -E "^\s+(Failed|Passed) |Total tests|Passed!|Failed!|error" "$OUT/$name.log" | grep -vE "^\s+Passed " | tail -40
  trx="$OUT/$name.trx"
  if [ -f "$trx" ]; then
    read -r tp tf < <(python3 - "$trx" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
c = re.search(r'<Counters ([^>]*)/?>', text)
attrs = dict(re.findall(r'(\w+)="(\d+)"', c.group(1))) if c else {}
p = int(attrs.get("passed", 0))
f = sum(int(attrs.get(k, 0)) for k in ("failed", "error", "timeout", "aborted"))
print(p, f + (1 if p + f == 0 else 0))
PY
)
    # Each failed test's message and the top of its stack, so a CI log alone says why (the console log above is filtered).
    python3 - "$trx" <<'PY'
import html, re, sys
text = open(sys.argv[1], encoding="utf-8").read()
for m in re.finditer(r'<UnitTestResult [^>]*testName="([^"]*)"[^>]*outcome="Failed"[^>]*>(.*?)</UnitTestResult>', text, re.S):
    print("--- failed:", html.unescape(m.group(1)))
    for tag in ("Message", "StackTrace"):
        t = re.search(rf"<{tag}>(.*?)</{tag}>", m.group(2), re.S)
        if t:
            lines = html.unescape(t.group(1)).splitlines()
            print("\n".join("    " + line for line in lines[:25 if tag == "StackTrace" else 15]))
PY
  else
    tp=0; tf=1; echo "$name: no TRX (test host crashed or timed out, rc=$rc)"
  fi
  if [ "$rc" -ne 0 ] && [ "$tf" -eq 0 ]; then tf=1; echo "$name: dotnet test exited $rc"; fi
  passed=$((passed + tp)); failed=$((failed + tf))
  echo "$name: $tp passed, $tf failed"
done

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
