#!/usr/bin/env python3
"""Loads every MISP event JSON that `ingest` wrote with PyMISP and fails on
any complaint: an exception, a warning, or a log record at WARNING or above
from PyMISP; checks that what PyMISP loaded is what the file says.

    usage: check_misp.py DIR...   (searched recursively for misp-event.json)
"""
import json
import logging
import sys
import warnings
from pathlib import Path

from pymisp import MISPEvent

complaints = []


class Collect(logging.Handler):
    def emit(self, record):
        complaints.append(record.getMessage())


logging.getLogger("pymisp").addHandler(Collect(level=logging.WARNING))
logging.getLogger("pymisp").setLevel(logging.WARNING)
warnings.simplefilter("error")

files = sorted(p for d in sys.argv[1:] for p in Path(d).rglob("misp-event.json"))
if not files:
    sys.exit("no misp-event.json under %s" % " ".join(sys.argv[1:]))
total = 0
for f in files:
    raw = json.loads(f.read_text())["Event"]
    event = MISPEvent()
    event.load_file(str(f))
    if complaints:
        sys.exit("%s: PyMISP complained: %s" % (f, complaints))
    want = [(a["type"], a["value"], a["to_ids"]) for a in raw["Attribute"]]
    got = [(a.type, a.value, a.to_ids) for a in event.attributes]
    assert got == want, (f, got[:5], want[:5])
    assert event.uuid == raw["uuid"] and event.info == raw["info"], f
    tags = {t.name for t in event.tags}
    assert any(t.startswith("tlp:") for t in tags), (f, tags)
    for a in event.attributes:
        assert any(t.name.startswith("tlp:") for t in a.tags), (f, a.value)
    # Round trip through PyMISP's own serialiser.
    again = MISPEvent()
    again.from_json(event.to_json())
    assert len(again.attributes) == len(event.attributes), f
    total += len(event.attributes)
    print("ok: %s: %d attributes, tags %s" % (f, len(event.attributes), sorted(tags)[:3]))
print("PyMISP loaded %d event(s), %d attribute(s), without complaint" % (len(files), total))
