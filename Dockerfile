# Apache Airflow production image (target `main`, the default) and CI image (target `ci`). Build args, named build contexts, layout, labels and the
# entrypoint are the contract with breeze: docs/image.md.
#
#   docker buildx build --load -t airflow:local .
#   docker buildx build --load -t airflow-ci:local --target ci .
#
# No `# syntax=` line on purpose: the engine's built-in frontend is used (no registry needed).

ARG PYTHON_VERSION=3.13
ARG DEBIAN_VERSION=trixie
ARG PYTHON_BASE_IMAGE=python:${PYTHON_VERSION}-slim-${DEBIAN_VERSION}
ARG EMBEDDED_DAGS=empty
ARG AIRFLOW_VERSION=3.3.2
ARG AIRFLOW_EXTRAS="amazon,async,celery,cncf-kubernetes,elasticsearch,google,microsoft-azure,mysql,postgres,redis,slack,ssh,statsd"
ARG ADDITIONAL_AIRFLOW_EXTRAS=""
# true: the BuildKit secret ca-bundle is also installed into the image's trust store
ARG AIRFLOW_CA_BUNDLE_IN_IMAGE="false"

##############################################################################################
# Named build contexts: `--build-context NAME=PATH` replaces each of these stages. They are only
# bind-mounted (or, for the DAGs, copied into the last layer).
##############################################################################################
FROM scratch AS embedded-dags
ARG EMBEDDED_DAGS
COPY ${EMBEDDED_DAGS}/ /

FROM scratch AS airflow-sources
COPY empty/ /

FROM scratch AS docker-context-files
COPY docker-context-files/ /

FROM scratch AS constraints
COPY docker-context-files/ /

##############################################################################################
# Build stage: compilers and -dev packages; installs Airflow into /opt/airflow-venv.
##############################################################################################
FROM ${PYTHON_BASE_IMAGE} AS airflow-build
SHELL ["/bin/bash", "-o", "pipefail", "-e", "-u", "-c"]

ARG DEBIAN_VERSION
ARG ADDITIONAL_DEV_APT_DEPS=""
RUN --mount=type=bind,source=scripts/docker/install-apt-deps.sh,target=/tmp/install-apt-deps.sh \
    --mount=type=bind,source=scripts/docker/build-env.sh,target=/tmp/build-env.sh \
    --mount=type=secret,id=ca-bundle \
    --mount=type=cache,id=apt-cache-${DEBIAN_VERSION},target=/var/cache/apt,sharing=locked \
    --mount=type=cache,id=apt-lib-${DEBIAN_VERSION},target=/var/lib/apt,sharing=locked \
    bash /tmp/install-apt-deps.sh dev ${ADDITIONAL_DEV_APT_DEPS}

# Reproducible images: every step of the image sets the modification times it wrote to this
# (breeze passes the constraints' date; empty: left as written). Python's compileall and useradd
# read it too. Declared after the build tools: a new date does not reinstall them.
ARG SOURCE_DATE_EPOCH=""

# pip and uv download into the cache mount /root/.cache, never into a layer
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_INPUT=1 \
    PIP_ROOT_USER_ACTION=ignore \
    PYC_INVALIDATION_MODE=UNCHECKED_HASH \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_HTTP_TIMEOUT=300

ARG AIRFLOW_VERSION
ARG AIRFLOW_EXTRAS
ARG ADDITIONAL_AIRFLOW_EXTRAS
ARG AIRFLOW_INSTALLATION_METHOD="apache-airflow"
ARG INSTALL_DISTRIBUTIONS_FROM_CONTEXT="false"
ARG AIRFLOW_USE_UV="true"
ARG AIRFLOW_UV_VERSION=0.13.9
ARG AIRFLOW_PIP_VERSION=26.3
ARG AIRFLOW_CONSTRAINTS_MODE="constraints"
ARG AIRFLOW_CONSTRAINTS_REFERENCE=""
ARG AIRFLOW_CONSTRAINTS_LOCATION=""
RUN --mount=type=bind,source=scripts/docker/install-airflow.sh,target=/tmp/install-airflow.sh \
    --mount=type=bind,source=scripts/docker/build-env.sh,target=/tmp/build-env.sh \
    --mount=type=secret,id=ca-bundle \
    --mount=type=secret,id=pip-conf \
    --mount=type=secret,id=uv-toml \
    --mount=type=secret,id=netrc \
    --mount=type=bind,from=docker-context-files,target=/docker-context-files \
    --mount=type=bind,from=constraints,target=/constraints \
    --mount=type=bind,from=airflow-sources,target=/airflow-sources,rw \
    --mount=type=bind,source=scripts/docker/clamp-mtimes.sh,target=/tmp/clamp-mtimes.sh \
    --mount=type=cache,id=python-downloads,target=/root/.cache \
    bash /tmp/install-airflow.sh airflow && bash /tmp/clamp-mtimes.sh /opt/airflow-venv
