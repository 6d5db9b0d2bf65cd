#!/usr/bin/env python3
"""Drive one adapter through the evaluator protocol and check every answer's shape.

Usage: protocol_check.py [--expect] [--timeout S] CASE.json [CASE.json ...] -- ADAPTER-COMMAND...

Sends `start`, one `run` per case file, then `stop`, and checks: each answer is one JSON line,
valid against docs/protocol/*.schema.json, echoes `seq`, has one result per request; the process
exits 0 after `stop`. With --expect, it also compares each decision with the case's
expectations (in decision-class mode when the adapter announces `decision_mode: "class"`);
skipped results are reported, not failed.

Prints one line per case and a closing `N passed, N failed` line; exits 1 on any failure.
Needs `jsonschema` (install-all.sh puts it in harness/adapters/_python/.venv).
"""

from __future__ import annotations

import argparse
import json
import pathlib
import select
import subprocess
import sys

from jsonschema import Draft202012Validator
from referencing import Registry, Resource

ROOT = pathlib.Path(__file__).resolve().parents[3]
PROTOCOL = ROOT / "docs" / "protocol"


def load_schemas() -> tuple[Registry, dict[str, dict]]:
    schemas = {p.name: json.loads(p.read_text()) for p in PROTOCOL.glob("*.schema.json")}
    registry = Registry().with_resources(
        (s["$id"], Resource.from_contents(s)) for s in schemas.values()
    )
    return registry, schemas


def validator(registry: Registry, schemas: dict, name: str) -> Draft202012Validator:
    return Draft202012Validator(schemas[name], registry=registry)


def read_line(proc: subprocess.Popen, timeout: float) -> str | None:
    ready, _, _ = select.select([proc.stdout], [], [], timeout)
    if not ready:
        return None
    return proc.stdout.readline()


def main() -> int:
    argv = sys.argv[1:]
    if "--" not in argv:
        print(__doc__, file=sys.stderr)
        return 2
    split = argv.index("--")
    parser = argparse.ArgumentParser()
    parser.add_argument("--expect", action="store_true")
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("cases", nargs="+")
    args = parser.parse_args(argv[:split])
    command = argv[split + 1 :]

    registry, schemas = load_schemas()
    for name in ("start-request.schema.json", "run-request.schema.json", "stop-request.schema.json"):
        Draft202012Validator.check_schema(schemas[name])
    start_response = validator(registry, schemas, "start-response.schema.json")
    run_answer = validator(registry, schemas, "run-answer.schema.json")
    run_request = validator(registry, schemas, "run-request.schema.json")

    passed = failed = 0

    def fail(what: str) -> None:
        nonlocal failed
        failed += 1
        print(f"FAIL {what}")

    def ok(what: str) -> None:
        nonlocal passed
        passed += 1
        print(f"ok   {what}")

    proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
    assert proc.stdin is not None
    proc.stdin.write(json.dumps({"cmd": "start", "version": 1}) + "\n")
    proc.stdin.flush()
    line = read_line(proc, args.timeout)
    mode = "exact"
    try:
        hello = json.loads(line or "")
        errors = sorted(e.message for e in start_response.iter_errors(hello))
        if errors:
            fail(f"start: {errors}")
        else:
            mode = hello["implementation"].get("decision_mode", "exact")
            ok(f"start: {hello['implementation']['name']} {hello['implementation']['version']} ({mode})")
    except ValueError:
        fail(f"start: answer is not JSON: {line!r}")
        proc.kill()
        print(f"{passed} passed, {failed} failed")
        return 1

    for seq, path in enumerate(args.cases):
        case = json.loads(pathlib.Path(path).read_text())
        try:
            path = str(pathlib.Path(path).resolve().relative_to(ROOT))
        except ValueError:
            pass
        request = {"cmd": "run", "seq": seq, "case": case}
        errors = sorted(e.message for e in run_request.iter_errors(request))
        if errors:
            fail(f"{path}: the run request itself is invalid: {errors}")
            continue
        proc.stdin.write(json.dumps(request) + "\n")
        proc.stdin.flush()
        line = read_line(proc, args.timeout)
        if line is None:
            fail(f"{path}: no answer within {args.timeout}s")
            continue
        try:
            answer = json.loads(line)
        except ValueError:
            fail(f"{path}: answer is not JSON: {line[:200]!r}")
            continue
        errors = sorted(e.message for e in run_answer.iter_errors(answer))
        if errors:
            fail(f"{path}: answer does not match run-answer.schema.json: {errors[:3]} in {line[:300]}")
            continue
        if answer.get("seq") != seq:
            fail(f"{path}: seq {answer.get('seq')} != {seq}")
            continue
        if "results" in answer and len(answer["results"]) != len(case["requests"]):
            fail(f"{path}: {len(answer['results'])} results for {len(case['requests'])} requests")
            continue
        kind = "results" if "results" in answer else "skipped" if answer.get("skipped") else "errored"
        ok(f"{path}: well-formed answer ({kind})")
        if not args.expect:
            continue
        if kind != "results":
            fail(f"{path}: expected results, got {kind}: {answer.get('message') or answer.get('context')}")
            continue
        for req, res in zip(case["requests"], answer["results"]):
            name = f"{path}::{req['name']}"
            exp = req["expect"]
            if res.get("skipped"):
                print(f"skip {name}: {res['message']}")
                continue
            if "error" in exp or "error" in res:
                good = exp.get("error") is not None and res.get("error") == exp.get("error")
            elif mode == "class":
                good = (exp["decision"] == "allowed") == (res["decision"] == "allowed")
            else:
                good = exp["decision"] == res["decision"]
            want = exp.get("decision") or f"error {exp.get('error')}"
            got = res.get("decision") or f"error {res.get('error')}"
            (ok if good else fail)(f"{name}: expected {want}, got {got}")

    proc.stdin.write(json.dumps({"cmd": "stop"}) + "\n")
    proc.stdin.flush()
    try:
        code = proc.wait(timeout=args.timeout)
        (ok if code == 0 else fail)(f"stop: exit status {code}")
    except subprocess.TimeoutExpired:
        proc.kill()
        fail("stop: still running")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
