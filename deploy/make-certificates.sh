#!/usr/bin/env bash
# Makes the two certificates compose.yaml expects, self-signed, for trying the production setup on one machine.
# A bank uses its own: the TLS certificate of its portal host name, and a certificate (PKCS#12) that encrypts the
# Data Protection keys at rest. Output: deploy/secrets/ (ignored by git), or the folder in KITASHIN_SECRETS_DIR.
# The PKCS#12 password has no default: export DATAPROTECTION_CERTIFICATE_PASSWORD first (compose needs it too).
# Private keys and the PKCS#12 file are created 0600 (umask 077, so never readable by others, not even for a moment).
# Run as root (sudo -E), the files are given to the containers' users: dataprotection.pfx to the .NET image's "app"
# user (uid 1654), tls.key stays root's (nginx reads it before it drops privileges).
set -euo pipefail
: "${DATAPROTECTION_CERTIFICATE_PASSWORD:?export DATAPROTECTION_CERTIFICATE_PASSWORD (the PKCS#12 password) first}"
dir="${KITASHIN_SECRETS_DIR:-$(cd "$(dirname "$0")" && pwd)/secrets}"
umask 077
mkdir -p "$dir"
host="${1:-localhost}"
openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=$host" -addext "subjectAltName=DNS:$host" \
  -keyout "$dir/tls.key" -out "$dir/tls.crt" 2>/dev/null
openssl req -x509 -newkey rsa:3072 -nodes -days 3650 -subj "/CN=Kitashin Portal key encryption" \
  -keyout "$dir/dataprotection.key" -out "$dir/dataprotection.crt" 2>/dev/null
openssl pkcs12 -export -inkey "$dir/dataprotection.key" -in "$dir/dataprotection.crt" \
  -out "$dir/dataprotection.pfx" -passout env:DATAPROTECTION_CERTIFICATE_PASSWORD
rm "$dir/dataprotection.key" "$dir/dataprotection.crt"
chmod 600 "$dir/tls.key" "$dir/dataprotection.pfx"
chmod 644 "$dir/tls.crt"   # a certificate is public
if [ "$(id -u)" -eq 0 ]; then chown 1654:1654 "$dir/dataprotection.pfx"; fi
echo "Wrote $dir/tls.crt, tls.key (0600) and dataprotection.pfx (0600, password: DATAPROTECTION_CERTIFICATE_PASSWORD)."
[ "$(id -u)" -eq 0 ] || echo "Not root: give dataprotection.pfx to uid 1654 (sudo chown 1654 $dir/dataprotection.pfx) so the portal can read it."
