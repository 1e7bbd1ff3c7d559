#!/usr/bin/env bash
# Installs the build's CA bundle (the BuildKit secret `ca-bundle`) into the image's trust store
# (AIRFLOW_CA_BUNDLE_IN_IMAGE=true): each certificate the system bundle lacks becomes a file in
# /usr/local/share/ca-certificates/breeze/, then update-ca-certificates adds them to
# /etc/ssl/certs/ca-certificates.crt.
set -euo pipefail

readonly BUNDLE=/run/secrets/ca-bundle
readonly SYSTEM_BUNDLE=/etc/ssl/certs/ca-certificates.crt
readonly TARGET=/usr/local/share/ca-certificates/breeze

die() { echo "ERROR: $*" >&2; exit 1; }

[[ -s $BUNDLE ]] || die "AIRFLOW_CA_BUNDLE_IN_IMAGE=true needs the CA bundle as the BuildKit" \
  "secret ca-bundle (--secret id=ca-bundle,src=FILE; breeze: --ca-bundle)"
command -v update-ca-certificates >/dev/null \
  || die "the base image has no update-ca-certificates (Debian package ca-certificates)"

mkdir -p "$TARGET"
python3 - "$BUNDLE" "$SYSTEM_BUNDLE" "$TARGET" <<'PY'
import pathlib
import re
import sys

bundle, system, target = (pathlib.Path(arg) for arg in sys.argv[1:])
pem = re.compile(r"-----BEGIN CERTIFICATE-----\s+(.+?)\s+-----END CERTIFICATE-----", re.S)


def bodies(text):
    return ["".join(match.split()) for match in pem.findall(text)]


known = set(bodies(system.read_text(errors="replace"))) if system.is_file() else set()
added = 0
for body in dict.fromkeys(bodies(bundle.read_text(errors="replace"))):
    if body in known:
        continue
    added += 1
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    text = "-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) + "\n-----END CERTIFICATE-----\n"
    (target / f"breeze-{added:03d}.crt").write_text(text)
print(f"CA bundle: {added} certificate(s) the base image does not trust yet")
PY
update-ca-certificates
