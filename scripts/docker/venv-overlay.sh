#!/usr/bin/env bash
# Splits what a later install changes in the Airflow virtualenv off into an overlay (build only).
#   venv-overlay.sh snapshot  records the venv's entries and a time marker before the install
#   venv-overlay.sh collect   copies new and rewritten entries to the overlay, lists removed ones
#   venv-overlay.sh empty     an empty overlay, when nothing is added (scans nothing)
# The final image copies the venv of the Airflow install and then only this overlay, so adding a
# package rebuilds a small layer instead of copying the whole venv again (docs/image.md).
set -euo pipefail

readonly VENV=/opt/airflow-venv
readonly STATE=/opt/venv-overlay-state
readonly OVERLAY=/opt/venv-overlay
readonly REMOVED=/opt/venv-overlay-meta/removed.txt

entries() { (cd "$VENV" && find . -mindepth 1 | sort); }

snapshot() {
  rm -rf "$STATE" "$OVERLAY" "${REMOVED%/*}"
  mkdir -p "$STATE" "$OVERLAY" "${REMOVED%/*}"
  entries > "$STATE/before"
  touch "$STATE/marker"
}

# Every ancestor directory of the given entries, so the overlay keeps their modes.
with_parents() {
  awk '{ path = $0; while (path != ".") { print path; sub(/\/[^\/]*$/, "", path) } }' | sort -u
}

collect() {
  entries > "$STATE/after"
  comm -23 "$STATE/before" "$STATE/after" | sed "s|^\.|$VENV|" > "$REMOVED"
  # ctime is set by every write and cannot be carried over by a copy, unlike mtime
  (cd "$VENV" && find . -mindepth 1 -cnewer "$STATE/marker" ! -type d) > "$STATE/changed"
  comm -13 "$STATE/before" "$STATE/after" >> "$STATE/changed"
  sort -u -o "$STATE/changed" "$STATE/changed"
  with_parents < "$STATE/changed" > "$STATE/overlay"
  tar -C "$VENV" --no-recursion -cf - -T "$STATE/overlay" | tar -C "$OVERLAY" -xpf -
  echo "venv overlay: $(grep -c . "$STATE/changed" || true) new or changed," \
    "$(grep -c . "$REMOVED" || true) removed entries, $(du -sh "$OVERLAY" | cut -f1)"
  rm -rf "$STATE"
}

empty() {
  rm -rf "$STATE" "$OVERLAY" "${REMOVED%/*}"
  mkdir -p "$OVERLAY" "${REMOVED%/*}"
  : > "$REMOVED"
}

case ${1:-} in
  empty) empty ;;
  snapshot) snapshot ;;
  collect) collect ;;
  *) echo "usage: venv-overlay.sh snapshot|collect|empty" >&2; exit 1 ;;
esac
