#!/usr/bin/env bash
# Installs Airflow into the virtualenv of the image (build stage only).
#   install-airflow.sh airflow     uv (or pip), the venv with pip, Airflow with constraints
#   install-airflow.sh additional  ADDITIONAL_PYTHON_DEPS, with the installed Airflow pinned
# Reads the build args of docs/image.md from the environment. Mounts: /docker-context-files,
# /constraints and /airflow-sources (the named build contexts).
set -euo pipefail

readonly VENV=/opt/airflow-venv
readonly UV_VENV=/opt/uv
readonly CONTEXT_FILES=/docker-context-files
readonly CONSTRAINTS_DIR=/constraints
readonly CONSTRAINTS_FILE=/tmp/constraints.txt
readonly FROM_CONTEXT=${INSTALL_DISTRIBUTIONS_FROM_CONTEXT:-false}

# the image runs with group 0 and arbitrary UIDs: files are group-writable like the owner's
umask 0002

die() { echo "ERROR: $*" >&2; exit 1; }

# the build's CA bundle and index credentials (BuildKit secrets), when breeze passes them
# shellcheck source=scripts/docker/build-env.sh
if [[ -f /tmp/build-env.sh ]]; then source /tmp/build-env.sh; fi

loud_warning() {
  local line="##############################################################################"
  printf '%s\n' "$line" "WARNING: $1" "${@:2}" "$line" >&2
}

INDEX_ARGS=()
if [[ $FROM_CONTEXT == true ]]; then
  INDEX_ARGS=(--no-index --find-links "$CONTEXT_FILES")
fi

# uv goes into a throwaway venv of the build stage. Air-gapped (from context), its wheel must be
# in docker-context-files; without it pip, which every venv has, installs instead.
setup_uv() {
  [[ ${AIRFLOW_USE_UV:-true} == true ]] || return 0
  [[ -x $UV_VENV/bin/uv ]] && return 0
  python3 -m venv "$UV_VENV"
  if ! "$UV_VENV/bin/pip" install --progress-bar off "${INDEX_ARGS[@]}" "uv==${AIRFLOW_UV_VERSION}"; then
    [[ $FROM_CONTEXT == true ]] || die "cannot install uv==${AIRFLOW_UV_VERSION}"
    loud_warning "no uv==${AIRFLOW_UV_VERSION} wheel in docker-context-files:" \
      "installing with pip instead of uv."
    rm -rf "$UV_VENV"
  fi
}

# Installs requirements into the Airflow venv with uv when available, else with pip.
#   $1  true: compile the installed modules to bytecode while installing
install_into_venv() {
  local bytecode=() no_bytecode=(--no-compile)
  [[ $1 == true ]] && bytecode=(--compile-bytecode) no_bytecode=()
  shift
  if [[ -x $UV_VENV/bin/uv ]]; then
    "$UV_VENV/bin/uv" pip install --python "$VENV/bin/python" "${bytecode[@]}" "${INDEX_ARGS[@]}" "$@"
  else
    "$VENV/bin/pip" install --progress-bar off "${no_bytecode[@]}" "${INDEX_ARGS[@]}" "$@"
  fi
}

python_major_minor() {
  python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])'
}

# Writes $CONSTRAINTS_FILE, or leaves none (no constraints).
resolve_constraints() {
  local location=${AIRFLOW_CONSTRAINTS_LOCATION:-}
  local mode=${AIRFLOW_CONSTRAINTS_MODE:-constraints}
  rm -f "$CONSTRAINTS_FILE"
  if [[ -n $location ]]; then
    if [[ $location == *://* ]]; then
      curl -fsSL --max-time 60 --retry 2 -o "$CONSTRAINTS_FILE" "$location" \
        || die "cannot download AIRFLOW_CONSTRAINTS_LOCATION=$location"
    elif [[ -f $CONSTRAINTS_DIR/${location#/} ]]; then
      cp "$CONSTRAINTS_DIR/${location#/}" "$CONSTRAINTS_FILE"
    elif [[ -f $CONSTRAINTS_DIR/$(basename "$location") ]]; then
      cp "$CONSTRAINTS_DIR/$(basename "$location")" "$CONSTRAINTS_FILE"
    else
      die "AIRFLOW_CONSTRAINTS_LOCATION=$location is neither a URL nor a file in the" \
        "'constraints' build context (default: docker-context-files/)"
    fi
    echo "Constraints: $location"
    return 0
  fi
  case $mode in
    none) echo "Constraints: none (AIRFLOW_CONSTRAINTS_MODE=none)"; return 0 ;;
    constraints|constraints-no-providers|constraints-source-providers) ;;
    *) die "AIRFLOW_CONSTRAINTS_MODE=$mode: expected constraints, constraints-no-providers," \
         "constraints-source-providers or none" ;;
  esac
  if [[ $FROM_CONTEXT == true ]]; then
    echo "Constraints: none (installing from docker-context-files, whose distributions pin" \
      "the versions; set AIRFLOW_CONSTRAINTS_LOCATION to add a file)"
    return 0
  fi
  local ref=${AIRFLOW_CONSTRAINTS_REFERENCE:-constraints-${AIRFLOW_VERSION}}
  local python url
  python=$(python_major_minor)
  url="https://raw.githubusercontent.com/apache/airflow/${ref}/${mode}-${python}.txt"
  if curl -fsSL --max-time 20 -o "$CONSTRAINTS_FILE" "$url"; then
    echo "Constraints: $url"
  else
    rm -f "$CONSTRAINTS_FILE"
    loud_warning "cannot download the Airflow constraints" "  $url" \
      "Installing WITHOUT constraints: dependencies get whatever versions resolve today." \
      "For a reproducible image pass AIRFLOW_CONSTRAINTS_LOCATION (a URL, or a file in the" \
      "'constraints' build context)."
  fi
}

# apache-airflow[extras] from PyPI, a pip URL, or the sources in the airflow-sources context
airflow_requirement() {
  local extras
  extras=$(echo "${AIRFLOW_EXTRAS:-},${ADDITIONAL_AIRFLOW_EXTRAS:-}" \
    | tr -d ' ' | tr ',' '\n' | awk 'NF && !seen[$0]++' | paste -sd, -)
  local name="apache-airflow${extras:+[$extras]}"
  local method=${AIRFLOW_INSTALLATION_METHOD:-apache-airflow}
  case $method in
    apache-airflow) echo "${name}==${AIRFLOW_VERSION}" ;;
    .) [[ -n $(ls -A /airflow-sources) ]] \
         || die "AIRFLOW_INSTALLATION_METHOD=. needs the sources as --build-context airflow-sources=PATH"
       echo "${name} @ file:///airflow-sources" ;;
    *) echo "${name} @ ${method}" ;;
  esac
}

