#!/usr/bin/env bash
# A private RabbitMQ node for the tests: never the machine's own service, never systemd.
#
#   tests/Broker/test-broker.sh run <command> [args...]
#       Starts a node, runs the command with the ASYA_TEST_RABBITMQ_* variables below exported, stops
#       the node (also when the command fails or the script is interrupted) and exits with the
#       command's status. When no node can be started the command still runs, without
#       ASYA_TEST_RABBITMQ_URL and with ASYA_TEST_RABBITMQ_SKIP_REASON saying why, so the suites can
#       skip (or, with CI=true, fail) with that reason.
#   tests/Broker/test-broker.sh start <dir>    start a node whose state lives in <dir>; writes <dir>/env
#   tests/Broker/test-broker.sh stop <dir>     stop it by its pid file and its private epmd
#
# What the tests get (also in <dir>/env, ready to source):
#   ASYA_TEST_RABBITMQ_URL       amqp://asyatest:<random password>@127.0.0.1:<port>/asyatest
#   ASYA_TEST_RABBITMQ_PORT      the AMQP port (loopback only)
#   ASYA_TEST_RABBITMQ_VHOST     asyatest (the user asyatest has every permission on it)
#   ASYA_TEST_RABBITMQ_CTL       a rabbitmqctl bound to this node (stop_app/start_app, add_user, ...)
#
# The node: name asyatest-<random>@localhost, data, logs, config, pid file and Erlang cookie ($HOME)
# under <dir>, AMQP, distribution and epmd ports chosen free at random, every listener on 127.0.0.1,
# no plugins. Debian's rabbitmq-server package provides the programs; as root it is installed with
# apt-get when missing.
set -euo pipefail

rabbit_bin="${RABBITMQ_BIN_DIR:-/usr/lib/rabbitmq/bin}"

log() { printf 'test-broker: %s\n' "$*" >&2; }

ensure_installed() {
  [ -x "$rabbit_bin/rabbitmq-server" ] && return 0
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    log "rabbitmq-server is not installed (apt-get install rabbitmq-server as root)"
    return 1
  fi
  log "installing rabbitmq-server with apt-get"
  # The package's own service must not start: policy-rc.d refuses it for the duration of the install.
  local policy=/usr/sbin/policy-rc.d created_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && created_policy=1
  fi
  local status=0
  # A new machine may have no package lists yet; one failed install is retried after an update.
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends rabbitmq-server >&2; then
    log "install failed; updating the package lists and trying once more"
    apt-get update -q >&2 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends rabbitmq-server >&2 || status=$?
  fi
  [ "$created_policy" -eq 1 ] && rm -f "$policy"
  [ "$status" -eq 0 ] && [ -x "$rabbit_bin/rabbitmq-server" ]
}

