#!/usr/bin/env bash
# deploy/local-cluster.sh: a whole Orlog cluster on one machine (CONVENTIONS.md, "deploy/local-cluster.sh").
#
#   deploy/local-cluster.sh start [N] [--timeout S] [--netns]    N brokers (default 3) and a private PostgreSQL
#   deploy/local-cluster.sh help                                  every verb
#
# The cluster lives in $ORLOG_CLUSTER_DIR (default ./cluster):
#   postgres/data     PostgreSQL's data directory (owned by user postgres), postgres/run its unix socket
#   broker-<ID>/      broker ID's data directory (--data-dir): partitions, meta.properties, endpoints.json
#   logs/             every process' output: broker-<ID>.log, postgres.log, build.log, setup.log
#   state/            this script's own files: cluster.env, db.env, broker-<ID>.env (ports), broker-<ID>.pid
# Several clusters run at once from different directories: every port is a free port chosen at start and
# kept for restarts (restart, db-restart); a `start` after `stop` reuses the data and picks new ports.
#
# Environment:
#   ORLOG_CLUSTER_DIR   the cluster's directory (default ./cluster)
#   ORLOG_SILO_DLL      a built Orlog.Silo.dll to run instead of building src/Silo
#   ORLOG_CLI_DLL       a built orlog.dll to run instead of building src/Cli
#   ORLOG_NO_BUILD=1    do not build; run src/Silo and src/Cli as last built (Release)
#   ORLOG_CONFIGURATION the build configuration (default Release)
#   ORLOG_CLUSTER_ID    the cluster id at the first start (default orlog, what clients assume)
# Without these, `start` runs `dotnet build -c Release` for src/Silo and src/Cli once, then runs the built
# assemblies with `dotnet` (never `dotnet run`). Tests that already built pass ORLOG_SILO_DLL and ORLOG_CLI_DLL.
#
# Needs: bash, the .NET SDK, PostgreSQL 15 (initdb and pg_ctl on PATH, or under /usr/lib/postgresql/*/bin),
# coreutils, util-linux (setsid, runuser when run as root); with --netns also iproute2 (ip) and nftables (nft).
# As root PostgreSQL runs as user postgres (it refuses root), so every directory above the cluster's
# directory must be traversable by postgres (o+x); the script checks and says which one is not.
#
# Exit 0 on success; otherwise a message on stderr and exit 1. Process output goes to logs/, never to the
# caller's terminal; `start` prints a summary on stderr. Data (bootstrap lists, status, ids) goes to stdout.
set -euo pipefail

readonly USAGE="Usage: deploy/local-cluster.sh VERB [ARGS]   (cluster directory: \$ORLOG_CLUSTER_DIR, default ./cluster)

  start [N] [--timeout S] [--netns]
                   start PostgreSQL and N brokers (default 3, ids 1..N); returns when every broker is up
                   and the controller lists all N (timeout S seconds, default 60). --netns puts each broker
                   in a network namespace of its own on a bridge, PostgreSQL on the bridge. Starting a
                   running cluster is an error; starting a stopped one reuses its data.
  bootstrap [--running]
                   the gateway list host:port,host:port,... (every broker, or only the running ones)
  kafka-bootstrap [--running]
                   the same for the Kafka listeners (an error while the silo has none)
  cluster-db       the PostgreSQL connection string the brokers use
  cluster-id       the cluster's id: orlog (the clients' default), or \$ORLOG_CLUSTER_ID at the first start
  status           ID PID STATE GATEWAY KAFKA WEB DATA-DIR, a broker a line (STATE running, paused or
                   stopped), then PostgreSQL as ID db (its host:port under GATEWAY)
  kill ID          SIGKILL broker ID; returns once the process is gone
  stop-broker ID   SIGTERM broker ID; returns once it has stopped
  restart ID [--timeout S]
                   start a stopped or killed broker on its ports and data directory; returns when it is up
  pause ID         SIGSTOP broker ID           resume ID   SIGCONT it
  partition ID     (--netns clusters) cut broker ID off from the other brokers and from PostgreSQL;
                   clients on this host still reach it
  heal ID          undo partition ID
  db-restart       restart PostgreSQL (fast shutdown, same port and data)
  add-broker [--timeout S]
                   start one more broker; prints its id
  roll [--timeout S]
                   restart every broker one by one (SIGTERM: a controlled shutdown that moves its leaders off
                   first), each only once the one before is back and no partition is under-replicated;
                   clients see retries, not errors
  stop             SIGTERM every broker, then stop PostgreSQL, remove namespaces and rules; returns when all
                   are gone (the data stays; delete the directory to start afresh)
  help             this text

Exit 0 on success; otherwise a message on stderr and exit 1."

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$SCRIPT_DIR/.." && pwd)
readonly SCRIPT_DIR REPO_DIR
readonly DEFAULT_TIMEOUT=60
# The silo's graceful stop may take 30 s (OrlogSilo.ShutdownTimeout); after this, stop-broker uses SIGKILL.
readonly STOP_WAIT=45
readonly PG_USER=postgres
# Free ports are drawn from below Linux's default ephemeral range (32768-60999), so an outgoing
# connection's local port does not take one between the choice and the bind.
readonly PORT_LOW=20000 PORT_HIGH=32000

die() { printf 'local-cluster: %s\n' "$*" >&2; exit 1; }
note() { printf 'local-cluster: %s\n' "$*" >&2; }

# ---------------------------------------------------------------------------------------------- paths
cluster_dir_init() {
  local dir=${ORLOG_CLUSTER_DIR:-./cluster}
  mkdir -p "$dir" 2>/dev/null || die "cannot create the cluster directory $dir"
  DIR=$(cd "$dir" && pwd -P)
  STATE=$DIR/state
  LOGS=$DIR/logs
  PGROOT=$DIR/postgres
  PGDATA=$PGROOT/data
}

