#!/usr/bin/env python3
"""Example replay runner: shows the runner protocol Greenlight speaks.

Greenlight starts this program once per case, writes the case as one JSON object on stdin
(id, input_query, expected_tools, positive_constraints, negative_constraints, ...), and reads
one JSON object from stdout:

    {"actual_output": str, "tool_trace_log": [str], "rag_context_chunks": [str], "metadata": {}}

A non-zero exit, no output, invalid JSON or a hang past the suite's case_timeout_secs becomes
that case's runner_error. A real runner would call your agent service here; this one answers
from a small canned knowledge base so the example works offline and deterministically.
"""
import argparse
import json
import sys

KNOWLEDGE = {
    "EX_001": (
        ["Readiness.probe"],
        ["staging readiness endpoint answered 200", "runtime dependencies ready"],
        "Staging readiness: the readiness endpoint answered 200 and runtime dependencies are ready.",
    ),
    "EX_002": (
        ["Readiness.history", "Readiness.last_failure"],
        ["production last failure at 02:14 UTC", "evidence: redis ping refused"],
        "Production failed its readiness check; the last failure evidence shows the Redis ping was refused.",
    ),
    "EX_003": (
        ["Readiness.history"],
        ["Redis latency p50 1.2 ms", "Redis latency p95 3.4 ms"],
        "Redis latency over 24 h: p50 1.2 ms, p95 3.4 ms.",
    ),
    "EX_004": (
        ["EnvFile.validate"],
        ["REDIS_REQUIRED=true in staging", "INNGEST_REQUIRED=true in staging"],
        "In staging, REDIS_REQUIRED and INNGEST_REQUIRED are both set to true.",
    ),
    "EX_005": (
        ["GoLive.verdict", "Replay.latest"],
        ["Status: wiring confirmed", "Next action: validate staging for 24 h"],
        "Status: backend reliability wiring confirmed.\nNext action: validate staging for 24 h, then promote.",
    ),
    "EX_006": (
        ["Inngest.inspect"],
        ["function count 4", "mode cloud"],
        "Production serves 4 Inngest functions in cloud mode (function count from the signed inspection).",
    ),
}


def failing_cases(path):
    """Case ids (one per line) to answer wrongly: practice mode's "make the runner fail"."""
    if not path:
        return set()
    try:
        with open(path, encoding="utf-8") as handle:
            return {line.strip() for line in handle if line.strip()}
    except FileNotFoundError:
        return set()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--fail-cases-file",
        help="a file listing case ids to answer wrongly (absent: answer every case right)",
    )
    args = parser.parse_args()
    case = json.load(sys.stdin)
    unknown = ([], [], "I have no answer for this question.")
    if case.get("id") in failing_cases(args.fail_cases_file):
        tools, context, answer = unknown
    else:
        tools, context, answer = KNOWLEDGE.get(case.get("id"), unknown)
    json.dump(
        {
            "actual_output": answer,
            "tool_trace_log": tools,
            "rag_context_chunks": context,
            "metadata": {"runner": "example_runner.py", "case_id": case.get("id")},
        },
        sys.stdout,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
