#!/usr/bin/env bash
# Installs what is missing, builds the console (release) and serves it on its embedded default:
# http://127.0.0.1:3000 with the example workspace, practice mode's staging and production (each
# with its own redis-server on a free port; --no-practice turns them off) and a SQLite database
# in ./.greenlight.
# Extra arguments go to `greenlight serve` (e.g. --config greenlight.toml).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh run
export PATH="$PWD/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
cargo leptos build --release --precompress --split
exec target/release/greenlight serve "$@"
