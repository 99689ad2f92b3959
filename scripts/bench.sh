#!/usr/bin/env bash
# Benchmarks (not tests): judge throughput against the Python reference measured in the same
# run, peak memory, runner wall time against the ideal, and the Status page under 50 viewers
# against the release binary. See README "Benchmarks".
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
cargo bench -p server --bench replay --locked
cargo bench -p server --bench replay_scale --locked
cargo bench -p server --bench probe_round --locked
cargo bench -p engine --bench slo_eval --locked
# The Status benchmark serves with the release binary, as users run it.
cargo leptos build --release --precompress --split
cargo bench -p server --bench status_page --locked
# Hydration time of the Status page on a throttled slow mobile network (headless Chromium).
scripts/setup.sh test
(cd end2end && npx playwright test --config playwright.bench.config.ts)
