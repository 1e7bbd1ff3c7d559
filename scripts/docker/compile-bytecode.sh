#!/usr/bin/env bash
# Bytecode of the Airflow virtualenv (build stage), by AIRFLOW_COMPILE_BYTECODE:
#   true      uv compiled every module while installing; this only records the standard
#             library files Airflow imports at start, for the final stage to compile
#   imported  compiles only the files Airflow's processes import at start (record-imports.py);
#             the rest compiles on first import in each container (the venv is group-writable)
#   false     nothing
# .pyc are hash-based (PYC_INVALIDATION_MODE): valid whatever the files' times (reproducible).
# Writes /opt/bytecode/stdlib.txt: the standard library files to compile in the final stage.
set -euo pipefail

readonly VENV=/opt/airflow-venv
readonly OUT=/opt/bytecode
mode=${AIRFLOW_COMPILE_BYTECODE:-true}
rm -rf "$OUT"
mkdir -p "$OUT"
: > "$OUT/stdlib.txt"
[[ $mode == false ]] && exit 0

PYTHONDONTWRITEBYTECODE=1 "$VENV/bin/python" "${0%/*}/record-imports.py" > "$OUT/imported.txt" \
  || echo "WARNING: could not record the modules Airflow imports; no bytecode beyond uv's" >&2
grep -v "^$VENV/" "$OUT/imported.txt" > "$OUT/stdlib.txt" || true
if [[ $mode == imported ]]; then
  grep "^$VENV/" "$OUT/imported.txt" > "$OUT/venv.txt" || true
  "$VENV/bin/python" -m compileall -q -j 0 --invalidation-mode unchecked-hash -i "$OUT/venv.txt" \
    > /dev/null || true
  echo "bytecode: $(grep -c . "$OUT/venv.txt" || true) venv files Airflow imports at start"
fi
rm -rf /tmp/record-imports-airflow
