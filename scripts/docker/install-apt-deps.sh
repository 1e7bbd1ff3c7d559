#!/usr/bin/env bash
# Installs the apt packages of the build stage (dev), of the final image (runtime) or of the CI
# image's developer tools (ci), plus the extra packages given as arguments, on Debian bookworm or
# trixie.
# Usage: install-apt-deps.sh dev|runtime|ci [PACKAGE...]
set -euo pipefail

# mysql extra: default-libmysqlclient-dev + pkg-config to build, libmariadb3 to run.
# git is there for AIRFLOW_INSTALLATION_METHOD=git+https://...
readonly DEV_PACKAGES=(build-essential pkg-config curl git default-libmysqlclient-dev
  libffi-dev libpq-dev libssl-dev)
readonly RUNTIME_PACKAGES=(ca-certificates curl dumb-init libffi8 libmariadb3 libpq5 libssl3
  tzdata)
# CI image: database clients for `airflow db shell` and debugging, git, an editor, ps
readonly CI_PACKAGES=(git less mariadb-client postgresql-client procps sqlite3 vim-tiny)

mode=${1:?usage: install-apt-deps.sh dev|runtime|ci [PACKAGE...]}
shift
case $mode in
  dev) packages=("${DEV_PACKAGES[@]}") ;;
  runtime) packages=("${RUNTIME_PACKAGES[@]}") ;;
  ci) packages=("${CI_PACKAGES[@]}") ;;
  *) echo "ERROR: unknown mode '$mode' (dev, runtime or ci)" >&2; exit 2 ;;
esac

export DEBIAN_FRONTEND=noninteractive
APT_TLS_OPTIONS=()
# the build's CA bundle for https mirrors, when breeze passes one (--ca-bundle)
# shellcheck source=scripts/docker/build-env.sh
if [[ -f ${0%/*}/build-env.sh ]]; then source "${0%/*}/build-env.sh"; fi

# The official images' docker-clean hook deletes downloaded .debs, which would empty the apt cache
# mounts. Keep it aside during this run only, so `apt-get` in images built FROM this one behaves
# as in the base image.
readonly clean_hook=/etc/apt/apt.conf.d/docker-clean
if [[ -f $clean_hook ]]; then
  mv "$clean_hook" /etc/apt/docker-clean.aside
  trap 'mv /etc/apt/docker-clean.aside "$clean_hook"' EXIT
fi

apt-get "${APT_TLS_OPTIONS[@]}" update -qq

# trixie renamed many libraries for the 64-bit time_t transition (libssl3 -> libssl3t64,
# libasound2 -> libasound2t64): accept the name of either release.
has_candidate() {
  [[ $(apt-cache policy "$1" 2>/dev/null) =~ Candidate:\ [^\(] ]]
}

resolve() {
  local name=$1
  if [[ ! $name =~ ^[a-z0-9][a-z0-9.+-]*$ ]] || has_candidate "$name"; then
    echo "$name"
  elif has_candidate "${name}t64"; then
    echo "${name}t64"
  elif [[ $name == *t64 ]] && has_candidate "${name%t64}"; then
    echo "${name%t64}"
  else
    echo "$name"  # let apt-get report it
  fi
}

resolved=()
for name in "${packages[@]}" "$@"; do
  resolved+=("$(resolve "$name")")
done

# Python headers: the official images have them in /usr/local; Debian's python3 needs python3-dev
if [[ $mode == dev ]]; then
  include=$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["include"])')
  [[ -f $include/Python.h ]] || resolved+=(python3-dev)
fi

echo "Installing ($mode): ${resolved[*]}"
apt-get "${APT_TLS_OPTIONS[@]}" install -y -qq --no-install-recommends "${resolved[@]}"
# Logs and the linker's cache record when and on which file system they were written. Emptied,
# not deleted: deleting a file of the base image leaves a marker dated now in the layer.
find /var/log/apt /var/log/dpkg.log /var/log/alternatives.log /var/cache/ldconfig/aux-cache \
  -type f -exec truncate --size 0 {} + 2>/dev/null || true
