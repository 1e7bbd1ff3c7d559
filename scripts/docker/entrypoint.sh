#!/usr/bin/env bash
# Entrypoint of the Airflow image, run by dumb-init (docs/image.md, "Entrypoint").
set -euo pipefail

AIRFLOW_HOME=${AIRFLOW_HOME:-/opt/airflow}
AIRFLOW_USER_HOME_DIR=${AIRFLOW_USER_HOME_DIR:-/home/airflow}
AIRFLOW_UID=${AIRFLOW_UID:-50000}
CONNECTION_CHECK_MAX_COUNT=${CONNECTION_CHECK_MAX_COUNT:-20}
CONNECTION_CHECK_SLEEP_TIME=${CONNECTION_CHECK_SLEEP_TIME:-3}

die() { echo "ERROR: $*" >&2; exit 1; }
info() { echo "$*" >&2; }

# Files that Airflow writes belong to group 0, so that any UID of group 0 can share them.
check_group() {
  local uid gid
  uid=$(id -u) gid=$(id -g)
  if [[ $gid != 0 && $uid != "$AIRFLOW_UID" ]]; then
    die "this container runs as UID $uid with group $gid. Run it with group 0," \
      "e.g. 'docker run --user $uid:0 ...': Airflow's files belong to group 0. Only the" \
      "default airflow user (UID $AIRFLOW_UID) may run with another group."
  fi
}

# An arbitrary UID (OpenShift, `docker run --user`) gets a name: Airflow refuses to run without
# one. A writable /etc/passwd takes an entry; under a read-only root LOGNAME (set in the image,
# read first by Python's getpass) names it.
ensure_user() {
  if ! whoami >/dev/null 2>&1; then
    local name=${USER_NAME:-default}
    if [[ -w /etc/passwd ]]; then
      echo "${name}:x:$(id -u):0:${name} user:${AIRFLOW_USER_HOME_DIR}:/sbin/nologin" >>/etc/passwd
    fi
    export LOGNAME=${LOGNAME:-$name}
  fi
  if [[ -z ${HOME:-} || $HOME == / ]]; then
    export HOME=$AIRFLOW_USER_HOME_DIR
  fi
}

# Under a read-only root (Kubernetes' readOnlyRootFilesystem) AIRFLOW_HOME may not be writable:
# the generated airflow.cfg and the fallback sqlite database go to the temporary folder instead.
ensure_writable_state() {
  STATE_DIR=$AIRFLOW_HOME
  if [[ ! -w $AIRFLOW_HOME ]]; then
    STATE_DIR=${TMPDIR:-/tmp}
    local cfg=${AIRFLOW_CONFIG:-$AIRFLOW_HOME/airflow.cfg}
    if [[ ! -e $cfg ]]; then
      export AIRFLOW_CONFIG=$STATE_DIR/airflow.cfg
    fi
  fi
}

# Prints VAR, else the output of VAR_CMD, else (through Airflow) VAR_SECRET; nothing if none is set.
setting_from_env() {  # $1 variable  $2 section  $3 key
  local var=$1 cmd_var="${1}_CMD" secret_var="${1}_SECRET"
  if [[ -n ${!var:-} ]]; then
    printf '%s\n' "${!var}"
  elif [[ -n ${!cmd_var:-} ]]; then
    bash -c "${!cmd_var}" || die "$cmd_var failed"
  elif [[ -n ${!secret_var:-} ]]; then
    airflow config get-value "$2" "$3" || die "cannot read $secret_var through Airflow"
  fi
}

is_set_in_env() {  # $1 variable: set directly or as _CMD / _SECRET
  [[ -n ${!1:-} ]] || { local c="${1}_CMD" s="${1}_SECRET"; [[ -n ${!c:-} || -n ${!s:-} ]]; }
}

config_file_sets() {  # $1 key: set in airflow.cfg
  local cfg=${AIRFLOW_CONFIG:-$AIRFLOW_HOME/airflow.cfg}
  [[ -f $cfg ]] && grep -Eq "^[[:space:]]*$1[[:space:]]*=" "$cfg"
}

