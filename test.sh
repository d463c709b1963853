#!/usr/bin/env bash
# Builds Orlog and runs every test project. Ends with the totals on a line of their own:
#   N passed, N failed
# Exits non-zero when the build or any test fails.
set -uo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
configuration=${CONFIGURATION:-Release}
results=$(mktemp -d "${TMPDIR:-/tmp}/orlog-test-results.XXXXXX")
trap 'rm -rf "$results"' EXIT

# Debian packages the tests need, installed with apt-get when missing.
apt_install() {
  echo "== installing $* (apt-get)" >&2
  local sudo=()
  [[ $(id -u) -ne 0 ]] && sudo=(sudo)
  "${sudo[@]}" apt-get update >&2
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@" >&2
}

# The cluster tests run a private PostgreSQL 15 (initdb and pg_ctl, as user postgres): installed when missing,
# and Debian's versioned bin directory put on PATH when initdb is not on it.
if ! command -v initdb >/dev/null 2>&1; then
  pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [[ -z $pgbin ]]; then
    apt_install postgresql-15
    pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  fi
  export PATH="$pgbin:$PATH"
fi
# tests/Deploy.Tests checks the systemd unit with `systemd-analyze verify` (Debian's systemd package).
command -v systemd-analyze >/dev/null 2>&1 || apt_install systemd
# The Kafka listener's tests run Debian's kcat (librdkafka 2.0.2) beside Confluent.Kafka (librdkafka 2.16),
# and KafkaJS (tests/KafkaJs, from the npm registry) under Debian's Node.
command -v kcat >/dev/null 2>&1 || apt_install kcat
command -v npm >/dev/null 2>&1 || apt_install nodejs npm
if [[ ! -d tests/KafkaJs/node_modules/kafkajs ]]; then
  echo "== installing KafkaJS (npm ci in tests/KafkaJs)" >&2
  (cd tests/KafkaJs && npm ci --no-audit --no-fund >&2)
fi
# The web tests (tests/Web): Orlog's pages in Debian's chromium driven by playwright-core from npm (no browser
# download), and /metrics read by the Prometheus project's Python client (Debian's python3-prometheus-client).
command -v chromium >/dev/null 2>&1 || apt_install chromium
/usr/bin/python3 -c 'import prometheus_client' >/dev/null 2>&1 || apt_install python3 python3-prometheus-client
if [[ ! -d tests/Web/node_modules/playwright-core ]]; then
  echo "== installing playwright-core (npm ci in tests/Web)" >&2
  (cd tests/Web && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund >&2)
fi

echo "== build ($configuration)" >&2
if ! dotnet build Orleans.sln -c "$configuration" -nologo -clp:NoSummary -v:quiet; then
  echo "build failed" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

passed=0 failed=0 status=0
# Test projects live in tests/*.Tests; tests/History is the fault tests' history checker, a library.
for project in tests/*.Tests/*.csproj; do
  name=$(basename "$project" .csproj)
  echo "== $name" >&2
  # Category=Long is the long fault campaign: its own documented command (README), not part of the suite.
  if ! dotnet test "$project" -c "$configuration" --no-build -nologo --filter "Category!=Long" \
      --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" \
      --results-directory "$results/$name"; then
    status=1
  fi
  trx=$(find "$results/$name" -name '*.trx' | head -n 1)
  if [[ -z $trx ]]; then
    echo "$name produced no results" >&2
    failed=$((failed + 1)); status=1; continue
  fi
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  p=$(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters")
  f=$(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$counters")
  passed=$((passed + p)); failed=$((failed + f))
done

[[ $failed -gt 0 ]] && status=1
echo "$passed passed, $failed failed"
exit $status
