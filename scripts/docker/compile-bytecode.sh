#!/usr/bin/env bash
# Bytecode of the Airflow virtualenv (build stage, after finalize-venv.sh), by
# AIRFLOW_COMPILE_BYTECODE:
#   true      every module of the venv (the install compiles none: the test folders the trim
#             removes are never compiled)
#   imported  only the files Airflow's processes import at start (record-imports.py); the rest
#             compiles on first import in each container (the venv is group-writable)
#   false     nothing
# .pyc are hash-based (unchecked-hash): valid whatever the files' times (reproducible).
# Writes /opt/bytecode/stdlib.txt: the standard library files to compile in the final stage.
set -euo pipefail

readonly VENV=/opt/airflow-venv
readonly OUT=/opt/bytecode
mode=${AIRFLOW_COMPILE_BYTECODE:-true}
rm -rf "$OUT"
mkdir -p "$OUT"
: > "$OUT/stdlib.txt"
[[ $mode == false ]] && exit 0

# The venv's permissions are final (finalize-venv.sh: group 0 may do what the owner may): a .pyc
# takes its source's mode, and with this umask a new __pycache__ is group-writable too, so that
# containers under any UID of group 0 can add the bytecode of what was not compiled here.
umask 002

compile() {  # compileall's arguments; a file that does not compile (e.g. a template) is skipped
  "$VENV/bin/python" -m compileall -q -j 0 --invalidation-mode unchecked-hash "$@" > /dev/null \
    || true
}

record() {  # the files Airflow imports at start: venv.txt and stdlib.txt
  PYTHONDONTWRITEBYTECODE=1 "$VENV/bin/python" "${0%/*}/record-imports.py" > "$OUT/imported.txt" \
    || echo "WARNING: could not record the modules Airflow imports; no bytecode for them" >&2
  grep "^$VENV/" "$OUT/imported.txt" > "$OUT/venv.txt" || true
  grep -v "^$VENV/" "$OUT/imported.txt" > "$OUT/stdlib.txt" || true
}

SECONDS=0
if [[ $mode == imported ]]; then
  record
  compile -i "$OUT/venv.txt"
  echo "bytecode: the $(grep -c . "$OUT/venv.txt" || true) venv files Airflow imports at start," \
    "in ${SECONDS} s"
else
  compile "$VENV/lib"
  record  # after compiling: the recording imports from bytecode, faster
  echo "bytecode: every module of the venv, in ${SECONDS} s"
fi
rm -rf /tmp/record-imports-airflow