cluster_dir_existing() {
  local dir=${ORLOG_CLUSTER_DIR:-./cluster}
  [[ -f $dir/state/cluster.env ]] || die "no cluster in $dir (start one with: deploy/local-cluster.sh start)"
  cluster_dir_init
  load_cluster
}

# State files hold NAME=value lines written with printf %q, read back with source.
write_env() { # FILE NAME=VALUE...
  local file=$1; shift
  local tmp=$file.tmp pair
  : >"$tmp"
  for pair in "$@"; do printf '%s=%q\n' "${pair%%=*}" "${pair#*=}" >>"$tmp"; done
  mv -f "$tmp" "$file"
}

load_cluster() {
  # shellcheck disable=SC1091
  source "$STATE/cluster.env"
  if [[ -f $STATE/db.env ]]; then
    # shellcheck disable=SC1091
    source "$STATE/db.env"
  fi
}

load_broker() { # ID
  [[ $1 =~ ^[0-9]+$ ]] || die "broker id must be a number, not '$1'"
  [[ -f $STATE/broker-$1.env ]] || die "no broker $1 in $DIR (brokers: $(broker_ids | paste -sd " " -))"
  # shellcheck disable=SC1090
  source "$STATE/broker-$1.env"
}

broker_ids() {
  local f
  for f in "$STATE"/broker-*.env; do
    [[ -e $f ]] || continue
    f=${f##*/broker-}; printf '%s\n' "${f%.env}"
  done | sort -n
}

# ---------------------------------------------------------------------------------------------- ports
USED_PORTS=" "
collect_used_ports() {
  local file line hex
  USED_PORTS=" "
  for file in /proc/net/tcp /proc/net/tcp6 /proc/net/udp /proc/net/udp6; do
    [[ -r $file ]] || continue
    while read -r _ line _; do
      hex=${line##*:}
      [[ $hex =~ ^[0-9A-Fa-f]{4}$ ]] && USED_PORTS+="$((16#$hex)) "
    done <"$file"
  done
  # Ports recorded by other local clusters are theirs even while their brokers are stopped; this cluster's own
  # files are included too, so a new broker never takes a port kept for a stopped one.
  local env
  for env in "$STATE"/broker-*.env "$STATE"/db.env; do
    [[ -f $env ]] || continue
    USED_PORTS+="$(grep -oE '_PORT=[0-9]+' "$env" | cut -d= -f2 | tr '\n' ' ')"
  done
}

free_port() { # VAR: sets VAR to a port nobody listens on or holds, and remembers it so it is not handed out twice
  local p tries=0
  while ((tries++ < 2000)); do
    p=$((PORT_LOW + (RANDOM * 32768 + RANDOM) % (PORT_HIGH - PORT_LOW)))
    [[ $USED_PORTS == *" $p "* ]] && continue
    USED_PORTS+="$p "
    printf -v "$1" '%s' "$p"
    return 0
  done
  die "no free port found between $PORT_LOW and $PORT_HIGH"
}

port_open() { # HOST PORT: does something accept connections there?
  # shellcheck disable=SC2016 # expanded by the inner bash
  timeout 2 bash -c ': <"/dev/tcp/$1/$2"' port_open "$1" "$2" 2>/dev/null
}

# ---------------------------------------------------------------------------------------------- build
dotnet_env() {
  export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
}

built_dll() { # PROJECT-DIR DLL-NAME CONFIGURATION
  local found
  # shellcheck disable=SC2012 # newest first; these paths have no odd characters
  found=$(ls -t "$REPO_DIR/$1/bin/$3"/*/"$2" 2>/dev/null | head -n 1 || true)
  [[ -n $found ]] || die "no built $2 under $1/bin/$3 (build it, or unset ORLOG_NO_BUILD)"
  printf '%s\n' "$found"
}

resolve_assemblies() {
  local configuration=${ORLOG_CONFIGURATION:-Release} project
  command -v dotnet >/dev/null || die "dotnet is not on PATH (install the .NET 10 SDK)"
  dotnet_env
  for project in Silo Cli; do
    local var=ORLOG_SILO_DLL
    [[ $project == Cli ]] && var=ORLOG_CLI_DLL
    if [[ -n ${!var:-} ]]; then
      [[ -f ${!var} ]] || die "$var=${!var}: no such file"
      continue
    fi
    if [[ ${ORLOG_NO_BUILD:-0} != 1 ]]; then
      note "building src/$project ($configuration), output in logs/build.log"
      if ! (cd "$REPO_DIR" && dotnet build "src/$project" -c "$configuration" -nologo -v:quiet) >>"$LOGS/build.log" 2>&1; then
        tail -n 30 "$LOGS/build.log" >&2
        die "building src/$project failed (logs/build.log)"
      fi
    fi
  done
  SILO_DLL=$(cd "$(dirname "${ORLOG_SILO_DLL:-$(built_dll src/Silo Orlog.Silo.dll "$configuration")}")" && pwd -P)/Orlog.Silo.dll
  CLI_DLL=$(cd "$(dirname "${ORLOG_CLI_DLL:-$(built_dll src/Cli orlog.dll "$configuration")}")" && pwd -P)/orlog.dll
  [[ -f $SILO_DLL ]] || die "no Orlog.Silo.dll at $SILO_DLL"
  [[ -f $CLI_DLL ]] || die "no orlog.dll at $CLI_DLL"
}

# What the built silo and CLI support, from their help texts: the script runs on today's silo and on the
# one the cluster-db and ports work brings, without a flag day.
detect_features() {
  local silo_help cli_help
  silo_help=$(dotnet "$SILO_DLL" --help 2>/dev/null || true)
  cli_help=$(dotnet "$CLI_DLL" --help 2>/dev/null || true)
  HAS_CLUSTER_DB=0 HAS_KAFKA_PORT=0 HAS_WEB_PORT=0 HAS_WEB_ADDRESS=0 HAS_BROKERS_LIST=0
  [[ $silo_help == *--cluster-db* ]] && HAS_CLUSTER_DB=1
  [[ $silo_help == *--kafka-port* ]] && HAS_KAFKA_PORT=1
  [[ $silo_help == *--web-port* ]] && HAS_WEB_PORT=1
  [[ $silo_help == *--web-address* ]] && HAS_WEB_ADDRESS=1
  [[ $cli_help =~ (^|[[:space:]])brokers[[:space:]] ]] && HAS_BROKERS_LIST=1
  return 0
}

save_cluster() {
  write_env "$STATE/cluster.env" "CLUSTER_ID=$CLUSTER_ID" "NETNS=$NETNS" "NET_INDEX=$NET_INDEX" \
    "SILO_DLL=$SILO_DLL" "CLI_DLL=$CLI_DLL" "HAS_CLUSTER_DB=$HAS_CLUSTER_DB" "HAS_KAFKA_PORT=$HAS_KAFKA_PORT" \
    "HAS_WEB_PORT=$HAS_WEB_PORT" "HAS_WEB_ADDRESS=$HAS_WEB_ADDRESS" "HAS_BROKERS_LIST=$HAS_BROKERS_LIST"
}

# ---------------------------------------------------------------------------------------------- processes
pid_alive() { # PID: a live process (a zombie is gone)
  local stat
  [[ -n $1 && -r /proc/$1/stat ]] || return 1
  stat=$(<"/proc/$1/stat") 2>/dev/null || return 1
  stat=${stat##*) }
  [[ ${stat:0:1} != Z && ${stat:0:1} != X ]]
}

pid_state() { # PID: the state letter of /proc/PID/stat
  local stat
  stat=$(<"/proc/$1/stat") 2>/dev/null || return 1
  stat=${stat##*) }
  printf '%s\n' "${stat:0:1}"
}

# The pid of broker ID if it runs (its command line names this broker's data directory), else nothing.
broker_pid() { # ID
  local pid
  [[ -f $STATE/broker-$1.pid ]] || return 0
  pid=$(<"$STATE/broker-$1.pid")
  pid_alive "$pid" || return 0
  local -a argv
  mapfile -d '' argv 2>/dev/null <"/proc/$pid/cmdline" || return 0
  [[ " ${argv[*]} " == *" --data-dir $DIR/broker-$1 "* ]] || return 0
  printf '%s\n' "$pid"
}

broker_state() { # ID: running, paused or stopped
  local pid state
  pid=$(broker_pid "$1")
  [[ -n $pid ]] || { echo stopped; return; }
  state=$(pid_state "$pid" || echo X)
  case $state in T | t) echo paused ;; *) echo running ;; esac
}

wait_gone() { # PID SECONDS
  local deadline=$((SECONDS + $2))
  while pid_alive "$1"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.1
  done
}

# ---------------------------------------------------------------------------------------------- network namespaces
subnet() { printf '10.77.%s' "$NET_INDEX"; }
bridge_name() { printf 'orlogbr%s' "$NET_INDEX"; }
netns_name() { printf 'orlog%s-b%s' "$NET_INDEX" "$1"; }
broker_ip() { printf '%s.%s' "$(subnet)" "$((10 + $1))"; }

netns_check() {
  [[ $EUID -eq 0 ]] || die "--netns needs root (ip netns, veth, a bridge)"
  # A fresh Debian machine may lack them: installed once, as for PostgreSQL in test.sh.
  local missing=()
  command -v ip >/dev/null || missing+=(iproute2)
  command -v nft >/dev/null || missing+=(nftables)
  if ((${#missing[@]})); then
    note "installing ${missing[*]} for --netns (apt-get)"
    mkdir -p "$LOGS"
    { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"; } >>"$LOGS/apt.log" 2>&1 \
      || die "could not install ${missing[*]} (see $LOGS/apt.log); --netns needs ip and nft"
  fi
  ip netns list >/dev/null 2>&1 || die "ip netns does not work here (no CAP_SYS_ADMIN, or /run/netns not writable)"
}

choose_net_index() {
  local i used
  used=$(ip -4 -o addr show 2>/dev/null || true)
  for ((i = 1; i < 255; i++)); do
    [[ $used == *" 10.77.$i."* ]] && continue
    ip link show "orlogbr$i" >/dev/null 2>&1 && continue
    NET_INDEX=$i
    return 0
  done
  die "no free 10.77.x.0/24 subnet for --netns"
}

bridge_up() {
  local br
  br=$(bridge_name)
  if ! ip link show "$br" >/dev/null 2>&1; then
    ip link add "$br" type bridge || die "cannot create bridge $br"
    ip addr add "$(subnet).1/24" dev "$br"
  fi
  ip link set "$br" up
}

netns_up() { # ID: the broker's namespace, a veth pair into the bridge, its address
  local ns host_if peer_if
  ns=$(netns_name "$1")
  host_if="olv$NET_INDEX-$1" peer_if="olp$NET_INDEX-$1"
  ((${#host_if} <= 15)) || die "broker id $1 too large for --netns interface names"
  ((10 + $1 < 255)) || die "broker id $1 too large for --netns (at most 244)"
  ip netns list | grep -qE "^$ns( |$)" && return 0
  ip netns add "$ns"
  ip link add "$host_if" type veth peer name "$peer_if"
  ip link set "$host_if" master "$(bridge_name)" up
  ip link set "$peer_if" netns "$ns"
  ip -n "$ns" link set "$peer_if" name eth0
  ip -n "$ns" addr add "$(broker_ip "$1")/24" dev eth0
  ip -n "$ns" link set eth0 up
  ip -n "$ns" link set lo up
  ip -n "$ns" route add default via "$(subnet).1"
  # The host's nameservers are out of reach from the bridge: every lookup would wait for their timeout (10 s
  # at the silo's start, measured). `ip netns exec` mounts /etc/netns/NAME/resolv.conf over /etc/resolv.conf:
  # a local nameserver that is not there fails at once; /etc/hosts still answers.
  mkdir -p "/etc/netns/$ns"
  echo "nameserver 127.0.0.1" >"/etc/netns/$ns/resolv.conf"
}

netns_down_all() {
  local ns
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep -E "^orlog$NET_INDEX-b[0-9]+$" || true); do
    ip netns del "$ns" 2>/dev/null || note "could not remove network namespace $ns"
    rm -rf "/etc/netns/$ns"
  done
  ip link del "$(bridge_name)" 2>/dev/null || true
}

# ---------------------------------------------------------------------------------------------- PostgreSQL
pg_bin() {
  local ctl
  ctl=$(command -v pg_ctl || true)
  if [[ -n $ctl ]]; then
    dirname "$(readlink -f "$ctl")"
    return
  fi
  # shellcheck disable=SC2012 # the newest version's directory
  ctl=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [[ -x $ctl/pg_ctl ]] || die "PostgreSQL is not installed: no pg_ctl on PATH or under /usr/lib/postgresql (apt-get install postgresql-15)"
  printf '%s\n' "$ctl"
}

as_pg() { # COMMAND ARGS...: as user postgres when root (PostgreSQL refuses root), from / so no cwd warning
  if [[ $EUID -eq 0 ]]; then
    (cd / && runuser -u "$PG_USER" -- "$@")
  else
    (cd / && "$@")
  fi
}

pg_check_access() {
  [[ $EUID -eq 0 ]] || return 0
  id "$PG_USER" >/dev/null 2>&1 || die "running as root needs a user '$PG_USER' to run PostgreSQL (PostgreSQL refuses root)"
  # From the root down, so that the message names the first directory postgres cannot enter.
  local path="" part
  local -a parts
  IFS=/ read -r -a parts <<<"${DIR#/}"
  for part in "${parts[@]}"; do
    path+=/$part
    if ! runuser -u "$PG_USER" -- test -x "$path" 2>/dev/null; then
      die "user $PG_USER cannot enter $path, so PostgreSQL cannot reach $PGROOT: make it traversable (chmod o+x '$path') or choose another ORLOG_CLUSTER_DIR"
    fi
  done
}

pg_conf() { # writes the settings this start uses (port, addresses, socket) into data/orlog-local.conf
  local listen=127.0.0.1 socket_dir=$PGROOT/run
  [[ $NETNS == 1 ]] && listen="127.0.0.1,$(subnet).1"
  # A unix socket path longer than 107 bytes cannot be bound: then TCP only.
  ((${#socket_dir} + 20 < 107)) || socket_dir=
  {
    printf "port = %s\n" "$PG_PORT"
    printf "listen_addresses = '%s'\n" "$listen"
    printf "unix_socket_directories = '%s'\n" "$socket_dir"
    printf "max_connections = 300\n"
  } >"$PGDATA/orlog-local.conf.tmp"
  mv -f "$PGDATA/orlog-local.conf.tmp" "$PGDATA/orlog-local.conf"
  [[ $EUID -ne 0 ]] || chown "$PG_USER:" "$PGDATA/orlog-local.conf"
}

pg_init() {
  local bin
  bin=$(pg_bin)
  mkdir -p "$PGROOT/run"
  touch "$LOGS/postgres.log"
  if [[ $EUID -eq 0 ]]; then
    chown "$PG_USER:" "$PGROOT" "$PGROOT/run" "$LOGS/postgres.log"
    pg_check_access
  fi
  chmod 700 "$PGROOT"
  if [[ ! -f $PGDATA/PG_VERSION ]]; then
    if ! as_pg "$bin/initdb" -D "$PGDATA" -U "$PG_USER" --auth=trust -E UTF8 --locale=C --no-sync --no-instructions \
      >"$LOGS/postgres-initdb.log" 2>&1; then
      tail -n 20 "$LOGS/postgres-initdb.log" >&2
      die "initdb failed (logs/postgres-initdb.log)"
    fi
    printf "\ninclude_if_exists = 'orlog-local.conf'\n" | as_pg tee -a "$PGDATA/postgresql.conf" >/dev/null
  fi
  # Brokers in namespaces reach PostgreSQL over the bridge.
  if [[ $NETNS == 1 ]] && ! grep -q "$(subnet).0/24" "$PGDATA/pg_hba.conf"; then
    printf 'host all all %s.0/24 trust\n' "$(subnet)" | as_pg tee -a "$PGDATA/pg_hba.conf" >/dev/null
  fi
}

pg_start() {
  local bin
  bin=$(pg_bin)
  pg_conf
  if ! as_pg "$bin/pg_ctl" -D "$PGDATA" -l "$LOGS/postgres.log" -w -t 60 start >>"$LOGS/postgres-ctl.log" 2>&1; then
    tail -n 20 "$LOGS/postgres.log" >&2
    die "PostgreSQL did not start on port $PG_PORT (logs/postgres.log)"
  fi
}

pg_stop() {
  local bin
  bin=$(pg_bin)
  pg_pid >/dev/null || return 0
  as_pg "$bin/pg_ctl" -D "$PGDATA" -m fast -w -t 60 stop >>"$LOGS/postgres-ctl.log" 2>&1 ||
    die "PostgreSQL did not stop (logs/postgres.log)"
}

pg_pid() { # the postmaster's pid if it runs
  local pid
  [[ -f $PGDATA/postmaster.pid ]] || return 1
  pid=$(head -n 1 "$PGDATA/postmaster.pid" 2>/dev/null) || return 1
  pid_alive "$pid" || return 1
  printf '%s\n' "$pid"
}

pg_create_database() {
  local bin exists
  bin=$(pg_bin)
  exists=$("$bin/psql" -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = 'orlog'" 2>>"$LOGS/postgres-ctl.log") ||
    die "cannot connect to PostgreSQL at $PG_HOST:$PG_PORT (logs/postgres.log)"
  if [[ $exists != 1 ]]; then
    "$bin/createdb" -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" orlog >>"$LOGS/postgres-ctl.log" 2>&1 ||
      die "cannot create database orlog (logs/postgres-ctl.log)"
  fi
}

cluster_db() { printf 'Host=%s;Port=%s;Database=orlog;Username=%s' "$PG_HOST" "$PG_PORT" "$PG_USER"; }

# The silo's setup subcommand applies the schema (Orleans membership and Orlog's metadata) to the database.
prepare_database() {
  ((HAS_CLUSTER_DB)) || return 0
  if ! dotnet "$SILO_DLL" setup --cluster-db "$(cluster_db)" --cluster-id "$CLUSTER_ID" >>"$LOGS/setup.log" 2>&1; then
    tail -n 20 "$LOGS/setup.log" >&2
    die "preparing the database failed: Orlog.Silo.dll setup (logs/setup.log)"
  fi
}

# ---------------------------------------------------------------------------------------------- brokers
new_broker() { # ID: chooses its ports and writes its state file
  local host=127.0.0.1 silo gateway kafka web
  [[ $NETNS == 1 ]] && host=$(broker_ip "$1")
  free_port silo; free_port gateway; free_port kafka; free_port web
  write_env "$STATE/broker-$1.env" "HOST=$host" "SILO_PORT=$silo" "GATEWAY_PORT=$gateway" \
    "KAFKA_PORT=$kafka" "WEB_PORT=$web"
}

launch_broker() { # ID: starts the silo in the background (a session of its own) and records its pid
  local id=$1 pid
  load_broker "$id"
  mkdir -p "$DIR/broker-$id"
  # The silo rewrites it once bound; until then the ports recorded here are the truth (a new start may pick new ones).
  rm -f "$DIR/broker-$id/endpoints.json"
  local args=("$SILO_DLL" --broker-id "$id" --data-dir "$DIR/broker-$id" --cluster-id "$CLUSTER_ID"
    --silo-port "$SILO_PORT" --gateway-port "$GATEWAY_PORT")
  ((HAS_CLUSTER_DB)) && args+=(--cluster-db "$(cluster_db)")
  ((HAS_KAFKA_PORT)) && args+=(--kafka-port "$KAFKA_PORT")
  ((HAS_WEB_PORT)) && args+=(--web-port "$WEB_PORT")
  if [[ $NETNS == 1 ]]; then
    args+=(--listen-address "$HOST")
    # The bridge is this machine's own, private to the cluster: its pages need no credentials there.
    ((HAS_WEB_ADDRESS)) && args+=(--web-address "$HOST" --web-insecure)
  fi
  # Where this start's output begins, so that readiness is judged on this start's lines only.
  if [[ -f $LOGS/broker-$id.log ]]; then stat -c %s "$LOGS/broker-$id.log"; else echo 0; fi >"$STATE/broker-$id.logstart"
  printf '==== %s local-cluster.sh: starting broker %s: dotnet %s\n' "$(date -Is)" "$id" "${args[*]}" >>"$LOGS/broker-$id.log"
  if [[ $NETNS == 1 ]]; then
    netns_up "$id"
    (cd "$DIR" && exec ip netns exec "$(netns_name "$id")" setsid dotnet "${args[@]}") \
      </dev/null >>"$LOGS/broker-$id.log" 2>&1 &
  else
    (cd "$DIR" && exec setsid dotnet "${args[@]}") </dev/null >>"$LOGS/broker-$id.log" 2>&1 &
  fi
  pid=$!
  echo "$pid" >"$STATE/broker-$id.pid"
  # Until the subshell has exec'd, /proc/PID is still this script: wait for the silo's command line, so that
  # broker_pid (which checks it) never mistakes a broker being launched for one that exited.
  local deadline=$((SECONDS + 10))
  while [[ -z $(broker_pid "$id") ]] && pid_alive "$pid" && ((SECONDS < deadline)); do sleep 0.02; done
}

# Brokers the controller reports alive, one id a line (cluster mode with `orlog brokers list`).
alive_brokers() {
  local boot
  boot=$(gateway_list running)
  [[ -n $boot ]] || return 0
  timeout 20 dotnet "$CLI_DLL" brokers list --output json -b "$boot" -X "orleans.cluster.id=$CLUSTER_ID" 2>/dev/null | tr -d '[:space:]' |
    sed 's/},{/}\n{/g' | grep -E '"status":"alive"' | grep -oE '"id":[0-9]+' | cut -d: -f2 || true
}

# Waits until no partition of any topic is under-replicated (`orlog topics describe --under-replicated`).
wait_in_sync() { # TIMEOUT
  local deadline=$((SECONDS + $1)) boot listed
  while :; do
    boot=$(gateway_list running)
    listed=$(timeout 20 dotnet "$CLI_DLL" topics describe --under-replicated --output json -b "$boot" -X "orleans.cluster.id=$CLUSTER_ID" 2>/dev/null |
      tr -d '[:space:]') || listed=
    [[ $listed == '[]' ]] && return 0
    ((SECONDS < deadline)) || die "partitions still under-replicated after ${1}s: ${listed:-no answer}"
    sleep 0.5
  done
}

broker_started() { # ID: its gateway accepts connections and its log says, since this start, that it started
  local id=$1 from
  load_broker "$id"
  from=$(cat "$STATE/broker-$id.logstart" 2>/dev/null || echo 0)
  tail -c +"$((from + 1))" "$LOGS/broker-$id.log" | grep -q 'Orlog silo started' || return 1
  local gateway
  gateway=$(endpoint "$id" gateway)
  [[ $gateway != - ]] || return 1
  port_open "${gateway%:*}" "${gateway##*:}"
}

# Waits until every broker in IDS is up: its own start, and (cluster mode) the controller lists it alive.
wait_brokers_up() { # TIMEOUT IDS...
  local timeout=$1; shift
  local deadline=$((SECONDS + timeout)) id pending alive
  pending=("$@")
  while :; do
    local still=()
    for id in "${pending[@]}"; do
      # Read twice: while the launcher execs into the silo, its /proc command line can read empty for an instant.
      [[ -n $(broker_pid "$id") ]] || { sleep 0.2; [[ -n $(broker_pid "$id") ]]; } || fail_broker "$id" "broker $id exited during start"
      broker_started "$id" || still+=("$id")
    done
    if ((${#still[@]} == 0)) && ((HAS_CLUSTER_DB && HAS_BROKERS_LIST)); then
      alive=" $(alive_brokers | tr '\n' ' ') "
      for id in "${pending[@]}"; do
        [[ $alive == *" $id "* ]] || still+=("$id")
      done
    fi
    ((${#still[@]} == 0)) && return 0
    if ((SECONDS >= deadline)); then
      fail_broker "${still[0]}" "broker ${still[0]} was not up within ${timeout}s"
    fi
    pending=("${still[@]}")
    sleep 0.5
  done
}

# Reports a broker that failed to come up, with its log's tail, and exits 1 (a failed start cleans up on exit).
fail_broker() { # ID MESSAGE
  {
    printf 'local-cluster: %s; the end of %s:\n' "$2" "$LOGS/broker-$1.log"
    tail -c +"$(($(cat "$STATE/broker-$1.logstart" 2>/dev/null || echo 0) + 1))" "$LOGS/broker-$1.log" 2>/dev/null |
      tail -n 40 | sed 's/^/  | /'
  } >&2
  exit 1
}

stop_broker_pid() { # ID PID: SIGTERM, and SIGCONT so that a paused broker handles it
  kill -TERM "$2" 2>/dev/null || true
  kill -CONT "$2" 2>/dev/null || true
}

# ---------------------------------------------------------------------------------------------- endpoints
# host:port of a surface (silo, gateway, kafka, web) of broker ID, or -: from <data-dir>/endpoints.json when
# the silo wrote it, else from the ports this script gave it (kafka and web only when the silo takes them).
endpoint() { # ID SURFACE
  local id=$1 surface=$2 json
  json=$DIR/broker-$id/endpoints.json
  if [[ -f $json ]]; then
    json=$(<"$json")
    if [[ $json =~ \"$surface\"[[:space:]]*:[[:space:]]*(null|\"([^\"]*)\") ]]; then
      if [[ ${BASH_REMATCH[1]} == null ]]; then echo -; else printf '%s\n' "${BASH_REMATCH[2]}"; fi
      return
    fi
  fi
  load_broker "$id"
  case $surface in
    silo) printf '%s:%s\n' "$HOST" "$SILO_PORT" ;;
    gateway) printf '%s:%s\n' "$HOST" "$GATEWAY_PORT" ;;
    kafka) if ((HAS_KAFKA_PORT)); then printf '%s:%s\n' "$HOST" "$KAFKA_PORT"; else echo -; fi ;;
    web) if ((HAS_WEB_PORT)); then printf '%s:%s\n' "$HOST" "$WEB_PORT"; else echo -; fi ;;
  esac
}

gateway_list() { # [running] [SURFACE]
  local only=${1:-all} surface=${2:-gateway} id value list=()
  for id in $(broker_ids); do
    [[ $only == running && -z $(broker_pid "$id") ]] && continue
    value=$(endpoint "$id" "$surface")
    [[ $value == - ]] || list+=("$value")
  done
  (IFS=,; printf '%s\n' "${list[*]}")
}

# ---------------------------------------------------------------------------------------------- verbs
cmd_start() {
  local n=3 timeout=$DEFAULT_TIMEOUT netns=0
  while (($#)); do
    case $1 in
      --timeout) [[ ${2:-} =~ ^[0-9]+$ ]] || die "--timeout takes a number of seconds"; timeout=$2; shift 2 ;;
      --timeout=*) timeout=${1#*=}; [[ $timeout =~ ^[0-9]+$ ]] || die "--timeout takes a number of seconds"; shift ;;
      --netns) netns=1; shift ;;
      -*) die "start: unknown option $1 (start [N] [--timeout S] [--netns])" ;;
      *) [[ $1 =~ ^[1-9][0-9]*$ ]] || die "start: N must be a positive number, not '$1'"; n=$1; shift ;;
    esac
  done
  cluster_dir_init
  mkdir -p "$STATE" "$LOGS"
  if [[ -f $STATE/cluster.env ]]; then
    load_cluster
    local id
    for id in $(broker_ids); do
      [[ -z $(broker_pid "$id") ]] || die "the cluster in $DIR is running (broker $id); stop it first"
    done
    ! pg_pid >/dev/null || die "the cluster in $DIR is running (PostgreSQL); stop it first"
    if [[ $NETNS == 1 ]]; then netns_down_all; fi
    rm -f "$STATE"/broker-*.env "$STATE"/broker-*.pid "$STATE"/broker-*.logstart "$STATE/db.env"
  fi
  CLUSTER_ID=$(cat "$STATE/cluster-id" 2>/dev/null || true)
  if [[ -z $CLUSTER_ID ]]; then
    # The clients' default, so that `orlog -b "$(deploy/local-cluster.sh bootstrap)"` needs nothing else:
    # each cluster has a database of its own, so two local clusters never meet under one id.
    CLUSTER_ID=${ORLOG_CLUSTER_ID:-orlog}
    echo "$CLUSTER_ID" >"$STATE/cluster-id"
  fi
  NETNS=$netns NET_INDEX=0
  if ((netns)); then
    netns_check
    choose_net_index
  fi
  resolve_assemblies
  detect_features
  save_cluster
  # From here a failure stops whatever this start began, so that the next start finds nothing running.
  trap cleanup_failed_start EXIT

  collect_used_ports
  free_port PG_PORT
  PG_HOST=127.0.0.1
  [[ $NETNS == 1 ]] && PG_HOST=$(subnet).1
  write_env "$STATE/db.env" "PG_PORT=$PG_PORT" "PG_HOST=$PG_HOST"
  [[ $NETNS == 1 ]] && bridge_up
  pg_init
  pg_start
  pg_create_database
  prepare_database

  local ids=()
  for ((id = 1; id <= n; id++)); do
    new_broker "$id"
    ids+=("$id")
  done
  for id in "${ids[@]}"; do launch_broker "$id"; done
  wait_brokers_up "$timeout" "${ids[@]}"
  trap - EXIT

  {
    printf 'local-cluster: %s brokers up in %s (cluster id %s)\n' "$n" "$DIR" "$CLUSTER_ID"
    printf '  bootstrap  %s\n' "$(gateway_list)"
    printf '  cli        dotnet %s -b %s ...\n' "$CLI_DLL" "$(gateway_list)"
    printf '  database   %s\n' "$(cluster_db)"
    ((HAS_CLUSTER_DB)) || printf '  note: this Orlog.Silo.dll has no --cluster-db yet: every broker runs as an embedded default of its own, not one cluster\n'
    ((HAS_BROKERS_LIST)) || printf '  note: this orlog.dll has no "brokers list": each broker was judged up by its gateway and its log\n'
    printf '  logs       %s\n' "$LOGS"
  } >&2
}

cleanup_failed_start() {
  trap - EXIT
  note "start failed: stopping what it started (the logs stay in $LOGS)"
  stop_everything >/dev/null 2>&1 || true
}

stop_everything() {
  local id pid pids=()
  for id in $(broker_ids); do
    pid=$(broker_pid "$id")
    [[ -n $pid ]] || continue
    stop_broker_pid "$id" "$pid"
    pids+=("$id:$pid")
  done
  local entry deadline=$((SECONDS + STOP_WAIT))
  for entry in "${pids[@]}"; do
    pid=${entry#*:}
    if ! wait_gone "$pid" $((deadline > SECONDS ? deadline - SECONDS : 1)); then
      note "broker ${entry%%:*} did not stop within ${STOP_WAIT}s of SIGTERM: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      wait_gone "$pid" 10 || die "broker ${entry%%:*} (pid $pid) survived SIGKILL"
    fi
  done
  rm -f "$STATE"/broker-*.pid
  if [[ -f $PGDATA/PG_VERSION ]]; then pg_stop; fi
  if [[ $NETNS == 1 ]]; then netns_down_all; fi
  return 0
}

cmd_stop() {
  (($# == 0)) || die "stop takes no arguments"
  cluster_dir_existing
  stop_everything
}

cmd_status() {
  (($# == 0)) || die "status takes no arguments"
  cluster_dir_existing
  local id pid state rows=() db_pid db_state
  rows+=("ID PID STATE GATEWAY KAFKA WEB DATA-DIR")
  for id in $(broker_ids); do
    pid=$(broker_pid "$id")
    state=$(broker_state "$id")
    rows+=("$id ${pid:--} $state $(endpoint "$id" gateway) $(endpoint "$id" kafka) $(endpoint "$id" web) $DIR/broker-$id")
  done
  if db_pid=$(pg_pid); then
    db_state=running
    case $(pid_state "$db_pid") in T | t) db_state=paused ;; esac
  else
    db_pid=- db_state=stopped
  fi
  rows+=("db $db_pid $db_state ${PG_HOST:-127.0.0.1}:${PG_PORT:--} - - $PGDATA")
  printf '%s\n' "${rows[@]}" | column -t 2>/dev/null || printf '%s\n' "${rows[@]}"
}

cmd_bootstrap() { # SURFACE [--running]
  local surface=$1; shift
  local only=all
  while (($#)); do
    case $1 in --running) only=running; shift ;; *) die "unknown option $1 (bootstrap [--running])" ;; esac
  done
  cluster_dir_existing
  local list
  list=$(gateway_list "$only" "$surface")
  [[ -n $list ]] || {
    if [[ $surface == kafka ]]; then die "no Kafka listener: this silo has none yet (no --kafka-port, no kafka in endpoints.json)"; fi
    die "no broker is running"
  }
  printf '%s\n' "$list"
}

require_id() { # VERB ARGS...
  local verb=$1; shift
  (($# >= 1)) || die "$verb needs a broker id ($verb ID)"
  cluster_dir_existing
  load_broker "$1"
}

cmd_kill() {
  (($# == 1)) || die "kill takes one broker id"
  require_id kill "$@"
  local pid
  pid=$(broker_pid "$1")
  [[ -n $pid ]] || die "broker $1 is not running"
  kill -KILL "$pid" 2>/dev/null || true
  wait_gone "$pid" 30 || die "broker $1 (pid $pid) is still there 30 s after SIGKILL"
}

cmd_stop_broker() {
  (($# == 1)) || die "stop-broker takes one broker id"
  require_id stop-broker "$@"
  local pid
  pid=$(broker_pid "$1")
  [[ -n $pid ]] || die "broker $1 is not running"
  stop_broker_pid "$1" "$pid"
  if ! wait_gone "$pid" "$STOP_WAIT"; then
    note "broker $1 did not stop within ${STOP_WAIT}s of SIGTERM: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    wait_gone "$pid" 10 || die "broker $1 (pid $pid) survived SIGKILL"
  fi
}

parse_timeout() { # sets TIMEOUT from [--timeout S] in ARGS
  TIMEOUT=$DEFAULT_TIMEOUT
  while (($#)); do
    case $1 in
      --timeout) [[ ${2:-} =~ ^[0-9]+$ ]] || die "--timeout takes a number of seconds"; TIMEOUT=$2; shift 2 ;;
      *) die "unknown argument $1" ;;
    esac
  done
}

cmd_restart() {
  (($# >= 1)) || die "restart needs a broker id (restart ID [--timeout S])"
  local id=$1; shift
  parse_timeout "$@"
  require_id restart "$id"
  [[ -z $(broker_pid "$id") ]] || die "broker $id is running (stop-broker or kill it first)"
  pg_pid >/dev/null || die "PostgreSQL is not running (db-restart, or start the cluster)"
  launch_broker "$id"
  wait_brokers_up "$TIMEOUT" "$id"
}

cmd_signal() { # VERB SIGNAL WANTED-STATE ID
  local verb=$1 signal=$2 wanted=$3; shift 3
  (($# == 1)) || die "$verb takes one broker id"
  require_id "$verb" "$@"
  local pid deadline=$((SECONDS + 10))
  pid=$(broker_pid "$1")
  [[ -n $pid ]] || die "broker $1 is not running"
  kill "-$signal" "$pid"
  until [[ $(broker_state "$1") == "$wanted" ]]; do
    ((SECONDS < deadline)) || die "broker $1 is not $wanted 10 s after SIG$signal"
    sleep 0.05
  done
}

cmd_partition() { # partition|heal ID
  local verb=$1; shift
  (($# == 1)) || die "$verb takes one broker id"
  require_id "$verb" "$@"
  [[ $NETNS == 1 ]] || die "$verb needs a cluster started with --netns (brokers in network namespaces)"
  local ns table=orlog_partition
  ns=$(netns_name "$1")
  ip netns list | grep -qE "^$ns( |$)" || die "broker $1 has no network namespace ($ns)"
  ip netns exec "$ns" nft delete table inet "$table" 2>/dev/null || true
  [[ $verb == heal ]] && return 0
  # Inside the broker's namespace: nothing to or from another broker (10.77.x.2-254), nothing to or from
  # PostgreSQL's port on the host (.1); the host's other traffic (clients) still passes.
  local others pg
  others="$(subnet).2-$(subnet).254" pg="$(subnet).1"
  ip netns exec "$ns" nft -f - <<EOF || die "nft refused the partition rules"
table inet $table {
  chain output {
    type filter hook output priority 0; policy accept;
    ip daddr $others drop
    ip daddr $pg tcp dport $PG_PORT drop
  }
  chain input {
    type filter hook input priority 0; policy accept;
    ip saddr $others drop
    ip saddr $pg tcp sport $PG_PORT drop
  }
}
EOF
}

cmd_db_restart() {
  (($# == 0)) || die "db-restart takes no arguments"
  cluster_dir_existing
  pg_stop
  pg_start
}

cmd_add_broker() {
  parse_timeout "$@"
  cluster_dir_existing
  pg_pid >/dev/null || die "PostgreSQL is not running (start the cluster first)"
  local id last
  last=$(broker_ids | tail -n 1)
  id=$((${last:-0} + 1))
  collect_used_ports
  new_broker "$id"
  launch_broker "$id"
  wait_brokers_up "$TIMEOUT" "$id"
  printf '%s\n' "$id"
}

cmd_roll() {
  parse_timeout "$@"
  cluster_dir_existing
  pg_pid >/dev/null || die "PostgreSQL is not running (start the cluster first)"
  local id
  for id in $(broker_ids); do
    [[ -n $(broker_pid "$id") ]] || die "broker $id is not running: roll restarts a running cluster (restart it first)"
  done
  wait_in_sync "$TIMEOUT"
  for id in $(broker_ids); do
    note "roll: restarting broker $id"
    cmd_stop_broker "$id"
    launch_broker "$id"
    wait_brokers_up "$TIMEOUT" "$id"
    wait_in_sync "$TIMEOUT"
  done
}

main() {
  dotnet_env
  (($# >= 1)) || { printf '%s\n' "$USAGE" >&2; exit 1; }
  local verb=$1; shift
  case $verb in
    start) cmd_start "$@" ;;
    stop) cmd_stop "$@" ;;
    status) cmd_status "$@" ;;
    bootstrap) cmd_bootstrap gateway "$@" ;;
    kafka-bootstrap) cmd_bootstrap kafka "$@" ;;
    cluster-db) (($# == 0)) || die "cluster-db takes no arguments"; cluster_dir_existing; cluster_db; echo ;;
    cluster-id) (($# == 0)) || die "cluster-id takes no arguments"; cluster_dir_existing; printf '%s\n' "$CLUSTER_ID" ;;
    kill) cmd_kill "$@" ;;
    stop-broker) cmd_stop_broker "$@" ;;
    restart) cmd_restart "$@" ;;
    pause) cmd_signal pause STOP paused "$@" ;;
    resume) cmd_signal resume CONT running "$@" ;;
    partition) cmd_partition partition "$@" ;;
    heal) cmd_partition heal "$@" ;;
    db-restart) cmd_db_restart "$@" ;;
    add-broker) cmd_add_broker "$@" ;;
    roll) cmd_roll "$@" ;;
    help | -h | --help) printf '%s\n' "$USAGE" ;;
    *) die "unknown verb '$verb' (deploy/local-cluster.sh help lists them)" ;;
  esac
}

main "$@"
