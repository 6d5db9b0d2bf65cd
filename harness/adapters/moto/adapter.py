#!/usr/bin/env python3
"""iamspec evaluator-protocol adapter for moto's IAM access control (PyPI `moto`).

moto, the AWS mock, can enforce IAM policies on the requests it serves
(`@set_initial_no_auth_action_count`). Two pieces of it are wrapped here, used the way moto
itself uses them:

* validation: `moto.iam.policy_validation.IAMPolicyDocumentValidator`, which moto runs on
  CreatePolicy / PutUserPolicy / PutRolePolicy and which raises `MalformedPolicyDocument`;
* decision: `moto.iam.access_control.IAMPolicy.is_action_permitted(action, resource)` over each
  of the caller's policies, combined as `IAMRequestBase.check_action_permitted` does: any
  policy DENIED -> denied, else any PERMITTED -> allowed, else denied. moto raises the same
  AccessDenied for both kinds of denial; its PermissionResult (DENIED vs NEUTRAL) is reported
  here as explicitDeny vs implicitDeny.

moto's check looks at the caller's identity-based policies only, and passes no request context,
so every Condition is taken as satisfied and a policy variable is plain text. Cases it cannot
express (resource-based policies, boundaries, session policies, SCPs, RCPs, principals other than
IAM users and roles) are skipped whole; a request whose action is governed by a statement with a
Condition or a policy variable in its Resource is skipped alone.
See README.md beside this file.
"""

from __future__ import annotations

import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "_python"))

from iamspec_adapter import (  # noqa: E402
    Rejected,
    Unsupported,
    check_resource_kind,
    refuse_unexpressed_fields,
    combine,
    document_text,
    request_targets,
    serve,
)

import moto  # noqa: E402
from moto.iam.access_control import IAMPolicy, IAMPolicyStatement, PermissionResult  # noqa: E402
from moto.iam.exceptions import MalformedPolicyDocument  # noqa: E402
from moto.iam import policy_validation as pv  # noqa: E402


def _statements(doc) -> list:
    st = doc.get("Statement") if isinstance(doc, dict) else None
    return st if isinstance(st, list) else [st] if st is not None else []


def _classify_syntax_error(text: str) -> str:
    """moto says only "Syntax errors in policy."; find which of its syntax checks failed,
    in the order moto runs them, and name the iamspec error kind."""
    try:
        doc = json.loads(text)
    except ValueError:
        return "malformed-json"
    if not isinstance(doc, dict):
        return "invalid-element-type"
    if any(k not in pv.VALID_TOP_ELEMENTS for k in doc):
        return "unknown-element"
    if "Version" in doc and doc["Version"] not in pv.VALID_VERSIONS:
        return "invalid-version"
    if "Id" in doc and not isinstance(doc["Id"], str):
        return "invalid-element-type"
    if "Statement" not in doc:
        return "missing-element"
    if not isinstance(doc["Statement"], (dict, list)):
        return "invalid-element-type"
    if doc["Statement"] == []:
        return "empty-element"
    for st in _statements(doc):
        if not isinstance(st, dict):
            return "invalid-element-type"
        if any(k not in pv.VALID_STATEMENT_ELEMENTS for k in st):
            return "unknown-element"
        if ("Resource" in st and "NotResource" in st) or ("Action" in st and "NotAction" in st):
            return "conflicting-elements"
        if "Effect" not in st:
            return "missing-element"
        for check, kind in (
            (pv.IAMPolicyDocumentValidator._validate_effect_syntax, "invalid-effect"),
            (pv.IAMPolicyDocumentValidator._validate_action_syntax, "invalid-element-type"),
            (pv.IAMPolicyDocumentValidator._validate_not_action_syntax, "invalid-element-type"),
            (pv.IAMPolicyDocumentValidator._validate_resource_syntax, "invalid-element-type"),
            (pv.IAMPolicyDocumentValidator._validate_not_resource_syntax, "invalid-element-type"),
            (pv.IAMPolicyDocumentValidator._validate_sid_syntax, "invalid-element-type"),
        ):
            try:
                check(st)
            except Exception:  # noqa: BLE001 - moto's checks are bare asserts
                return kind
        try:
            pv.IAMPolicyDocumentValidator._validate_condition_syntax(st)
        except Exception:  # noqa: BLE001
            cond = st.get("Condition")
            if isinstance(cond, dict) and all(isinstance(v, dict) for v in cond.values()):
                if any(
                    pv.IAMPolicyDocumentValidator._strip_condition_key(op) not in pv.VALID_CONDITIONS
                    for op in cond
                ):
                    return "unknown-condition-operator"
            return "invalid-condition"
    return "other"


