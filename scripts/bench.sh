#!/usr/bin/env bash
# Benchmarks (not tests): judge throughput against the Python reference measured in the same
# run, peak memory, and runner wall time against the ideal. See README "Benchmarks".
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
cargo bench -p server --bench replay --locked
cargo bench -p server --bench probe_round --locked