# (dated here, while the files are in this step's layer: dating them in a later step would copy
# every one of them into that step's layer)

# Separate steps: changing these does not reinstall Airflow
ARG STRIP_DEBUG_SYMBOLS="true"
ARG REMOVE_PACKAGE_TESTS="true"
RUN --mount=type=bind,source=scripts/docker/finalize-venv.sh,target=/tmp/finalize-venv.sh \
    --mount=type=bind,source=scripts/docker/clamp-mtimes.sh,target=/tmp/clamp-mtimes.sh \
    bash /tmp/finalize-venv.sh && bash /tmp/clamp-mtimes.sh /opt/airflow-venv
# true: .pyc of every module; imported: of the modules Airflow imports at start (the rest
# compiles on first import in each container); false: none (smallest, slowest start)
ARG AIRFLOW_COMPILE_BYTECODE="true"
RUN --mount=type=bind,source=scripts/docker/compile-bytecode.sh,target=/tmp/compile-bytecode.sh \
    --mount=type=bind,source=scripts/docker/record-imports.py,target=/tmp/record-imports.py \
    --mount=type=bind,source=scripts/docker/clamp-mtimes.sh,target=/tmp/clamp-mtimes.sh \
    bash /tmp/compile-bytecode.sh && bash /tmp/clamp-mtimes.sh /opt/airflow-venv /opt/bytecode

##############################################################################################
# Additional Python packages go on top of the Airflow venv as an overlay of only what they
# change, so adding one rebuilds a small layer instead of the whole venv (docs/image.md).
##############################################################################################
FROM airflow-build AS airflow-additional
ARG SOURCE_DATE_EPOCH=""
ARG INSTALL_DISTRIBUTIONS_FROM_CONTEXT="false"
ARG AIRFLOW_COMPILE_BYTECODE="true"
ARG STRIP_DEBUG_SYMBOLS="true"
ARG REMOVE_PACKAGE_TESTS="true"
ARG ADDITIONAL_PYTHON_DEPS=""
RUN --mount=type=bind,source=scripts/docker/install-airflow.sh,target=/tmp/install-airflow.sh \
    --mount=type=bind,source=scripts/docker/finalize-venv.sh,target=/tmp/finalize-venv.sh \
    --mount=type=bind,source=scripts/docker/build-env.sh,target=/tmp/build-env.sh \
    --mount=type=secret,id=ca-bundle \
    --mount=type=secret,id=pip-conf \
    --mount=type=secret,id=uv-toml \
    --mount=type=secret,id=netrc \
    --mount=type=bind,source=scripts/docker/venv-overlay.sh,target=/tmp/venv-overlay.sh \
    --mount=type=bind,source=scripts/docker/clamp-mtimes.sh,target=/tmp/clamp-mtimes.sh \
    --mount=type=bind,from=docker-context-files,target=/docker-context-files \
    --mount=type=cache,id=python-downloads,target=/root/.cache \
    if [ -z "${ADDITIONAL_PYTHON_DEPS}" ]; then bash /tmp/venv-overlay.sh empty; else \
        bash /tmp/venv-overlay.sh snapshot \
        && bash /tmp/install-airflow.sh additional \
        && VENV_CHANGED_SINCE=/opt/venv-overlay-state/marker bash /tmp/finalize-venv.sh \
        && bash /tmp/clamp-mtimes.sh /opt/airflow-venv \
        && bash /tmp/venv-overlay.sh collect; fi \
    && bash /tmp/clamp-mtimes.sh /opt/venv-overlay

##############################################################################################
# Production stage: runtime libraries, the venv, the airflow user. No compilers. `ci` derives
# from it; the last stage, `default`, repeats it so that a build without --target builds it.
##############################################################################################
FROM ${PYTHON_BASE_IMAGE} AS trust-false

# AIRFLOW_CA_BUNDLE_IN_IMAGE=true: the CA bundle joins the image's trust store, and python,
# requests and pip trust it at run time. Its checksum is a build arg: another bundle re-runs this
# step (a secret alone does not change the cache key).
FROM ${PYTHON_BASE_IMAGE} AS trust-true
ARG AIRFLOW_CA_BUNDLE_CHECKSUM=""
RUN --mount=type=bind,source=scripts/docker/install-ca-bundle.sh,target=/tmp/install-ca-bundle.sh \
    --mount=type=secret,id=ca-bundle,required=true \
    echo "CA bundle checksum (sha256): ${AIRFLOW_CA_BUNDLE_CHECKSUM}" && bash /tmp/install-ca-bundle.sh
ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt \
    REQUESTS_CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt \
    PIP_CERT=/etc/ssl/certs/ca-certificates.crt

