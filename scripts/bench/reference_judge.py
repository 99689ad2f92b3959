#!/usr/bin/env python3
"""The reference rubric judge, written from the rules in shared/fixtures/README.md, used only as
the speed reference for `scripts/bench.sh` (same inputs, same machine, same run).

Usage: reference_judge.py GOLDEN_SET RECORDED_RUNS N  -> prints cases/second judging N cases
(cycling through the recorded runs, each with another case's output as its baseline).
"""
import difflib
import json
import statistics
import sys
import time


def norm(x):
    return "".join(x.strip().lower().split())


def tools_score(expected, actual):
    ne = [norm(e) for e in expected]
    na = [norm(a) for a in actual]
    match = lambda e, a: e == a or e in a or a in e
    missing = [expected[i] for i, e in enumerate(ne) if not any(match(e, a) for a in na)]
    unexpected = [actual[j] for j, a in enumerate(na) if not any(match(e, a) for e in ne)]
    if not expected:
        score = 3
    elif not missing and not unexpected:
        score = 5
    elif not missing:
        score = 4
    elif len(missing) == 1:
        score = 3
    elif len(missing) < len(expected):
        score = 2
    else:
        score = 1
    return score, missing, unexpected


def judge(case, run, baseline):
    out = run["actual_output"]
    lo = out.lower()
    t, missing, unexpected = tools_score(case["expected_tools"], run["tool_trace_log"])
    pos = case["positive_constraints"]
    met = [c for c in pos if c.lower() in lo]
    ratio = len(met) / len(pos) if pos else None
    comp = 3 if ratio is None else 5 if ratio >= 0.9 else 4 if ratio >= 0.7 else 3 if ratio >= 0.5 else 2 if ratio >= 0.3 else 1
    rag = "\n".join(run["rag_context_chunks"])
    if not rag.strip():
        unsupported = list(met)
        ground = 1 if out.strip() else 3
    else:
        rl = rag.lower()
        unsupported = [c for c in met if c.lower() not in rl]
        ground = 5 if not unsupported else 3 if len(unsupported) == 1 else 2
    violated = []
    for c in case["negative_constraints"]:
        frag = c.strip().lower().rstrip(".")
        if frag.startswith("do not "):
            frag = frag[len("do not "):]
        if frag and frag in lo:
            violated.append(c)
    if baseline is None:
        rel = 4
    else:
        r = difflib.SequenceMatcher(None, baseline, out).ratio()
        rel = 5 if r >= 0.9 else 4 if r >= 0.75 else 3 if r >= 0.6 else 2 if r >= 0.4 else 1
    overall = round(statistics.mean([t, ground, comp, rel]), 2)
    auto_fail = t <= 2 or ground <= 2 or bool(violated)
    return {"overall_score": overall, "pass": (not auto_fail) and overall >= 4.0, "missing": missing,
            "unexpected": unexpected, "unsupported": unsupported, "violated": violated}


def main():
    golden = {c["id"]: c for c in json.load(open(sys.argv[1]))}
    runs = json.load(open(sys.argv[2]))
    n = int(sys.argv[3])
    ids = [i for i in golden if i in runs]
    work = []
    for k in range(n):
        cid = ids[k % len(ids)]
        other = ids[(k + 1) % len(ids)]
        work.append((golden[cid], runs[cid], runs[other]["actual_output"]))
    repeats = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        passed = sum(1 for case, run, base in work if judge(case, run, base)["pass"])
        times.append(time.perf_counter() - start)
    elapsed = sorted(times)[len(times) // 2]
    print(json.dumps({"cases": n, "seconds": elapsed, "cases_per_second": n / elapsed, "passed": passed}))


if __name__ == "__main__":
    main()
