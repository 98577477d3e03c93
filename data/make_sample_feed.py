#!/usr/bin/env python3
"""Writes data/sample-feed.json: the sample STIX 2.1 feed `ingest` reads by default.

Deterministic (seeded), standard library only. All content is fictitious and
uses documentation ranges (RFC 5737 / RFC 3849 addresses, example.* domains).
"""
import json
import random
import uuid
from pathlib import Path

rng = random.Random(20240611)


def new_id(t):
    return f"{t}--{uuid.UUID(int=rng.getrandbits(128), version=4)}"


T0 = "2024-06-11T08:00:00.000Z"
objects = []

TLP1 = {
    "white": ("marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", "TLP:WHITE"),
    "green": ("marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", "TLP:GREEN"),
    "amber": ("marking-definition--f88d31f6-486f-44da-b317-01333bde0b82", "TLP:AMBER"),
    "red": ("marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed", "TLP:RED"),
}
TLP2 = {
    "clear": ("marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", "TLP:CLEAR"),
    "green": ("marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", "TLP:GREEN"),
    "amber": ("marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", "TLP:AMBER"),
    "amber+strict": ("marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003", "TLP:AMBER+STRICT"),
    "red": ("marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", "TLP:RED"),
}
TLP2_EXT = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"

for level in ("green", "amber", "red"):
    mid, name = TLP1[level]
    objects.append({
        "type": "marking-definition", "spec_version": "2.1", "id": mid,
        "created": "2017-01-20T00:00:00.000Z", "definition_type": "tlp",
        "name": name, "definition": {"tlp": level},
    })
for level in ("clear", "green", "amber+strict", "red"):
    mid, name = TLP2[level]
    objects.append({
        "type": "marking-definition", "spec_version": "2.1", "id": mid,
        "created": "2022-10-01T00:00:00.000Z", "name": name,
        "extensions": {TLP2_EXT: {"extension_type": "property-extension", "tlp_2_0": level}},
    })

producer = new_id("identity")
statement = new_id("marking-definition")
objects.append({
    "type": "identity", "spec_version": "2.1", "id": producer, "created": T0, "modified": T0,
    "name": "Example CTI Team", "identity_class": "organization", "sectors": ["technology"],
    "object_marking_refs": [TLP2["clear"][0]],
})
objects.append({
    "type": "marking-definition", "spec_version": "2.1", "id": statement,
    "created": T0, "created_by_ref": producer, "definition_type": "statement",
    "definition": {"statement": "Copyright 2024 Example CTI Team. Redistribution within the sharing community only."},
})
victim = new_id("identity")
objects.append({
    "type": "identity", "spec_version": "2.1", "id": victim, "created": T0, "modified": T0,
    "created_by_ref": producer, "name": "Example Regional Bank", "identity_class": "organization",
    "sectors": ["financial-services"], "object_marking_refs": [TLP2["red"][0]],
})

MARKS = [
    [TLP2["green"][0]], [TLP2["amber+strict"][0]], [TLP1["green"][0]], [TLP1["amber"][0]],
    [TLP2["clear"][0], statement], [TLP2["red"][0]], [TLP1["red"][0]], None,
]


def sdo(t, i, **props):
    o = {"type": t, "spec_version": "2.1", "id": new_id(t), "created": T0, "modified": T0,
         "created_by_ref": producer}
    o.update(props)
    marks = MARKS[i % len(MARKS)]
    if marks:
        o["object_marking_refs"] = marks
    objects.append(o)
    return o["id"]


KC = "mitre-attack"
aps = [sdo("attack-pattern", i, name=n, external_references=[{"source_name": "capec", "external_id": c}],
           kill_chain_phases=[{"kill_chain_name": KC, "phase_name": p}])
       for i, (n, c, p) in enumerate([
           ("Spear Phishing", "CAPEC-163", "initial-access"),
           ("Exploit Public-Facing Application", "CAPEC-10", "initial-access"),
           ("Command and Control over HTTPS", "CAPEC-616", "command-and-control"),
       ])]
malware = [sdo("malware", i, name=n, is_family=True, malware_types=t, description=d)
           for i, (n, t, d) in enumerate([
               ("NightOwl Loader", ["downloader", "dropper"], "Loader delivered by phishing attachments."),
               ("GlassFrog RAT", ["remote-access-trojan"], "Remote access trojan speaking HTTPS to its controllers."),
               ("PaperCut Wiper", ["wiper"], "Destructive payload seen after the initial intrusion."),
               ("Sandpiper Stealer", ["spyware"], "Browser credential stealer."),
           ])]
actors = [sdo("threat-actor", i + 1, name=n, threat_actor_types=["crime-syndicate"], sophistication="advanced",
              first_seen="2023-02-01T00:00:00Z", last_seen="2024-06-01T00:00:00Z")
          for i, n in enumerate(["Copper Heron", "Silent Marten"])]
sets = [sdo("intrusion-set", i + 2, name=n, primary_motivation="personal-gain")
        for i, n in enumerate(["Heron Cluster 1", "Marten Cluster 2"])]
