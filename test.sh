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

echo "== build ($configuration)" >&2
if ! dotnet build Orleans.sln -c "$configuration" -nologo -clp:NoSummary -v:quiet; then
  echo "build failed" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

passed=0 failed=0 status=0
for project in tests/*/*.csproj; do
  name=$(basename "$project" .csproj)
  echo "== $name" >&2
  if ! dotnet test "$project" -c "$configuration" --no-build -nologo \
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
