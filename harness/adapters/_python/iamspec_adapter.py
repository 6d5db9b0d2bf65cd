"""The evaluator-protocol loop and case helpers shared by iamspec's Python adapters.

What it is for: reading `start`/`run`/`stop` lines on stdin, writing one answer line per command
on stdout (flushed), turning an exception inside one case into an `errored` answer, and the small
case-format chores every adapter repeats (policy text, typed context, multi-resource requests).

What it is not for: any IAM semantics. Everything about deciding a request belongs to the
wrapped evaluator; an adapter only maps the case onto its API and maps the answer back.

Standard library only, so it runs inside any adapter's virtualenv. See docs/protocol/README.md.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
import traceback
from typing import Any, Callable

PROTOCOL_VERSION = 1

LIST_TYPES = {"stringList", "numericList", "booleanList", "ipList", "binaryList", "dateList"}


class Unsupported(Exception):
    """The evaluator cannot express this case or request: answered as `skipped` with the reason."""


class Rejected(Exception):
    """The evaluator rejects a policy document: answered as `{"error": kind}` for every request."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


# The caller's identities besides its ARN, which a `Principal` can name (IAM User Guide, "AWS
# JSON policy elements: Principal", "IAM identifiers"): no Python adapter's evaluator takes them.
PRINCIPAL_IDENTITIES = (
    ("user", "the IAM user who called GetFederationToken"),
    ("unique_id", "the unique ID (AIDA.../AROA...) of the user or role"),
    ("canonical_user", "the account's Amazon S3 canonical user ID"),
)


def refuse_unexpressed_fields(case: dict[str, Any], evaluator: str) -> None:
    """Raises `Unsupported` for the case fields no Python adapter maps yet: the caller's other
    identities (`PRINCIPAL_IDENTITIES`), organizations (each account with its own SCP/RCP path),
    VPC endpoint policies, and inline identity-based policies (whose entity's aggregate size quota
    decides `policy-too-large`)."""
    pr = case.get("principal") or {}
    for field, what in PRINCIPAL_IDENTITIES:
        if pr.get(field) is not None:
            raise Unsupported(f"{evaluator} takes the caller's ARN only; it cannot be given {what} (`principal.{field}`)")
    p = case.get("policies") or {}
    if p.get("organizations"):
        raise Unsupported(f"{evaluator} cannot be given `policies.organizations` (accounts in or out of organizations, each with its own SCP and RCP path)")
    if p.get("vpc_endpoint"):
        raise Unsupported(f"{evaluator} has no VPC endpoint policies (`policies.vpc_endpoint`)")
    if any("inline" in pol for pol in p.get("identity") or []):
        raise Unsupported(f"{evaluator} cannot be told which entity an inline policy is embedded in (`inline`), whose aggregate size quota decides policy-too-large")


def parse_document(policy: dict[str, Any], evaluator: str = "the evaluator") -> dict[str, Any]:
    """The policy document as a JSON value; text that is not JSON is `Unsupported` (the evaluator
    takes parsed documents, so Python's parser, not the evaluator, would be the one rejecting it)."""
    doc = policy["document"]
    if not isinstance(doc, str):
        return doc
    try:
        return json.loads(doc, object_pairs_hook=_no_repeated_names)
    except _RepeatedName as e:
        # json.loads keeps the last of repeated member names: the evaluator would see a document
        # the text does not say.
        raise Unsupported(
            f"{evaluator} takes parsed policy documents; the text of {policy['id']} repeats the "
            f"member name {json.dumps(e.name)} in one object, which a parsed document cannot carry"
        ) from e
    except ValueError as e:
        raise Unsupported(
            f"{evaluator} takes parsed policy documents; the text of {policy['id']} is not JSON ({e})"
        ) from e


class _RepeatedName(Exception):
    """A JSON object of a policy text names the same member twice."""

    def __init__(self, name: str):
        super().__init__(name)
        self.name = name