port_is_free() { [ -z "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]; }

# Below the kernel's ephemeral range (32768 and up on Linux), where outgoing connections take ports
# between the check and the node's bind: a port seen free there was seen taken a moment later.
free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((10000 + RANDOM % 22000))
    if port_is_free "$port"; then echo "$port"; return 0; fi
  done
  return 1
}

random_token() { head -c 18 /dev/urandom | base64 | tr -d '/+=' | head -c 24; }

# Every variable the RabbitMQ scripts read, so nothing comes from /etc/rabbitmq or /var/lib/rabbitmq.
write_node_env() {
  local dir="$1" node="$2" amqp_port="$3" dist_port="$4" epmd_port="$5"
  cat >"$dir/node-env" <<EOF
export HOME='$dir/home'
export RABBITMQ_NODENAME='$node'
export RABBITMQ_USE_LONGNAME=false
export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
export RABBITMQ_NODE_PORT=$amqp_port
export RABBITMQ_DIST_PORT=$dist_port
export ERL_EPMD_PORT=$epmd_port
export ERL_EPMD_ADDRESS=127.0.0.1
export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS='-kernel inet_dist_use_interface {127,0,0,1}'
export RABBITMQ_CONF_ENV_FILE='$dir/rabbitmq-env.conf'
export RABBITMQ_CONFIG_FILE='$dir/rabbitmq.conf'
export RABBITMQ_ADVANCED_CONFIG_FILE='$dir/advanced.config'
export RABBITMQ_ENABLED_PLUGINS_FILE='$dir/enabled_plugins'
export RABBITMQ_MNESIA_BASE='$dir/mnesia'
export RABBITMQ_LOG_BASE='$dir/log'
export RABBITMQ_LOGS='$dir/log/node.log'
export RABBITMQ_PID_FILE='$dir/node.pid'
export RABBITMQ_QUORUM_DIR='$dir/mnesia/quorum'
export RABBITMQ_STREAM_DIR='$dir/mnesia/stream'
export RABBITMQ_FEATURE_FLAGS_FILE='$dir/feature_flags'
EOF
}

start_node() {
  local dir="$1"
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  ensure_installed || return 1
  mkdir -p "$dir/home" "$dir/mnesia" "$dir/log"
  chmod 700 "$dir" "$dir/home"

  local amqp_port dist_port epmd_port
  amqp_port="$(free_port)" && dist_port="$(free_port)" && epmd_port="$(free_port)" || {
    log "no free port found"; return 1; }
  if [ "$amqp_port" = "$dist_port" ] || [ "$amqp_port" = "$epmd_port" ] || [ "$dist_port" = "$epmd_port" ]; then
    log "port collision, try again"; return 1
  fi

  local node="asyatest-$(random_token | tr 'A-Z' 'a-z' | head -c 10)@localhost"
  random_token >"$dir/home/.erlang.cookie"
  chmod 400 "$dir/home/.erlang.cookie"
  : >"$dir/rabbitmq-env.conf"
  echo '[].' >"$dir/enabled_plugins"
  echo '[].' >"$dir/advanced.config"
  cat >"$dir/rabbitmq.conf" <<EOF
listeners.tcp.1 = 127.0.0.1:$amqp_port
log.file.level = info
log.console = false
EOF
  write_node_env "$dir" "$node" "$amqp_port" "$dist_port" "$epmd_port"

  # A rabbitmqctl that always talks to this node.
  cat >"$dir/rabbitmqctl" <<EOF
#!/usr/bin/env bash
. '$dir/node-env'
exec '$rabbit_bin/rabbitmqctl' -n '$node' "\$@"
EOF
  chmod 700 "$dir/rabbitmqctl"

  log "starting $node on 127.0.0.1:$amqp_port"
  (
    . "$dir/node-env"
    cd "$dir"
    exec setsid "$rabbit_bin/rabbitmq-server" >"$dir/log/stdout.log" 2>&1 </dev/null
  ) &
  echo $! >"$dir/script.pid"

  # `wait` blocks until the pid file appears and the node has booted (or the node dies).
  if ! timeout 90 "$dir/rabbitmqctl" -q wait --timeout 80 "$dir/node.pid" >"$dir/log/wait.log" 2>&1; then
    log "the node did not start; last log lines:"
    tail -n 15 "$dir/log/stdout.log" "$dir/log/node.log" 2>/dev/null | sed 's/^/  /' >&2 || true
    stop_node "$dir" || true
    return 1
  fi

  local password
  password="$(random_token)"
  "$dir/rabbitmqctl" -q add_vhost asyatest >/dev/null
  # The password goes through stdin-free argv of a private process; it is never printed.
  "$dir/rabbitmqctl" -q add_user asyatest "$password" >/dev/null
  "$dir/rabbitmqctl" -q set_user_tags asyatest administrator >/dev/null
  "$dir/rabbitmqctl" -q set_permissions -p asyatest asyatest '.*' '.*' '.*' >/dev/null
  "$dir/rabbitmqctl" -q set_permissions -p / asyatest '.*' '.*' '.*' >/dev/null

  cat >"$dir/env" <<EOF
export ASYA_TEST_RABBITMQ_URL='amqp://asyatest:$password@127.0.0.1:$amqp_port/asyatest'
export ASYA_TEST_RABBITMQ_PORT=$amqp_port
export ASYA_TEST_RABBITMQ_VHOST=asyatest
export ASYA_TEST_RABBITMQ_CTL='$dir/rabbitmqctl'
EOF
  chmod 600 "$dir/env"
  log "ready: $node (amqp 127.0.0.1:$amqp_port)"
}

stop_node() {
  local dir="$1"
  [ -f "$dir/node-env" ] || return 0
  local pid=""
  [ -f "$dir/node.pid" ] && pid="$(cat "$dir/node.pid" 2>/dev/null || true)"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    # `stop <pidfile>` returns once the node's process has exited.
    timeout 30 "$dir/rabbitmqctl" -q stop "$dir/node.pid" >/dev/null 2>&1 || true
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  local script_pid=""
  [ -f "$dir/script.pid" ] && script_pid="$(cat "$dir/script.pid" 2>/dev/null || true)"
  if [ -n "$script_pid" ] && kill -0 "$script_pid" 2>/dev/null; then
    kill -TERM "$script_pid" 2>/dev/null || true
  fi
  # The node started its own epmd on the private port; it outlives the node unless told to stop.
  ( . "$dir/node-env"; epmd -port "$ERL_EPMD_PORT" -kill >/dev/null 2>&1 ) || true
  rm -f "$dir/node.pid" "$dir/script.pid"
}

run_with_broker() {
  local status=0
  broker_dir="$(mktemp -d "${TMPDIR:-/tmp}/asya-rabbitmq.XXXXXX")"
  child_pid=""
  cleanup() { stop_node "$broker_dir"; rm -rf "$broker_dir"; }
  # A signal stops the command first (bash runs traps only between commands, so the command runs
  # in the background and is waited for), then the node.
  on_signal() { [ -n "$child_pid" ] && kill -TERM "$child_pid" 2>/dev/null; wait "$child_pid" 2>/dev/null; exit "$1"; }
  trap cleanup EXIT
  trap 'on_signal 130' INT
  trap 'on_signal 143' TERM
  local dir="$broker_dir"
  if start_node_with_retries "$dir"; then
    set -a; . "$dir/env"; set +a
    unset ASYA_TEST_RABBITMQ_SKIP_REASON
  else
    export ASYA_TEST_RABBITMQ_SKIP_REASON="no RabbitMQ test broker could be started (see test-broker output above)"
    unset ASYA_TEST_RABBITMQ_URL ASYA_TEST_RABBITMQ_CTL
  fi
  "$@" <&0 &
  child_pid=$!
  wait "$child_pid" || status=$?
  child_pid=""
  exit "$status"
}

# A port can still be taken between the check and the bind: try again with fresh ports and state.
start_node_with_retries() {
  local dir="$1" attempt
  for attempt in 1 2 3; do
    start_node "$dir" && return 0
    [ "$attempt" -lt 3 ] && log "start attempt $attempt failed; trying again with other ports"
    rm -rf "$dir/mnesia" "$dir/log" "$dir/env"
  done
  return 1
}

case "${1:-}" in
  run) shift; [ $# -gt 0 ] || { log "usage: $0 run <command> [args...]"; exit 2; }; run_with_broker "$@" ;;
  start) [ $# -eq 2 ] || { log "usage: $0 start <dir>"; exit 2; }; start_node_with_retries "$2" ;;
  stop) [ $# -eq 2 ] || { log "usage: $0 stop <dir>"; exit 2; }; stop_node "$2" ;;
  *) log "usage: $0 run <command...> | start <dir> | stop <dir>"; exit 2 ;;
esac