# DL3006 (tag the image): trust-* is a stage of this file chosen by the build arg, not an image
# hadolint ignore=DL3006
FROM trust-${AIRFLOW_CA_BUNDLE_IN_IMAGE} AS main
# no -e -u here: images built FROM this one inherit the SHELL
SHELL ["/bin/bash", "-o", "pipefail", "-c"]

ARG DEBIAN_VERSION
ARG ADDITIONAL_RUNTIME_APT_DEPS=""
ARG SOURCE_DATE_EPOCH=""
# From here on the scripts are mounted over /mnt and build files over /media, folders the base
# image has: a mount onto a new path leaves its parent folder, dated the build, in the layer.
RUN --mount=type=bind,source=scripts/docker,target=/mnt \
    --mount=type=secret,id=ca-bundle \
    --mount=type=cache,id=apt-cache-${DEBIAN_VERSION},target=/var/cache/apt,sharing=locked \
    --mount=type=cache,id=apt-lib-${DEBIAN_VERSION},target=/var/lib/apt,sharing=locked \
    bash /mnt/install-apt-deps.sh runtime ${ADDITIONAL_RUNTIME_APT_DEPS} \
    && bash /mnt/clamp-mtimes.sh /etc /usr /var /tmp

ARG AIRFLOW_UID=50000
ARG AIRFLOW_HOME=/opt/airflow
ARG AIRFLOW_USER_HOME_DIR=/home/airflow
# Group 0 owns and may write what Airflow writes, so the image runs under any UID of group 0;
# a writable /etc/passwd lets the entrypoint name such a UID. Under a read-only root LOGNAME (ENV
# below) names it for Python's getpass, also in commands that bypass the entrypoint (exec, probes).
RUN --mount=type=bind,source=scripts/docker,target=/mnt \
    useradd --uid "${AIRFLOW_UID}" --gid 0 --home-dir "${AIRFLOW_USER_HOME_DIR}" --create-home \
        --shell /bin/bash --no-log-init airflow \
    && mkdir -p "${AIRFLOW_HOME}/dags" "${AIRFLOW_HOME}/logs" "${AIRFLOW_HOME}/plugins" \
        /opt/airflow-venv \
    && chown -R "${AIRFLOW_UID}:0" "${AIRFLOW_HOME}" "${AIRFLOW_USER_HOME_DIR}" /opt/airflow-venv \
    && chmod -R g=u "${AIRFLOW_HOME}" "${AIRFLOW_USER_HOME_DIR}" /opt/airflow-venv \
    && chmod g+w /etc/passwd \
    && bash /mnt/clamp-mtimes.sh /etc /opt /home

# into the folder made above: COPY would create it 0755, not group-writable
COPY --from=airflow-build --chown=${AIRFLOW_UID}:0 /opt/airflow-venv /opt/airflow-venv
# Bytecode of the standard library modules Airflow imports at start: the official python images
# ship none, so every new container would compile them (scripts/docker/compile-bytecode.sh)
RUN --mount=type=bind,from=airflow-build,source=/opt/bytecode,target=/media \
    --mount=type=bind,source=scripts/docker,target=/mnt \
    { python3 -m compileall -q -j 0 --invalidation-mode unchecked-hash -i /media/stdlib.txt \
        > /dev/null || true; } \
    && bash /mnt/clamp-mtimes.sh /usr
RUN --mount=type=bind,from=airflow-additional,source=/opt/venv-overlay-meta,target=/media \
    --mount=type=bind,source=scripts/docker,target=/mnt \
    if [ -s /media/removed.txt ]; then \
        xargs --delimiter='\n' rm -rf -- < /media/removed.txt \
        && bash /mnt/clamp-mtimes.sh /opt/airflow-venv; fi
COPY --from=airflow-additional --chown=${AIRFLOW_UID}:0 /opt/venv-overlay/ /opt/airflow-venv/
# installed, not COPY'd: a COPY keeps the checkout's modification times
RUN --mount=type=bind,source=scripts/docker,target=/mnt \
    install -m 755 /mnt/entrypoint.sh /entrypoint \
    && install -m 755 /mnt/clean-logs.sh /clean-logs \
    && bash /mnt/clamp-mtimes.sh /entrypoint /clean-logs

ENV AIRFLOW_HOME=${AIRFLOW_HOME} \
    AIRFLOW_UID=${AIRFLOW_UID} \
    AIRFLOW_USER_HOME_DIR=${AIRFLOW_USER_HOME_DIR} \
    VIRTUAL_ENV=/opt/airflow-venv \
    PATH=/opt/airflow-venv/bin:${AIRFLOW_USER_HOME_DIR}/.local/bin:${PATH} \
    PYTHONUSERBASE=${AIRFLOW_USER_HOME_DIR}/.local \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    LOGNAME=airflow