default_port() {  # $1 URL scheme
  case $1 in
    postgres|postgresql|pgsql) echo 5432 ;;
    mysql|mariadb) echo 3306 ;;
    mssql) echo 1433 ;;
    redis|rediss) echo 6379 ;;
    sentinel) echo 26379 ;;
    amqp|pyamqp|librabbitmq) echo 5672 ;;
    amqps) echo 5671 ;;
  esac
}

# Waits until HOST:PORT of the URL accepts TCP connections; sqlite and host-less URLs need no wait.
wait_for() {  # $1 what (database, Celery broker)  $2 URL
  local what=$1 url=$2 scheme rest host port
  scheme=${url%%://*}
  scheme=${scheme#sqla+}
  scheme=${scheme#db+}
  scheme=${scheme%%+*}
  [[ $url == *://* && $scheme != sqlite ]] || return 0
  rest=${url#*://}
  rest=${rest%%[/?#]*}     # authority: [user[:password]@]host[:port][,host2...]
  rest=${rest##*@}
  rest=${rest%%,*}
  if [[ $rest == \[* ]]; then          # [IPv6]:port
    host=${rest%%]*}
    host=${host#[}
    port=${rest#*]}
  else
    host=${rest%%:*}
    port=${rest#"$host"}
  fi
  port=${port#:}
  port=${port:-$(default_port "$scheme")}
  if [[ -z $host || -z $port ]]; then
    info "Not waiting for the $what: no host and port in its ${scheme} URL"
    return 0
  fi
  local try
  for ((try = 1; try <= CONNECTION_CHECK_MAX_COUNT; try++)); do
    # shellcheck disable=SC2016 # $1 and $2 expand in the inner bash
    if timeout 5 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$host" "$port" 2>/dev/null; then
      return 0
    fi
    info "Waiting for the $what at $host:$port ($try/$CONNECTION_CHECK_MAX_COUNT)"
    if ((try < CONNECTION_CHECK_MAX_COUNT)); then
      sleep "$CONNECTION_CHECK_SLEEP_TIME"
    fi
  done
  die "the $what at $host:$port did not answer after $CONNECTION_CHECK_MAX_COUNT tries," \
    "$CONNECTION_CHECK_SLEEP_TIME s apart (CONNECTION_CHECK_MAX_COUNT," \
    "CONNECTION_CHECK_SLEEP_TIME)."
}

wait_for_database() {
  local url
  url=$(setting_from_env AIRFLOW__DATABASE__SQL_ALCHEMY_CONN database sql_alchemy_conn)
  if [[ -z $url ]]; then
    url=$(airflow config get-value database sql_alchemy_conn)
  fi
  wait_for database "$url"
}

wait_for_celery_broker() {
  is_set_in_env AIRFLOW__CELERY__BROKER_URL || return 0
  local url
  url=$(setting_from_env AIRFLOW__CELERY__BROKER_URL celery broker_url)
  wait_for "Celery broker" "$url"
}

check_group
ensure_user
ensure_writable_state
umask 0002

if ! is_set_in_env AIRFLOW__DATABASE__SQL_ALCHEMY_CONN && ! config_file_sets sql_alchemy_conn; then
  export AIRFLOW__DATABASE__SQL_ALCHEMY_CONN="sqlite:///${STATE_DIR}/airflow.db"
fi

# bash, python and absolute paths (e.g. /clean-logs) run as given; anything else is an airflow
# command
subcommand=""
case ${1:-} in
  bash | python | python3 | /*) ;;
  airflow) shift; subcommand=${1:-}; set -- airflow "$@" ;;
  *) subcommand=${1:-}; set -- airflow "$@" ;;
esac

if ((CONNECTION_CHECK_MAX_COUNT > 0)); then
  case $subcommand in
    version | --help | -h) ;;
    *) wait_for_database ;;
  esac
  case $subcommand in
    scheduler | celery) wait_for_celery_broker ;;
  esac
fi

if [[ ${_AIRFLOW_DB_MIGRATE:-false} == true ]]; then
  airflow db migrate
fi

exec "$@"
