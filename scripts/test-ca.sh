#!/usr/bin/env bash
# Makes a throw-away certificate authority and a server certificate it signed, for tests that
# need real TLS (an https target service, a rediss:// Redis) trusted through `ca_file`:
#   scripts/test-ca.sh DIR   writes DIR/ca.pem, DIR/ca.key, DIR/server.pem, DIR/server.key
# The server certificate is valid for localhost and 127.0.0.1, for two days. Used by the Rust
# integration tests and the Playwright go-live walk, so both trust the same kind of chain.
set -euo pipefail
dir="${1:?usage: scripts/test-ca.sh DIR}"
mkdir -p "$dir"
cd "$dir"
ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
openssl req -x509 "${ec[@]}" -days 2 -subj "/CN=Greenlight test CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -keyout ca.key -out ca.pem 2>/dev/null
openssl req "${ec[@]}" -subj "/CN=localhost" -keyout server.key -out server.csr 2>/dev/null
printf '%s\n' "subjectAltName=DNS:localhost,IP:127.0.0.1" "basicConstraints=critical,CA:FALSE" \
  "keyUsage=critical,digitalSignature" "extendedKeyUsage=serverAuth" > server.ext
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
  -extfile server.ext -out server.pem 2>/dev/null
rm -f server.csr server.ext ca.srl