campaigns = [sdo("campaign", i + 3, name=n, objective="Credential theft at regional banks",
                 first_seen="2024-03-01T00:00:00Z", last_seen="2024-05-30T00:00:00Z")
             for i, n in enumerate(["Operation Low Tide", "Operation Paper Trail"])]
coas = [sdo("course-of-action", i, name=n, description=d) for i, (n, d) in enumerate([
    ("Block listed domains at the resolver", "Sinkhole the domains of this feed."),
    ("Patch public-facing VPN appliances", "Apply vendor fixes for exploited appliances."),
    ("Hunt for loader hashes", "Search endpoints for the listed file hashes."),
])]

PATTERNS = [
    ("Phishing domain", "[domain-name:value = 'login-example-bank.example']"),
    ("Phishing domain", "[domain-name:value = 'secure-update.example.net']"),
    ("C2 domain", "[domain-name:value = 'cdn-sync.example.org']"),
    ("C2 domain", "[domain-name:value = 'telemetry.example.com']"),
    ("C2 address", "[ipv4-addr:value = '198.51.100.23']"),
    ("C2 address", "[ipv4-addr:value = '203.0.113.77']"),
    ("C2 network", "[ipv4-addr:value = '192.0.2.0/24']"),
    ("C2 address (IPv6)", "[ipv6-addr:value = '2001:db8::4f']"),
    ("Payload URL", "[url:value = 'https://files.example.net/invoice.zip']"),
    ("Payload URL", "[url:value = 'http://198.51.100.23/gate.php']"),
    ("Loader hash", "[file:hashes.'SHA-256' = '6db12788c37247f2316052e142f42f4b259d6561751e5f401a1ae2a6df9c674b']"),
    ("Loader hash", "[file:hashes.MD5 = '3773a88f65a5e780c8dff9cdc3a056f3']"),
    ("Wiper hash", "[file:hashes.'SHA-1' = 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3']"),
    ("Stealer drop names", "[file:name = 'svchost32.exe'] OR [file:name = 'updater64.exe']"),
    ("Phishing sender", "[email-addr:value = 'billing@example-invoices.example']"),
    ("Domain set", "[domain-name:value IN ('a.example.com', 'b.example.com', 'c.example.com')]"),
    ("Mutex", "[mutex:name = 'Global\\\\NightOwlLoaderMutex']"),
    ("Registry persistence", "[windows-registry-key:key = 'HKEY_CURRENT_USER\\\\Software\\\\Microsoft\\\\Windows\\\\CurrentVersion\\\\Run\\\\Updater']"),
    ("Beacon sequence", "[domain-name:value = 'cdn-sync.example.org'] FOLLOWEDBY [ipv4-addr:value = '198.51.100.23'] WITHIN 300 SECONDS"),
    ("Large exfiltration", "[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_byte_count > 100000000]"),
    ("Staging host", "[ipv4-addr:value = '203.0.113.5']"),
    ("Phishing domain", "[domain-name:value = 'account-verify.example']"),
]
indicators = []
for i, (name, pattern) in enumerate(PATTERNS):
    props = dict(name=name, indicator_types=["malicious-activity"], pattern=pattern, pattern_type="stix",
                 pattern_version="2.1", valid_from="2024-06-01T00:00:00Z")
    if i == 20:
        props["revoked"] = True
    elif i == 3:
        # One indicator whose validity window is over: it must stay out of
        # every blocklist and lookup.
        props["valid_until"] = "2024-12-31T00:00:00Z"
    else:
        props["valid_until"] = "2030-12-31T00:00:00Z"
    indicators.append(sdo("indicator", i, **props))


def rel(rtype, src, dst, i):
    return sdo("relationship", i, relationship_type=rtype, source_ref=src, target_ref=dst)


for i, ind in enumerate(indicators):
    rel("indicates", ind, malware[i % len(malware)], i)
for i, m in enumerate(malware):
    rel("uses", m, aps[i % len(aps)], i)
    rel("uses", actors[i % 2], m, i + 1)
for i in range(2):
    rel("attributed-to", sets[i], actors[i], i)
    rel("attributed-to", campaigns[i], sets[i], i + 2)
    rel("targets", campaigns[i], victim, 5)
for i, coa in enumerate(coas):
    rel("mitigates", coa, aps[i], i)

objects.append({
    "type": "sighting", "spec_version": "2.1", "id": new_id("sighting"), "created": T0, "modified": T0,
    "created_by_ref": producer, "sighting_of_ref": indicators[4], "where_sighted_refs": [victim],
    "first_seen": "2024-06-03T10:15:00Z", "last_seen": "2024-06-03T11:40:00Z", "count": 17,
    "object_marking_refs": [TLP2["red"][0]],
})
sdo("report", 1, name="Copper Heron targets regional banks", published=T0,
    report_types=["threat-report"], object_refs=[actors[0], malware[0], malware[1], campaigns[0]] + indicators[:6])

bundle = {"type": "bundle", "id": new_id("bundle"), "objects": objects}
out = Path(__file__).with_name("sample-feed.json")
out.write_text(json.dumps(bundle, indent=2, ensure_ascii=False) + "\n")
print(f"{out}: {len(objects)} objects")
