#!/usr/bin/env bash
# Deletes Airflow's *.log files older than AIRFLOW__LOG_RETENTION_DAYS (15) from
# ${AIRFLOW_HOME}/logs, then empty folders, every AIRFLOW__LOG_CLEANUP_FREQUENCY_MINUTES (15).
# Usage: clean-logs [--once]
set -euo pipefail

readonly LOG_DIR=${AIRFLOW_HOME:-/opt/airflow}/logs
readonly RETENTION_DAYS=${AIRFLOW__LOG_RETENTION_DAYS:-15}
readonly FREQUENCY_MINUTES=${AIRFLOW__LOG_CLEANUP_FREQUENCY_MINUTES:-15}

[[ $RETENTION_DAYS =~ ^[0-9]+$ ]] \
  || { echo "ERROR: AIRFLOW__LOG_RETENTION_DAYS='$RETENTION_DAYS' is not a number of days" >&2; exit 2; }
[[ $FREQUENCY_MINUTES =~ ^[1-9][0-9]*$ ]] \
  || { echo "ERROR: AIRFLOW__LOG_CLEANUP_FREQUENCY_MINUTES='$FREQUENCY_MINUTES' is not a positive number" >&2; exit 2; }

once=false
case ${1:-} in
  --once) once=true ;;
  "") ;;
  *) echo "usage: clean-logs [--once]" >&2; exit 2 ;;
esac

clean_once() {
  local removed
  removed=$(find "$LOG_DIR" -mindepth 1 -name 'lost+found' -prune -o \
    -type f -name '*.log' -mmin +$((RETENTION_DAYS * 24 * 60)) -print -exec rm -f -- {} + | wc -l)
  # leaf folders only: their parents go in a later pass, once empty
  find "$LOG_DIR" -mindepth 1 -name 'lost+found' -prune -o \
    -type d -empty -exec rmdir --ignore-fail-on-non-empty -- {} +
  echo "$(date -u +%FT%TZ) clean-logs: removed $removed log files older than $RETENTION_DAYS days from $LOG_DIR"
}

while true; do
  # errexit is off inside a function run in an || list: find reports what it cannot remove, and
  # the loop goes on
  clean_once || true
  "$once" && break
  sleep $((FREQUENCY_MINUTES * 60))
done
