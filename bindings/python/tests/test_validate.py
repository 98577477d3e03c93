"""libstix.validate: a report, never an exception for bad content."""

from __future__ import annotations

import json

import libstix

from conftest import shared

IND = {
    "type": "indicator",
    "spec_version": "2.1",
    "id": "indicator--b2256110-d660-413b-bd70-3b61aa80bb6c",
    "created": "2024-01-24T12:38:07.927Z",
    "modified": "2024-01-24T12:38:07.927Z",
    "pattern": "[ipv4-addr:value = '198.51.100.7']",
    "pattern_type": "stix",
    "valid_from": "2024-01-24T12:38:07Z",
    "created_by_ref": "identity--311b2d2d-f010-4473-83ec-1edf84858f4c",
}


def bundle(*objects):
    return json.dumps({"type": "bundle", "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d", "objects": list(objects)})


def test_valid_bundle_report():
    r = libstix.validate(bundle(IND))
    assert r.valid and bool(r) and r.is_bundle
    assert r.bundle_id == "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d"
    assert r.counts_by_type == {"indicator": 1}
    (o,) = r.objects
    assert o.valid and o.id == IND["id"] and o.type == "indicator" and o.path == "/objects/0"
    # created_by_ref points outside the bundle: reported, as a warning.
    assert r.unresolved_refs and r.unresolved_refs[0]["target"] == IND["created_by_ref"]
    assert any(d.severity == "warning" for d in r.diagnostics)
    assert libstix.validate(bundle(IND), check_references=False).unresolved_refs == []
    d = r.to_dict()
    assert d["valid"] is True and d["objects"][0]["id"] == IND["id"]
    assert not libstix.validate(bundle(IND), warnings_as_errors=True).valid


def test_invalid_object_report():
    bad = dict(IND, pattern="[ipv4-addr:value = ", id="indicator--nope")
    r = libstix.validate(bundle(IND, bad))
    assert not r.valid and r.invalid_count == 1
    assert [o.valid for o in r.objects] == [True, False]
    paths = {d.path for d in r.objects[1].diagnostics}
    assert "/objects/1/id" in paths and "/objects/1/pattern" in paths
    assert any(d.path == "/objects/1/pattern" for d in r.all_diagnostics())
    assert libstix.validate(bundle(IND, bad), check_patterns=False).objects[1].diagnostics[0].path == "/objects/1/id"


def test_malformed_json_is_a_finding():
    r = libstix.validate('{"type": "bundle",\n "objects": [}')
    assert not r.valid
    (d,) = r.diagnostics
    assert d.rule == "STIX-JSON-01" and d.line == 2 and d.column is not None


def test_strict_mode_is_stricter():
    # A 2.1 bundle carrying spec_version: a warning when lenient, an error
    # in strict mode.
    text = json.dumps({"type": "bundle", "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d", "spec_version": "2.1", "objects": [IND]})
    assert libstix.validate(text, check_references=False).valid
    assert not libstix.validate(text, strict=True, check_references=False).valid


def test_corpus_verdicts_agree_with_parse():
    for path in sorted(shared("corpus", "real", "quirks").rglob("*.json")):
        raw = path.read_bytes()
        report = libstix.validate(raw, check_references=False)
        doc = libstix.parse(raw) if report.is_bundle else None
        if doc is None:
            continue
        assert sorted(o.index for o in report.objects if not o.valid) == [i.index for i in doc.invalid], path


GREEN = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"
RED = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"


def test_a_property_named_twice_makes_a_lone_object_invalid():
    # JSON parsers keep the last value: the TLP:RED marking would vanish.
    text = json.dumps(IND)[:-1] + f', "object_marking_refs": ["{RED}"], "object_marking_refs": ["{GREEN}"]}}'
    r = libstix.validate(text)
    assert not r.valid
    (o,) = r.objects
    assert not o.valid
    (d,) = [d for d in o.diagnostics if d.rule == "STIX-VAL-02"]
    assert d.path == "/object_marking_refs" and d.line == 1 and d.column > 0


def test_report_tlp_counts_granular_markings():
    ind = dict(IND, object_marking_refs=[GREEN], granular_markings=[{"marking_ref": RED, "selectors": ["pattern"]}])
    (o,) = libstix.validate(bundle(ind)).objects
    assert o.tlp == "TLP:RED"
    (o,) = libstix.validate(bundle(dict(IND, object_marking_refs=[GREEN]))).objects
    assert o.tlp == "TLP:GREEN"
