#!/usr/bin/env bash
# Trims the Airflow virtualenv and makes it usable under any UID of group 0 (build stage only).
#   STRIP_DEBUG_SYMBOLS=true   strip debug symbols from the extension modules (.so)
#   REMOVE_PACKAGE_TESTS=true  remove the test folders that packages ship
#   VENV_CHANGED_SINCE=FILE    strip only what was written after FILE (a later install)
set -euo pipefail

readonly VENV=/opt/airflow-venv

# Sizes of the files touched only (a du of the whole venv takes seconds)
mib() { awk '{ sum += $1 } END { printf "%d", sum / 1048576 }'; }

# ELF files only: some packages ship non-ELF files whose names end in .so
strip_debug_symbols() {
  local since=() files
  [[ -n ${VENV_CHANGED_SINCE:-} ]] && since=(-cnewer "$VENV_CHANGED_SINCE")
  files=$(mktemp)
  find "$VENV" -type f \( -name '*.so' -o -name '*.so.*' \) "${since[@]}" -print0 \
    | while IFS= read -r -d '' file; do
        [[ $(head -c4 "$file" | od -An -c | tr -d ' ') == '177ELF' ]] && printf '%s\0' "$file"
      done > "$files"
  local before after
  before=$(xargs -0 -r stat -c %s < "$files" | mib)
  xargs -0 -r -P "$(nproc)" -n 8 strip --strip-debug < "$files"
  after=$(xargs -0 -r stat -c %s < "$files" | mib)
  echo "strip debug symbols: $(( before - after )) MiB saved (extension modules: $after MiB)"
  rm -f "$files"
}

# `tests`/`test` folders inside packages: imported only by the packages' own test suites.
# Top-level ones in site-packages are kept: those are whole (badly named) distributions.
remove_package_tests() {
  local folders
  folders=$(mktemp)
  find "$VENV"/lib/python3*/site-packages -mindepth 2 -type d \( -name tests -o -name test \) \
    -not -path '*.dist-info/*' -prune -print0 > "$folders"
  local saved count
  saved=$(xargs -0 -r du -sb < "$folders" | cut -f1 | mib)
  count=$(tr -cd '\0' < "$folders" | wc -c)
  echo "remove package tests: $saved MiB saved ($count folders)"
  xargs -0 -r rm -rf < "$folders"
  rm -f "$folders"
}

[[ ${STRIP_DEBUG_SYMBOLS:-true} == true ]] && strip_debug_symbols
[[ ${REMOVE_PACKAGE_TESTS:-true} == true ]] && remove_package_tests

# COPY --chown sets the owner; the group (0) gets the owner's permissions, others never write
# (uv leaves a world-writable .lock). Only touch what differs: the layer copies what it touches.
rm -f "$VENV/.lock"
find "$VENV" ! -type l \( -perm -u=r ! -perm -g=r -o -perm -u=w ! -perm -g=w \
  -o -perm -u=x ! -perm -g=x -o -perm -o=w \) -exec chmod g=u,o-w {} +

