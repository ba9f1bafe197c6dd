#!/usr/bin/env bash
# Makes the two certificates compose.yaml expects, self-signed, for trying the production setup on one machine.
# A bank uses its own: the TLS certificate of its portal host name, and a certificate (PKCS#12) that encrypts the
# Data Protection keys at rest. Output: deploy/secrets/ (ignored by git).
set -euo pipefail
dir="$(cd "$(dirname "$0")" && pwd)/secrets"
mkdir -p "$dir"
host="${1:-localhost}"
openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=$host" -addext "subjectAltName=DNS:$host" \
  -keyout "$dir/tls.key" -out "$dir/tls.crt" 2>/dev/null
openssl req -x509 -newkey rsa:3072 -nodes -days 3650 -subj "/CN=Kitashin Portal key encryption" \
  -keyout "$dir/dataprotection.key" -out "$dir/dataprotection.crt" 2>/dev/null
password="${DATAPROTECTION_CERTIFICATE_PASSWORD:-change-me}"
openssl pkcs12 -export -inkey "$dir/dataprotection.key" -in "$dir/dataprotection.crt" \
  -out "$dir/dataprotection.pfx" -passout "pass:$password"
rm "$dir/dataprotection.key" "$dir/dataprotection.crt"
chmod 644 "$dir"/*   # read by the containers' unprivileged users
echo "Wrote $dir/tls.crt, tls.key and dataprotection.pfx (password: the DATAPROTECTION_CERTIFICATE_PASSWORD you set, else change-me)."
