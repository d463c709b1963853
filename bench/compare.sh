#!/usr/bin/env bash
# Orlog beside Redis Streams, NATS JetStream, Orleans streams and PostgreSQL on this machine (issue #6).
#   bench/compare.sh [--quick] [--rounds N] [--out DIR] [--peers orlog,orlog-kafka,redis,nats,orleans,orleans-orlog,postgres] [--workloads W1,W2,W3,W4]
# Installs the servers that are missing (Debian packages), builds the program in Release and runs it. A full run
# rewrites the "compare" section of docs/benchmarks.md and docs/compare.png; --quick writes to a temp directory.
# Whatever servers the program started are stopped by PID when this script exits, however it exits.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v nats-server >/dev/null 2>&1 || missing+=(nats-server)
if ((${#missing[@]} > 0)); then
    echo "compare.sh: installing ${missing[*]}" >&2
    sudo=()
    if [[ $(id -u) -ne 0 ]]; then
        sudo=(sudo)
    fi
    "${sudo[@]}" apt-get update
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
fi
# PostgreSQL's initdb, pg_ctl and postgres are expected on PATH (the machine's image has PostgreSQL 15).
command -v postgres >/dev/null 2>&1 || echo "compare.sh: postgres is not on PATH; the postgres peer will fail" >&2

dotnet build "$root/bench/Orlog.Benchmarks/Orlog.Benchmarks.csproj" -c Release -nologo -v q >&2

# The program runs in a process group of its own (job control), so every server it starts can be found by its
# group and stopped by PID even if the program itself dies.
set -m
program=""
cleanup() {
    local status=$?
    trap - EXIT INT TERM
    if [[ -n "$program" ]]; then
        if kill -0 "$program" 2>/dev/null; then
            # SIGINT lets the program stop its peers and remove its run directory; it has 60 s.
            kill -INT "$program" 2>/dev/null || true
            for _ in $(seq 600); do
                kill -0 "$program" 2>/dev/null || break
                sleep 0.1
            done
        fi
        local left
        left="$(pgrep -g "$program" || true)"
        if [[ -n "$left" ]]; then
            echo "compare.sh: stopping what the program left running: $(echo $left)" >&2
            for pid in $left; do kill -TERM "$pid" 2>/dev/null || true; done
            sleep 2
            for pid in $(pgrep -g "$program" || true); do kill -KILL "$pid" 2>/dev/null || true; done
        fi
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cd "$root"
dotnet "$root/bench/Orlog.Benchmarks/bin/Release/net10.0/Orlog.Benchmarks.dll" compare "$@" &
program=$!
status=0
wait "$program" || status=$?
exit "$status"
