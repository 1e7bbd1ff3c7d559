#!/usr/bin/env bash
# Sets the modification time of what this build step wrote under the given paths, when newer than
# SOURCE_DATE_EPOCH, to SOURCE_DATE_EPOCH, so a build step's layer does not depend on when it ran
# (docs/image.md, "Reproducible images"). Does nothing when SOURCE_DATE_EPOCH is empty.
# Usage: clamp-mtimes.sh [--all] PATH...   (--all: older entries too, e.g. files of a checkout)
set -euo pipefail

epoch=${SOURCE_DATE_EPOCH:-}
[[ -n $epoch ]] || exit 0
[[ $epoch =~ ^[0-9]+$ ]] || { echo "ERROR: SOURCE_DATE_EPOCH=$epoch is not a number" >&2; exit 2; }

# When this build step started: its first process is PID 1 of the step's container. Entries
# older than that were not written by the step (files of the base image, of earlier steps, or
# unpacked with their packages' own times) and are left alone: touching one would copy it into
# this step's layer (a base image built after SOURCE_DATE_EPOCH would be copied whole).
step_start() {
  local boot ticks
  boot=$(awk '$1 == "btime" { print $2 }' /proc/stat)
  ticks=$(sed 's/^.*) //' /proc/1/stat | awk '{ print $20 }')
  echo $(( boot + ticks / $(getconf CLK_TCK) - 1 ))
}

newer=()
if [[ ${1:-} == --all ]]; then
  shift
else
  start=$(step_start 2>/dev/null) || start=0
  newer=(-newermt "@$(( start > epoch ? start : epoch ))")
fi
# The step's mounts (cache and bind mounts, /etc/hosts, /proc) are not part of its layer; some
# are read-only
prune=()
while read -r mount_point; do
  [[ $mount_point == / ]] || prune+=(-path "$mount_point" -prune -o)
done < <(awk '{ print $5 }' /proc/self/mountinfo)
find "$@" "${prune[@]}" "${newer[@]}" -print0 \
  | xargs -0 -r touch --no-dereference --date="@$epoch"
