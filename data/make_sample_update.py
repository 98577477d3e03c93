#!/usr/bin/env python3
"""Writes data/sample-feed-update.json: the next delivery of the sample feed.

It holds, after data/sample-feed.json (read from beside this script):
  - a new version of the "login-example-bank.example" indicator, revoked;
  - a new version of the "files.example.net/invoice.zip" indicator whose
    pattern now names another URL (the old value must leave every output);
  - one new TLP:GREEN indicator, and the marking definitions referenced.
Running `ingest` on the first file and then on this one shows the store's
incremental behaviour: the revoked and replaced values are removed from
every blocklist and lookup, the new one is added, and the summary says so.
"""
import copy
import json
import uuid
from pathlib import Path

HERE = Path(__file__).parent
feed = json.loads((HERE / "sample-feed.json").read_text())
by_pattern = {o.get("pattern"): o for o in feed["objects"] if o["type"] == "indicator"}
T1 = "2024-07-01T09:30:00.000Z"

revoked = copy.deepcopy(by_pattern["[domain-name:value = 'login-example-bank.example']"])
revoked["modified"] = T1
revoked["revoked"] = True

moved = copy.deepcopy(by_pattern["[url:value = 'https://files.example.net/invoice.zip']"])
moved["modified"] = T1
moved["pattern"] = "[url:value = 'https://files.example.net/statement.zip']"
moved["description"] = "The payload moved to a new file name."

NS = uuid.UUID("5f6b0f0e-3d4c-4b7a-9a61-2f1e0d9c8b7a")
new = {
    "type": "indicator", "spec_version": "2.1",
    "id": "indicator--%s" % uuid.uuid5(NS, "update-check.example.org"),
    "created": T1, "modified": T1, "created_by_ref": revoked["created_by_ref"],
    "name": "C2 domain", "indicator_types": ["malicious-activity"],
    "pattern": "[domain-name:value = 'update-check.example.org']",
    "pattern_type": "stix", "pattern_version": "2.1",
    "valid_from": "2024-07-01T00:00:00Z", "valid_until": "2030-12-31T00:00:00Z",
    "object_marking_refs": revoked["object_marking_refs"],
}
wanted = set()
for o in (revoked, moved, new):
    wanted.update(o.get("object_marking_refs", []))
markings = [o for o in feed["objects"] if o["type"] == "marking-definition" and o["id"] in wanted]

bundle = {
    "type": "bundle",
    "id": "bundle--%s" % uuid.uuid5(NS, "sample-feed-update"),
    "objects": markings + [revoked, moved, new],
}
out = HERE / "sample-feed-update.json"
out.write_text(json.dumps(bundle, indent=2, ensure_ascii=False) + "\n")
print(f"{out}: {len(bundle['objects'])} objects")
