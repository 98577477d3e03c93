#!/usr/bin/env python3
"""Writes the data file of the project's local TAXII 2.1 test server
(medallion 3.0.0, memory backend).

    usage: make_data.py BASE_URL OUT_FILE

The content is synthetic and deterministic (ids are name-based UUIDs), and
matches the facts the taxii-client integration tests rely on:

api1 (max_content_length 1 MiB)
  threat-feed  read-only   250 object versions / 210 ids, in date_added order:
               200 first versions, one every 30 minutes from 2024-01-01T00:00Z
               (identity, 119 indicators, 40 malware, 20 attack-patterns,
               20 relationships), except three runs sharing one date_added at
               positions 47-53, 66-72 and 117-122 (they straddle the page
               boundaries of limit=50 / limit=100);
               indicators 1-20 get two more versions (added 2024-03-01 and
               2024-04-01, one minute apart per indicator);
               10 ipv4-addr SCOs added 2024-05-01T12:00:00..09 (version =
               date_added, medallion keeps it in `_date_added`).
  sandbox      read/write  40 objects (every 4th a malware, else indicators)
  drop-box     write-only  empty
  locked       no access   5 attack-patterns
api2 (max_content_length 4096)
  mixed-spec   read/write  10 STIX 2.0 malware + 10 STIX 2.1 malware; the
               first five 2.1 ones are later versions of 2.0 ids.
"""
import json
import sys
import uuid
from datetime import datetime, timedelta, timezone

# Our own namespace for name-based ids.
NAMESPACE = uuid.UUID("0c3f7a52-9d41-4e8b-b6a2-5d7e19f0c4a3")

FEED = "5f1e8a3c-1b0d-4c7a-9e21-0a6b4d2f8c01"
SANDBOX = "a2c4e6f8-3b5d-4f71-8a9c-1e3d5f7b9d02"
DROPBOX = "c7d9e1f3-5a7b-4c9d-8e1f-3a5b7c9d1e03"
LOCKED = "e1f3a5b7-7c9d-4e1f-9a3b-5c7d9e1f3a04"
MIXED = "0b2d4f6a-8c1e-4a3c-9d5f-7e9a1c3e5a05"

STIX20 = "application/stix+json;version=2.0"
STIX21 = "application/stix+json;version=2.1"
UTC = timezone.utc


def random_style_id(stix_type, name):
    """A name-based id carrying the version-4 bits (STIX 2.0 demands v4)."""
    digest = uuid.uuid5(NAMESPACE, stix_type + ":" + name)
    return "%s--%s" % (stix_type, uuid.UUID(bytes=digest.bytes, version=4))


def sco_id(stix_type, name):
    return "%s--%s" % (stix_type, uuid.uuid5(NAMESPACE, stix_type + ":" + name))