pip_requirement() {
  # air-gapped: upgrade pip only when its wheel is in the context, else keep the venv's own pip
  if [[ $FROM_CONTEXT == true ]] && ! compgen -G "$CONTEXT_FILES/pip-${AIRFLOW_PIP_VERSION}-*.whl" >/dev/null; then
    return 0
  fi
  echo "pip==${AIRFLOW_PIP_VERSION}"
}

install_airflow() {
  # with system site packages `pip install --user` works in the venv (image extenders use it);
  # `python -m venv` installs pip in it (ensurepip), which uv's venvs would lack. Made while uv
  # installs: neither needs the other.
  python3 -m venv --system-site-packages "$VENV" &
  local making_venv=$!
  setup_uv
  wait "$making_venv"
  resolve_constraints
  local requirements=()
  requirements+=("$(airflow_requirement)")
  local pip_req
  pip_req=$(pip_requirement)
  [[ -n $pip_req ]] && requirements+=("$pip_req")
  local constraint_args=()
  [[ -f $CONSTRAINTS_FILE ]] && constraint_args=(--constraint "$CONSTRAINTS_FILE")
  echo "Installing: ${requirements[*]}"
  # No bytecode yet: compile-bytecode.sh compiles after the trim, not the test folders it removes.
  # uv's cache for this step only, in /tmp on the venv's file system: uv hard-links the files
  # instead of copying 2 GB out of the cache mount (ADR 0022).
  UV_NO_CACHE=1 UV_LINK_MODE=hardlink \
    install_into_venv false "${constraint_args[@]}" "${requirements[@]}"
  # the image keeps the pins it was built with, so `prod-image verify` can compare
  if [[ -f $CONSTRAINTS_FILE ]]; then
    cp "$CONSTRAINTS_FILE" "$VENV/airflow-constraints.txt"
  else
    echo "# installed without constraints" > "$VENV/airflow-constraints.txt"
  fi
}

# The venv's packages as name==version lines, for use as constraints.
installed_versions() {
  if [[ -x $UV_VENV/bin/uv ]]; then
    "$UV_VENV/bin/uv" pip freeze --python "$VENV/bin/python"
  else
    "$VENV/bin/pip" freeze
  fi | grep -E '^[A-Za-z0-9._-]+==[^ ;]+$' || true
}

install_additional() {
  [[ -n ${ADDITIONAL_PYTHON_DEPS:-} ]] || return 0
  local version compile=false kept=/tmp/installed-versions.txt
  version=$("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("apache-airflow"))')
  [[ ${AIRFLOW_COMPILE_BYTECODE:-true} == true ]] && compile=true
  # shellcheck disable=SC2206 # space-separated list of requirement specifiers
  local deps=(${ADDITIONAL_PYTHON_DEPS})
  # First with every installed version kept: only the new packages are resolved, not Airflow's
  # whole tree again (whose metadata a cold cache would fetch from the index first).
  installed_versions > "$kept"
  echo "Installing additional: ${deps[*]} (installed versions kept)"
  if ! install_into_venv "$compile" --constraint "$kept" "${deps[@]}"; then
    echo "Installing additional: ${deps[*]} needs other versions of installed packages;" \
      "installing with apache-airflow==${version} pinned instead"
    install_into_venv "$compile" "apache-airflow==${version}" "${deps[@]}"
  fi
  rm -f "$kept"
}

case ${1:-} in
  airflow) install_airflow ;;
  additional) install_additional ;;
  *) die "usage: install-airflow.sh airflow|additional" ;;
esac
