#!/usr/bin/env bash
# Installs what Greenlight needs and is missing; does nothing for what is already there.
#   scripts/setup.sh run    toolchain for building and serving the console, and redis-server
#                           (practice mode gives its staging and production their own)
#   scripts/setup.sh test   the above, plus Chromium, openssl and the Playwright packages
# Everything comes from crates.io, Debian and npm: no tool downloads its own binaries
# (cargo-leptos finds wasm-bindgen and wasm-opt on PATH and so never fetches them; the calling
# scripts put tools/node_modules/.bin first on PATH).
set -euo pipefail
cd "$(dirname "$0")/.."
purpose="${1:-test}"

CARGO_LEPTOS_VERSION=0.3.9   # newer releases need rustc 1.96+
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export PATH="$HOME/.cargo/bin:$PATH"

log() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

# --- Debian packages -------------------------------------------------------------------
apt_missing=()
command -v pkg-config >/dev/null || apt_missing+=(pkg-config)
# Practice mode's services and the tests each start their own on free ports.
command -v redis-server >/dev/null || apt_missing+=(redis-server)
if [ "$purpose" = test ]; then
  command -v chromium >/dev/null || apt_missing+=(chromium)           # Playwright drives Debian's Chromium
  command -v openssl >/dev/null || apt_missing+=(openssl)             # TLS test certificates
fi
if [ "${#apt_missing[@]}" -gt 0 ]; then
  log "installing Debian packages: ${apt_missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${apt_missing[@]}" >/dev/null
fi
if [ "$purpose" = test ] && command -v systemctl >/dev/null && systemctl is-active --quiet redis-server 2>/dev/null; then
  : # a system redis on 6379 does not disturb the tests: they use their own ports
fi

# --- Rust toolchain pieces ---------------------------------------------------------------
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
for component in rustfmt clippy; do
  if ! rustup component list --installed | grep -q "^$component"; then
    log "adding rustup component $component"
    rustup component add "$component"
  fi
done

if ! cargo leptos --version 2>/dev/null | grep -q " $CARGO_LEPTOS_VERSION\$"; then
  log "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 17 minutes on 2 cores, once)"
  cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked
fi

# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly.
wbg_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ -z "$wbg_version" ]; then
  echo "cannot find the wasm-bindgen version in Cargo.lock" >&2
  exit 1
fi
if ! wasm-bindgen --version 2>/dev/null | grep -q " $wbg_version\$"; then
  log "installing wasm-bindgen-cli $wbg_version (matches Cargo.lock)"
  # Not --locked: its lockfile pins a crate version the registry mirror may lack.
  cargo install wasm-bindgen-cli --version "$wbg_version" --force
fi

# --- wasm-opt ---------------------------------------------------------------------------
# From npm's binaryen package (pinned in tools/package.json), not Debian's binaryen 108: version
# 108 turns wasm-bindgen's externref table into an anyref table, and the optimised bundle then
# fails at start-up in the browser ("WebAssembly.Table.set(): Argument 1 is invalid").
if [ ! -x tools/node_modules/.bin/wasm-opt ] || [ tools/package-lock.json -nt tools/node_modules/.package-lock.json ]; then
  log "installing wasm-opt (npm binaryen, see tools/package.json)"
  (cd tools && npm ci --no-audit --no-fund --loglevel=error)
fi

# --- Python packages for the Inngest SDK test --------------------------------------------
if [ "$purpose" = test ]; then
  if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
    log "installing python3-venv"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends python3-venv >/dev/null
  fi
  if [ ! -x tools/python/bin/python ] || [ tools/python-requirements.txt -nt tools/python/.installed ]; then
    log "installing inngest-py, fastapi and uvicorn into tools/python (tools/python-requirements.txt)"
    python3 -m venv tools/python
    tools/python/bin/pip install --quiet --disable-pip-version-check -r tools/python-requirements.txt
    touch tools/python/.installed
  fi
fi

# --- Browser tests ---------------------------------------------------------------------------
if [ "$purpose" = test ]; then
  if [ ! -d end2end/node_modules/@playwright/test ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
    log "installing the Playwright test runner (npm ci; browsers are not downloaded)"
    (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
  fi
fi
log "prerequisites present ($purpose)"
