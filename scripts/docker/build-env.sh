# shellcheck shell=bash
# Sourced by every build step that reaches the network. Points apt, pip, uv and curl at the
# build's BuildKit secrets, mounted at /run/secrets/<id> only when the build passes them
# (`--secret id=ID,src=FILE`; docs/image.md, "Secrets"). The files live only for the step: they
# are in no layer, and do not change the cache key. Nothing here prints a secret's content.

_breeze_secret() { [[ -s /run/secrets/$1 && -r /run/secrets/$1 ]]; }

# apt reads its CA file from its own option, not from the environment
APT_TLS_OPTIONS=()
_breeze_secrets_used=()
if _breeze_secret ca-bundle; then
  export SSL_CERT_FILE=/run/secrets/ca-bundle PIP_CERT=/run/secrets/ca-bundle \
    REQUESTS_CA_BUNDLE=/run/secrets/ca-bundle CURL_CA_BUNDLE=/run/secrets/ca-bundle
  APT_TLS_OPTIONS=(-o Acquire::https::CaInfo=/run/secrets/ca-bundle)
  _breeze_secrets_used+=(ca-bundle)
fi
if _breeze_secret pip-conf; then
  export PIP_CONFIG_FILE=/run/secrets/pip-conf
  _breeze_secrets_used+=(pip-conf)
fi
if _breeze_secret uv-toml; then
  export UV_CONFIG_FILE=/run/secrets/uv-toml
  _breeze_secrets_used+=(uv-toml)
fi
if _breeze_secret netrc; then
  export NETRC=/run/secrets/netrc
  _breeze_secrets_used+=(netrc)
fi
if (( ${#_breeze_secrets_used[@]} )); then
  echo "Build secrets in use: ${_breeze_secrets_used[*]}"
fi
unset _breeze_secrets_used
unset -f _breeze_secret
