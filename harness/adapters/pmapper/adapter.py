#!/usr/bin/env python3
"""iamspec evaluator-protocol adapter for Principal Mapper (PyPI `principalmapper`).

Wraps pmapper's local policy simulation, `query_interface.local_check_authorization_full`, which
evaluates a principal's attached policies, its permissions boundary, a session policy, SCP levels
and a resource policy, and answers a bare bool. So this adapter answers `allowed` or
`implicitDeny` ("not allowed") only: compare it in decision-class mode (allowed vs not allowed).

pmapper is AGPL-licensed: it is installed from PyPI into .venv/ and imported by this separate
process; none of its code is part of iamspec. What the adapter maps and skips: README.md.
"""

from __future__ import annotations

import collections
import collections.abc
import json
import logging
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "_python"))

from iamspec_adapter import (  # noqa: E402
    Unsupported,
    refuse_unexpressed_fields,
    account_of,
    check_resource_kind,
    combine,
    parse_document,
    principal_account,
    request_targets,
    serve,
)

# --- Compatibility shim for Python >= 3.10 -------------------------------------------------
# principalmapper 1.1.5 (2021) does `from collections import Mapping, MutableMapping` in
# principalmapper/util/case_insensitive_dict.py; those aliases were removed from `collections`
# in Python 3.10 (they live in `collections.abc`). Restore them before importing pmapper,
# without touching site-packages.
for _name in ("Mapping", "MutableMapping", "Sequence", "MutableSequence", "Iterable", "Callable"):
    if not hasattr(collections, _name):
        setattr(collections, _name, getattr(collections.abc, _name))

import principalmapper  # noqa: E402
from principalmapper.common import Node, Policy  # noqa: E402
from principalmapper.querying import query_interface  # noqa: E402
from principalmapper.util.case_insensitive_dict import CaseInsensitiveDict  # noqa: E402

logging.getLogger("principalmapper").setLevel(logging.CRITICAL)

# --- "The evaluator invents no key" --------------------------------------------------------
# local_check_authorization_full() adds keys it infers from the principal and the clock
# (aws:CurrentTime, aws:EpochTime, aws:userid, aws:username, aws:SecureTransport=true,
# aws:PrincipalAccount, aws:PrincipalArn, aws:PrincipalTag/*). An iamspec case lists every key the
# request carries, so the adapter turns that inference off; set IAMSPEC_PMAPPER_INFER_KEYS=1 to
# see pmapper's default behaviour instead.
if os.environ.get("IAMSPEC_PMAPPER_INFER_KEYS") != "1":
    query_interface._infer_condition_keys = lambda principal, current_keys: CaseInsensitiveDict()

ROLE_TRUST_PLACEHOLDER = {"Version": "2012-10-17", "Statement": []}


def _node_arn(case: dict) -> str:
    """The IAM user or role ARN that pmapper's Node can hold for this case's principal."""
    pr = case.get("principal") or {}
    arn = pr.get("arn", "")
    kind = pr.get("type")
    resource = arn.split(":", 5)[5] if arn.count(":") >= 5 else ""
    if kind in (None, "user", "role") and (resource.startswith("user/") or resource.startswith("role/")):
        return arn
    if kind == "assumed-role" or resource.startswith("assumed-role/"):
        if pr.get("role"):
            return pr["role"]
        parts = resource.split("/")
        if len(parts) >= 3:
            return f"arn:aws:iam::{account_of(arn)}:role/{parts[1]}"
    raise Unsupported(
        f"pmapper simulates IAM users and roles only (its Node type); principal {arn!r} is not one"
    )


def _policy(acct: str, pol: dict) -> Policy:
    return Policy(f"arn:aws:iam::{acct}:policy/{pol['id']}", pol["id"], parse_document(pol, "pmapper"))


def _check_documents(docs: list[dict]) -> None:
    """pmapper reads `Statement` and `Effect` without checking them: a document without them
    would crash it. That is not a decision, so such cases are skipped, not errored."""
    for d in docs:
        if not isinstance(d, dict) or "Statement" not in d:
            raise Unsupported("pmapper does not validate policies and cannot read one without Statement")
        statements = d["Statement"] if isinstance(d["Statement"], list) else [d["Statement"]]
        for st in statements:
            if not isinstance(st, dict) or "Effect" not in st:
                raise Unsupported("pmapper does not validate policies and cannot read a statement without Effect")
            if "Action" not in st and "NotAction" not in st:
                raise Unsupported("pmapper does not validate policies and cannot read a statement without Action/NotAction")


def run_case(case: dict) -> dict:
    refuse_unexpressed_fields(case, "pmapper")
    p = case.get("policies") or {}
    pr = case.get("principal") or {}
    if p.get("rcps"):
        raise Unsupported("pmapper has no resource control policies")
    if pr.get("management_account"):
        raise Unsupported("pmapper has no notion of the management account (which SCPs do not affect)")
    if len(p.get("session") or []) > 1:
        raise Unsupported("pmapper takes one session policy")
    check_resource_kind(case, "pmapper")

    node_arn = _node_arn(case)
    if p.get("resource") and node_arn != pr.get("arn"):
        raise Unsupported(
            "pmapper's Node is the role behind the session, not the session: a resource-based "
            "policy's Principal cannot be matched against the session ARN"
        )
    acct = account_of(node_arn) or principal_account(case) or "111122223333"
    identity = [_policy(acct, pol) for pol in p.get("identity") or []]
    boundary = _policy(acct, p["permissions_boundary"]) if p.get("permissions_boundary") else None
    session = parse_document(p["session"][0], "pmapper") if p.get("session") else None
    resource_policy = parse_document(p["resource"], "pmapper") if p.get("resource") else None
    scps = [[_policy(acct, pol) for pol in level] for level in p.get("scps") or []] or None

    docs = [x.policy_doc for x in identity] + ([boundary.policy_doc] if boundary else [])
    docs += [session] if session else []
    docs += [resource_policy] if resource_policy else []
    docs += [x.policy_doc for level in scps or [] for x in level]
    _check_documents(docs)

    is_role = ":role/" in node_arn
    node = Node(
        arn=node_arn,
        id_value="AIDAIAMSPECPRINCIPAL" if not is_role else "AROAIAMSPECPRINCIPAL",
        attached_policies=identity,
        group_memberships=[],
        trust_policy=ROLE_TRUST_PLACEHOLDER if is_role else None,
        instance_profile=None,
        num_access_keys=0,
        active_password=False,
        is_admin=False,
        permissions_boundary=boundary,
        has_mfa=False,
        tags={},
    )

    results = []
    for req in case["requests"]:
        per = []
        for resource, context in request_targets(req):
            owner = resource.get("owner") or acct
            allowed = query_interface.local_check_authorization_full(
                node,
                req["action"],
                resource["arn"],
                context,
                resource_policy=resource_policy,
                resource_owner=owner if resource_policy is not None else None,
                service_control_policy_groups=scps,
                session_policy=session,
            )
            per.append({"decision": "allowed" if allowed else "implicitDeny"})
        results.append(combine(per))
    return {"results": results}


if __name__ == "__main__":
    serve(
        {
            "name": "pmapper",
            "version": principalmapper.__version__,
            "language": "python",
            "homepage": "https://github.com/nccgroup/PMapper",
            "issues": "https://github.com/nccgroup/PMapper/issues",
            "decision_mode": "class",
        },
        run_case,
    )