WORKDIR ${AIRFLOW_HOME}
EXPOSE 8080
USER ${AIRFLOW_UID}
ENTRYPOINT ["/usr/bin/dumb-init", "--", "/entrypoint"]
CMD []

# The DAGs change most often: the last layer, and a small one. Copied by the airflow user (the
# owner) and dated SOURCE_DATE_EPOCH, not the checkout's times, which differ between clones.
RUN --mount=type=bind,from=embedded-dags,target=/media \
    --mount=type=bind,source=scripts/docker,target=/mnt \
    cp -R --preserve=mode /media/. "${AIRFLOW_HOME}/dags/" \
    && bash /mnt/clamp-mtimes.sh --all "${AIRFLOW_HOME}/dags"

# Label values. Declared after the last layer: the creation date and revision change with every
# build, and invalidate nothing here.
ARG PYTHON_VERSION
ARG AIRFLOW_VERSION
ARG AIRFLOW_EXTRAS
ARG ADDITIONAL_AIRFLOW_EXTRAS
ARG AIRFLOW_IMAGE_DATE_CREATED=""
ARG AIRFLOW_IMAGE_REVISION=""
LABEL org.opencontainers.image.title="Apache Airflow" \
      org.opencontainers.image.description="Apache Airflow production image, built by breeze" \
      org.opencontainers.image.source="https://github.com/apache/airflow" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.version="${AIRFLOW_VERSION}" \
      org.opencontainers.image.revision="${AIRFLOW_IMAGE_REVISION}" \
      org.opencontainers.image.created="${AIRFLOW_IMAGE_DATE_CREATED}" \
      org.apache.airflow.version="${AIRFLOW_VERSION}" \
      org.apache.airflow.python-version="${PYTHON_VERSION}" \
      org.apache.airflow.extras="${AIRFLOW_EXTRAS}${ADDITIONAL_AIRFLOW_EXTRAS:+,${ADDITIONAL_AIRFLOW_EXTRAS}}" \
      org.apache.airflow.uid="${AIRFLOW_UID}" \
      org.apache.airflow.gid="0" \
      org.apache.airflow.debian-version="${DEBIAN_VERSION}"

##############################################################################################
# CI / development image: the production image plus tools to develop and test DAGs and plugins
# (pytest and plugins, ipdb, database clients, git, vim-tiny). `breeze ci-image build`.
##############################################################################################
FROM main AS ci
USER 0
ARG DEBIAN_VERSION
RUN --mount=type=bind,source=scripts/docker/install-apt-deps.sh,target=/tmp/install-apt-deps.sh \
    --mount=type=bind,source=scripts/docker/build-env.sh,target=/tmp/build-env.sh \
    --mount=type=secret,id=ca-bundle \
    --mount=type=cache,id=apt-cache-${DEBIAN_VERSION},target=/var/cache/apt,sharing=locked \
    --mount=type=cache,id=apt-lib-${DEBIAN_VERSION},target=/var/lib/apt,sharing=locked \
    bash /tmp/install-apt-deps.sh ci \
    && mkdir -p "${AIRFLOW_HOME}/db" \
    && chown "${AIRFLOW_UID}:0" "${AIRFLOW_HOME}/db" && chmod 2775 "${AIRFLOW_HOME}/db"

# As the airflow user, into the venv, under the constraints Airflow was installed with; the
# secrets are mounted for that user
USER ${AIRFLOW_UID}
RUN --mount=type=bind,source=scripts/docker/ci-requirements.txt,target=/tmp/ci-requirements.txt \
    --mount=type=bind,source=scripts/docker/build-env.sh,target=/tmp/build-env.sh \
    --mount=type=secret,id=ca-bundle,uid=${AIRFLOW_UID} \
    --mount=type=secret,id=pip-conf,uid=${AIRFLOW_UID} \
    --mount=type=secret,id=uv-toml,uid=${AIRFLOW_UID} \
    --mount=type=secret,id=netrc,uid=${AIRFLOW_UID} \
    . /tmp/build-env.sh \
    && pip install --quiet --constraint /opt/airflow-venv/airflow-constraints.txt \
        --requirement /tmp/ci-requirements.txt \
    && python -m pip check

LABEL org.opencontainers.image.description="Apache Airflow CI image (developer tools), built by breeze" \
      org.apache.airflow.image="ci"

##############################################################################################
# The default target (a build without --target): the production image, unchanged.
##############################################################################################
FROM main AS default