def stix_time(dt):
    """STIX timestamp: millisecond precision."""
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (dt.microsecond // 1000)


def taxii_time(dt):
    """TAXII timestamp: microsecond precision."""
    return dt.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class Collection:
    def __init__(self, cid, title, can_read, can_write, media_types=(STIX21,)):
        self.resource = {
            "id": cid,
            "title": title,
            "description": "synthetic test collection: " + title,
            "can_read": can_read,
            "can_write": can_write,
            "media_types": list(media_types),
        }
        self.objects = []
        self.manifest = []

    def put(self, obj, added, media_type=STIX21):
        version = obj.get("modified", obj.get("created"))
        if version is None:
            # Objects without created/modified: the server versions them by
            # date_added, kept in a field the backend hides from clients.
            version = taxii_time(added)
            obj["_date_added"] = version
        self.objects.append(obj)
        self.manifest.append(
            {"id": obj["id"], "date_added": taxii_time(added), "version": version, "media_type": media_type}
        )

    def as_data(self):
        out = dict(self.resource)
        out["objects"] = self.objects
        out["manifest"] = self.manifest
        return out


EPOCH = datetime(2023, 6, 1, 8, 0, tzinfo=UTC)
PRODUCER = random_style_id("identity", "producer")


def sdo(stix_type, key, created, modified=None, **props):
    obj = {
        "type": stix_type,
        "spec_version": "2.1",
        "id": random_style_id(stix_type, key),
        "created": stix_time(created),
        "modified": stix_time(modified or created),
    }
    obj.update(props)
    return obj


def indicator(n, modified=None, revision=None):
    created = EPOCH + timedelta(days=n % 30, seconds=n)
    octet = n % 250 + 1
    address = ("198.51.100.%d" if n % 2 == 0 else "203.0.113.%d") % octet
    props = {
        "created_by_ref": PRODUCER,
        "name": "indicator %d" % n,
        "indicator_types": ["malicious-activity"],
        "pattern": "[ipv4-addr:value = '%s']" % address,
        "pattern_type": "stix",
        "valid_from": stix_time(created),
    }
    if revision:
        props["description"] = "revision %d" % revision
    return sdo("indicator", "indicator-%d" % n, created, modified, **props)


def malware(n, created):
    return sdo("malware", "malware-%d" % n, created, created_by_ref=PRODUCER,
               name="malware %d" % n, is_family=(n % 3 == 0),
               malware_types=["trojan" if n % 2 else "ransomware"])


def threat_feed():
    c = Collection(FEED, "threat-feed", True, False)
    firsts = [sdo("identity", "producer", EPOCH, name="Loopback Producer", identity_class="organization")]
    firsts += [indicator(n) for n in range(1, 120)]
    firsts += [malware(n, EPOCH + timedelta(days=n, minutes=7)) for n in range(1, 41)]
    firsts += [sdo("attack-pattern", "technique-%d" % n, EPOCH + timedelta(days=n, minutes=11),
                   name="technique %d" % n) for n in range(1, 21)]
    firsts += [sdo("relationship", "rel-%d" % n, EPOCH + timedelta(days=40, minutes=n),
                   relationship_type="indicates",
                   source_ref=random_style_id("indicator", "indicator-%d" % n),
                   target_ref=random_style_id("malware", "malware-%d" % n)) for n in range(1, 21)]
    assert len(firsts) == 200
    start = datetime(2024, 1, 1, tzinfo=UTC)
    ties = [(47, 53), (66, 72), (117, 122)]
    for pos, obj in enumerate(firsts):
        slot = next((lo for lo, hi in ties if lo <= pos <= hi), pos)
        c.put(obj, start + timedelta(minutes=30 * slot))
    for revision, month in ((1, 3), (2, 4)):
        for n in range(1, 21):
            modified = datetime(2024, month - 1, 1, 0, 0, n, tzinfo=UTC) + timedelta(days=19)
            c.put(indicator(n, modified, revision), datetime(2024, month, 1, tzinfo=UTC) + timedelta(minutes=n))
    for k in range(10):
        c.put({"type": "ipv4-addr", "spec_version": "2.1", "id": sco_id("ipv4-addr", "addr-%d" % k),
               "value": "192.0.2.%d" % (k + 1)}, datetime(2024, 5, 1, 12, 0, k, tzinfo=UTC))
    return c


def sandbox():
    c = Collection(SANDBOX, "sandbox", True, True)
    for n in range(1, 41):
        created = EPOCH + timedelta(days=60 + n)
        obj = malware(1000 + n, created) if n % 4 == 0 else indicator(1000 + n, created)
        c.put(obj, datetime(2024, 6, 1, tzinfo=UTC) + timedelta(hours=n))
    return c


def locked():
    c = Collection(LOCKED, "locked", False, False)
    for n in range(1, 6):
        c.put(sdo("attack-pattern", "locked-%d" % n, EPOCH, name="locked technique %d" % n),
              datetime(2024, 7, 1, n, tzinfo=UTC))
    return c


def mixed_spec():
    c = Collection(MIXED, "mixed-spec", True, True, media_types=(STIX20, STIX21))
    added = datetime(2024, 8, 1, tzinfo=UTC)
    for n in range(1, 11):
        created = EPOCH + timedelta(days=100 + n)
        c.put({"type": "malware", "id": random_style_id("malware", "mixed-%d" % n),
               "created": stix_time(created), "modified": stix_time(created),
               "name": "mixed %d (2.0)" % n, "labels": ["trojan"]}, added, STIX20)
        added += timedelta(hours=1)
    for n in range(1, 11):
        key = "mixed-%d" % n if n <= 5 else "mixed-only21-%d" % n
        created = EPOCH + timedelta(days=100 + n)
        obj = sdo("malware", key, created, created + timedelta(days=30),
                  name="mixed %d (2.1)" % n, is_family=False)
        c.put(obj, added)
        added += timedelta(hours=1)
    return c


def api_root(title, max_len, collections):
    return {
        "information": {"title": title, "description": title,
                        "versions": ["application/taxii+json;version=2.1"],
                        "max_content_length": max_len},
        "status": [],
        "collections": [c.as_data() for c in collections],
    }


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: make_data.py BASE_URL OUT_FILE")
    base, out = sys.argv[1].rstrip("/"), sys.argv[2]
    data = {
        "/discovery": {
            "title": "libstix loopback TAXII 2.1 test server",
            "description": "medallion with synthetic data for the taxii-client tests",
            "contact": "nobody@example.invalid",
            "default": base + "/api1/",
            "api_roots": [base + "/api1/", base + "/api2/"],
        },
        "api1": api_root("api1", 1048576, [threat_feed(), sandbox(), Collection(DROPBOX, "drop-box", False, True), locked()]),
        "api2": api_root("api2", 4096, [mixed_spec()]),
    }
    with open(out, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
