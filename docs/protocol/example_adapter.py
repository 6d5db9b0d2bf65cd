#!/usr/bin/env python3
"""EXAMPLE ONLY: a complete iamspec evaluator adapter around a toy "evaluator".

The toy evaluator knows one thing: a request is allowed when some identity-based policy has an
Allow statement with "Action": "*" and "Resource": "*" and no Condition, and no statement says
Deny. Everything else it cannot express, so it skips. It is here to show the protocol, not IAM.

Try it:  python3 harness/adapters/_python/protocol_check.py harness/adapters/_smoke/basic.json \
             -- python3 docs/protocol/example_adapter.py
"""

import json
import sys


def toy_evaluator(documents):
    """Stands in for the library you wrap. Returns "allowed", "implicitDeny" or None (cannot tell)."""
    allows = False
    for doc in documents:
        statements = doc["Statement"] if isinstance(doc["Statement"], list) else [doc["Statement"]]
        for st in statements:
            if st.get("Effect") == "Deny" or "Condition" in st:
                return None
            if st.get("Action") == "*" and st.get("Resource") == "*":
                allows = True
    return "allowed" if allows else "implicitDeny"


def run_case(case):
    policies = case.get("policies", {})
    others = [k for k in ("resource", "permissions_boundary", "session", "scps", "rcps") if policies.get(k)]
    if others:  # whole case: the toy cannot express these policy types
        return {"skipped": True, "message": f"the toy evaluator has no {', '.join(others)}"}
    documents = []
    for policy in policies.get("identity", []):
        doc = policy["document"]
        documents.append(json.loads(doc) if isinstance(doc, str) else doc)
    results = []
    for request in case["requests"]:  # one result per request, in order
        decision = toy_evaluator(documents)
        if decision is None:
            results.append({"skipped": True, "message": "the toy evaluator only reads * policies"})
        else:
            results.append({"decision": decision})
    return {"results": results}


def main():
    for line in sys.stdin:  # one JSON command per line
        msg = json.loads(line)
        if msg["cmd"] == "start":
            answer = {
                "version": 1,
                "implementation": {
                    "name": "toy-star-evaluator",
                    "version": "0.0.1",
                    "language": "python",
                    "homepage": "https://example.com/toy",
                    "issues": "https://example.com/toy/issues",
                },
            }
        elif msg["cmd"] == "run":
            try:
                answer = {"seq": msg["seq"], **run_case(msg["case"])}
            except Exception as e:  # one broken case must not stop the run
                answer = {"seq": msg["seq"], "errored": True, "context": {"message": repr(e)}}
        elif msg["cmd"] == "stop":
            sys.exit(0)
        else:
            continue
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()  # line-buffered: the harness waits for this line


if __name__ == "__main__":
    main()
