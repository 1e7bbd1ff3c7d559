#!/usr/bin/env bash
# Sets the modification time of everything newer than SOURCE_DATE_EPOCH under the given paths to
# SOURCE_DATE_EPOCH, so a build step's layer does not depend on when it ran (docs/image.md,
# "Reproducible images"). Does nothing when SOURCE_DATE_EPOCH is empty.
# Usage: clamp-mtimes.sh [--all] PATH...   (--all: older entries too, e.g. files of a checkout)
set -euo pipefail

newer=(-newermt "@${SOURCE_DATE_EPOCH:-0}")
if [[ ${1:-} == --all ]]; then
  newer=()
  shift
fi

epoch=${SOURCE_DATE_EPOCH:-}
[[ -n $epoch ]] || exit 0
[[ $epoch =~ ^[0-9]+$ ]] || { echo "ERROR: SOURCE_DATE_EPOCH=$epoch is not a number" >&2; exit 2; }
# The step's mounts (cache and bind mounts, /etc/hosts, /proc) are not part of its layer; some
# are read-only
prune=()
while read -r mount_point; do
  [[ $mount_point == / ]] || prune+=(-path "$mount_point" -prune -o)
done < <(awk '{ print $5 }' /proc/self/mountinfo)
find "$@" "${prune[@]}" "${newer[@]}" -print0 \
  | xargs -0 -r touch --no-dereference --date="@$epoch"