def _no_repeated_names(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in pairs:
        if name in out:
            raise _RepeatedName(name)
        out[name] = value
    return out


def document_text(policy: dict[str, Any]) -> str:
    """The exact policy text: the string itself, or the object serialised."""
    doc = policy["document"]
    return doc if isinstance(doc, str) else json.dumps(doc)


def context_values(entries: list[dict[str, Any]]) -> dict[str, Any]:
    """Context entries as `{key: value}`: a string for single-valued types, a list for *List types."""
    out: dict[str, Any] = {}
    for e in entries or []:
        out[e["key"]] = list(e["values"]) if e["type"] in LIST_TYPES else e["values"][0]
    return out


def account_of(arn: str) -> str | None:
    """The 12-digit account of an ARN, if it has one."""
    parts = (arn or "").split(":")
    if len(parts) >= 5 and len(parts[4]) == 12 and parts[4].isdigit():
        return parts[4]
    return None


def principal_account(case: dict[str, Any]) -> str | None:
    pr = case.get("principal") or {}
    return pr.get("account") or account_of(pr.get("arn", ""))


def resource_kind_of_arn(arn: str) -> str:
    """The kind of resource-based policy a resource ARN implies (the case format's default for
    `policies.resource_kind`): role-trust, kms-key, bucket, queue, topic, secret or other."""
    parts = (arn or "").split(":", 5)
    if len(parts) < 6 or parts[0] != "arn":
        return "other"
    service, resource = parts[2], parts[5]
    if service == "s3":
        return "bucket"
    if service == "iam" and resource.startswith("role/"):
        return "role-trust"
    if service == "kms" and resource.startswith("key/"):
        return "kms-key"
    return {"sqs": "queue", "sns": "topic", "secretsmanager": "secret"}.get(service, "other")


def check_resource_kind(case: dict[str, Any], evaluator: str) -> None:
    """Raise `Unsupported` when the case states a resource-policy kind (`policies.resource_kind`)
    other than the one its resource ARNs imply: evaluators read the kind from the ARN only."""
    kind = (case.get("policies") or {}).get("resource_kind")
    if kind is None:
        return
    for req in case.get("requests") or []:
        for r in req.get("resources") or [req.get("resource") or {}]:
            implied = resource_kind_of_arn(r.get("arn", ""))
            if implied != kind:
                raise Unsupported(
                    f"{evaluator} reads the kind of resource-based policy from the resource ARN "
                    f"({implied} for {r.get('arn')!r}); the case says {kind}"
                )


def request_targets(req: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Each resource of a request with its full context (the request's plus the resource's own)."""
    resources = req.get("resources") or [req["resource"]]
    return [
        (r, context_values(list(req.get("context") or []) + list(r.get("context") or [])))
        for r in resources
    ]


def combine(per_resource: list[dict[str, Any]]) -> dict[str, Any]:
    """One request's answer from its resources' answers (case-format rule for `resources`)."""
    if len(per_resource) == 1:
        return per_resource[0]
    for r in per_resource:
        if "error" in r or r.get("skipped"):
            return r
    decisions = [r["decision"] for r in per_resource]
    if "explicitDeny" in decisions:
        decision = "explicitDeny"
    elif all(d == "allowed" for d in decisions):
        decision = "allowed"
    else:
        decision = "implicitDeny"
    return {"decision": decision, "resources": per_resource}


# The protocol channel. While a case runs, sys.stdout points elsewhere, so that whatever the
# evaluator prints cannot corrupt the answer lines.
_PROTOCOL_OUT = sys.stdout


def _send(obj: dict[str, Any]) -> None:
    _PROTOCOL_OUT.write(json.dumps(obj) + "\n")
    _PROTOCOL_OUT.flush()


def serve(
    implementation: dict[str, Any],
    run_case: Callable[[dict[str, Any]], dict[str, Any]],
) -> None:
    """Answer protocol lines on stdin until `stop` or end of input.

    `run_case(case)` returns `{"results": [...]}` or `{"skipped": True, "message": ...}`; it may
    raise `Unsupported` (whole case skipped) or `Rejected` (every request answers that error kind).
    Anything else it raises becomes `errored`, with what the evaluator wrote meanwhile (stdout
    and stderr, both kept off the protocol channel).
    """
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            msg = json.loads(line)
        except ValueError as e:
            print(f"adapter: not JSON: {e}", file=sys.stderr)
            continue
        cmd = msg.get("cmd")
        if cmd == "start":
            if msg.get("version") != PROTOCOL_VERSION:
                print(f"adapter: protocol version {msg.get('version')} unsupported", file=sys.stderr)
                sys.exit(2)
            _send({"version": PROTOCOL_VERSION, "implementation": implementation})
        elif cmd == "run":
            seq = msg.get("seq")
            captured = io.StringIO()
            try:
                with contextlib.redirect_stderr(captured), contextlib.redirect_stdout(captured):
                    answer = run_case(msg["case"])
            except Unsupported as e:
                answer = {"skipped": True, "message": str(e)}
            except Rejected as e:
                answer = {
                    "results": [{"error": e.kind, "message": str(e)} for _ in msg["case"]["requests"]]
                }
            except Exception as e:  # noqa: BLE001 - any failure of one case is reported, not fatal
                answer = {
                    "errored": True,
                    "context": {
                        "message": f"{type(e).__name__}: {e}",
                        "traceback": traceback.format_exc(),
                        "stderr": captured.getvalue()[-4000:],
                    },
                }
            sys.stderr.write(captured.getvalue())
            _send({"seq": seq, **answer})
        elif cmd == "stop":
            sys.exit(0)
        else:
            print(f"adapter: unknown cmd {cmd!r}", file=sys.stderr)