def _classify(message: str, text: str) -> str:
    """moto's MalformedPolicyDocument message -> the closest iamspec error kind."""
    if message == "Syntax errors in policy.":
        return _classify_syntax_error(text)
    if message.startswith("Policy document must be version"):
        return "invalid-version"
    if message == "The policy failed legacy parsing":
        doc = json.loads(text)
        if any(st.get("Effect") not in pv.VALID_EFFECTS for st in _statements(doc)):
            return "invalid-effect"
        if any("Condition" in st for st in _statements(doc)):
            return "invalid-condition-value"
        return "invalid-resource"
    if message.startswith("Statement IDs (SID)"):
        return "duplicate-sid"
    if message.startswith("Policy statement must contain actions"):
        return "missing-element"
    if message.startswith("Policy statement must contain resources"):
        return "missing-element"
    if message.startswith(("Actions/Condition", "Vendor ")):
        return "invalid-action"
    if message.startswith(("Resource ", "Partition ", "IAM resource", "Resource vendor")):
        return "invalid-resource"
    return "other"


def _validate(policy: dict) -> str:
    """The policy text, after moto's CreatePolicy validation; raises Rejected if moto rejects it."""
    text = document_text(policy)
    try:
        pv.IAMPolicyDocumentValidator(text).validate()
    except MalformedPolicyDocument as e:
        message = getattr(e, "message", None) or str(e)
        raise Rejected(_classify(message, text), f"{policy['id']}: MalformedPolicyDocument: {message}") from e
    return text


def _principal_supported(case: dict) -> None:
    pr = case.get("principal") or {}
    arn = pr.get("arn", "")
    kind = pr.get("type")
    if kind in ("user", "role", "assumed-role"):
        return
    if kind is None and any(s in arn for s in (":user/", ":role/", ":assumed-role/")):
        return
    raise Unsupported(
        f"moto's access control authenticates IAM users and assumed roles only; principal {arn!r} is not one"
    )


def _needs_context(st: dict) -> str | None:
    """What in a statement depends on the request context, which moto's check never passes."""
    if "Condition" in st:
        return "a Condition is always taken as satisfied"
    for element in ("Resource", "NotResource"):
        values = st.get(element)
        values = values if isinstance(values, list) else [values]
        if any(isinstance(v, str) and "${" in v for v in values):
            return "a policy variable in Resource is matched as literal text (as a regular expression)"
    return None


def _context_governs(policies: list[dict], action: str) -> str | None:
    """Why a statement that concerns this action (by moto's own action matching) needs the
    request context, if one does."""
    for doc in policies:
        for st in _statements(doc):
            reason = _needs_context(st)
            if reason is None:
                continue
            element = "NotAction" if "NotAction" in st else "Action"
            if element not in st:
                continue
            matches = IAMPolicyStatement(st)._check_element_matches(element, action)
            if (element == "Action") == bool(matches):
                return reason
    return None


def _decide(texts: list[str], action: str, resource: str) -> str:
    # As IAMRequestBase.check_action_permitted: sts:GetCallerIdentity is always allowed.
    if action == "sts:GetCallerIdentity":
        return "allowed"
    permitted = False
    for text in texts:
        result = IAMPolicy(text).is_action_permitted(action, resource)
        if result == PermissionResult.DENIED:
            return "explicitDeny"
        if result == PermissionResult.PERMITTED:
            permitted = True
    return "allowed" if permitted else "implicitDeny"


def run_case(case: dict) -> dict:
    refuse_unexpressed_fields(case, "moto")
    p = case.get("policies") or {}
    for key, what in (
        ("resource", "resource-based policies"),
        ("permissions_boundary", "permissions boundaries"),
        ("session", "session policies"),
        ("scps", "service control policies"),
        ("rcps", "resource control policies"),
    ):
        if p.get(key):
            raise Unsupported(f"moto's access control evaluates identity-based policies only, not {what}")
    _principal_supported(case)
    check_resource_kind(case, "moto")

    texts = [_validate(pol) for pol in p.get("identity") or []]
    docs = [json.loads(t) for t in texts]

    results = []
    for req in case["requests"]:
        reason = _context_governs(docs, req["action"])
        if reason:
            results.append({
                "skipped": True,
                "message": f"moto's access control passes no request context: {reason}",
            })
            continue
        per = [{"decision": _decide(texts, req["action"], r["arn"])} for r, _ctx in request_targets(req)]
        results.append(combine(per))
    return {"results": results}


if __name__ == "__main__":
    serve(
        {
            "name": "moto",
            "version": moto.__version__,
            "language": "python",
            "homepage": "https://github.com/getmoto/moto",
            "issues": "https://github.com/getmoto/moto/issues",
            "decision_mode": "exact",
        },
        run_case,
    )
