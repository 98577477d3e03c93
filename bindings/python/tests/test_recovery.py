"""Bad elements never take the good ones with them; strict mode raises a
typed error carrying every diagnostic."""

from __future__ import annotations

import json

import libstix
import pytest

GOOD = {
    "type": "identity",
    "spec_version": "2.1",
    "id": "identity--311b2d2d-f010-4473-83ec-1edf84858f4c",
    "created": "2024-01-01T00:00:00.000Z",
    "modified": "2024-01-01T00:00:00.000Z",
    "name": "ACME",
    "x_acme_rank": 3,
}
BAD_TS = dict(GOOD, id="identity--a463ffb3-1bd9-4d94-b02d-74e4f1658283", created="2024-13-01T00:00:00Z")
NOT_OBJECT = 42
NO_ID = {"type": "malware", "spec_version": "2.1", "name": "x", "is_family": False}


def bundle(*objects):
    return json.dumps(
        {"type": "bundle", "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d", "objects": list(objects)},
        indent=1,
    )


def test_invalid_elements_are_set_aside_with_diagnostics():
    text = bundle(GOOD, BAD_TS, NOT_OBJECT, NO_ID)
    b = libstix.parse(text)
    assert isinstance(b, libstix.Bundle)
    assert [o.id for o in b.objects] == [GOOD["id"]]
    assert [i.index for i in b.invalid] == [1, 2, 3]
    bad = b.invalid[0]
    assert bad.id == BAD_TS["id"] and bad.type == "identity" and bad.path == "/objects/1"
    d = bad.diagnostics[0]
    assert d.severity == "error" and d.object_id == BAD_TS["id"]
    assert d.path == "/objects/1/created"
    assert d.rule.startswith("STIX-TS")
    assert "created" in d.message
    assert bad.line > 1 and bad.column >= 1
    assert b.invalid[1].id is None and b.invalid[1].to_dict() == 42
    assert b.invalid[2].diagnostics[0].rule
    # The whole bundle, invalid elements included, is written back as read.
    assert json.loads(b.serialize()) == json.loads(text)
    assert "InvalidItem(path='/objects/1'" in repr(bad)


def test_strict_mode_raises_validation_error_with_every_diagnostic():
    text = bundle(GOOD, BAD_TS, NO_ID)
    with pytest.raises(libstix.ValidationError) as info:
        libstix.parse(text, strict=True)
    err = info.value
    assert isinstance(err, ValueError) and isinstance(err, libstix.LibstixError)
    assert "2 of 3 objects invalid" in str(err)
    paths = [d.path for d in err.diagnostics]
    assert "/objects/1/created" in paths
    assert any(p.startswith("/objects/2") for p in paths)
    for d in err.diagnostics:
        assert {"object_id", "path", "rule", "severity", "message", "line", "column"} <= set(d.to_dict())
        assert d.severity == "error"
    ts = next(d for d in err.diagnostics if d.path == "/objects/1/created")
    assert ts.object_id == BAD_TS["id"]
    assert ts.line is not None and ts.column is not None


def test_lone_invalid_object_raises():
    with pytest.raises(libstix.ValidationError) as info:
        libstix.parse(json.dumps(BAD_TS))
    assert info.value.diagnostics[0].path == "/created"


def test_allow_custom_false_refuses_custom_content():
    b = libstix.parse(bundle(GOOD), allow_custom=False)
    assert len(b) == 0 and len(b.invalid) == 1
    d = b.invalid[0].diagnostics[0]
    assert d.rule == "STIX-CUS-06" and d.path == "/objects/0/x_acme_rank"
    plain = {k: v for k, v in GOOD.items() if k != "x_acme_rank"}
    assert len(libstix.parse(bundle(plain), allow_custom=False)) == 1
    custom_type = {
        "type": "x-acme-widget",
        "spec_version": "2.1",
        "id": "x-acme-widget--5d0092c5-5f74-4287-9642-33f4c354e56d",
        "created": "2024-01-01T00:00:00.000Z",
        "modified": "2024-01-01T00:00:00.000Z",
        "size": 3,
    }
    assert len(libstix.parse(bundle(custom_type))) == 1
    with pytest.raises(libstix.ValidationError) as info:
        libstix.parse(json.dumps(custom_type), allow_custom=False)
    assert info.value.diagnostics[0].rule == "STIX-CUS-06"


def test_custom_properties_are_reachable_and_kept():
    obj = libstix.parse(json.dumps(GOOD))
    assert obj.x_acme_rank == 3 and obj["x_acme_rank"] == 3
    assert obj.get("missing") is None and obj.get("missing", 7) == 7
    assert "x_acme_rank" in obj and "missing" not in obj
    with pytest.raises(KeyError):
        obj["missing"]
    with pytest.raises(AttributeError):
        obj.missing
    assert json.loads(obj.serialize()) == GOOD
    assert set(obj.keys()) == set(GOOD) and set(obj) == set(GOOD) and len(obj) == len(GOOD)
    assert dict(obj.items())["name"] == "ACME"


def test_malformed_json_raises_parse_error_with_position():
    text = '{"type": "bundle",\n  "objects": [\n    {"type": "identity", }\n  ]}'
    with pytest.raises(libstix.ParseError) as info:
        libstix.parse(text)
    assert info.value.line == 3 and info.value.column > 1
    assert isinstance(info.value, ValueError)


def test_bundle_accessors_like_stix2():
    b = libstix.parse(bundle(GOOD, dict(GOOD, modified="2024-02-01T00:00:00.000Z")))
    assert b.id == "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d" and b.type == "bundle"
    assert b["id"] == b.id and b["type"] == "bundle"
    assert [o.id for o in b["objects"]] == [GOOD["id"]] * 2
    assert b[0].modified < b[-1].modified
    with pytest.raises(IndexError):
        b[2]
    assert len(b.get_obj(GOOD["id"])) == 2 and b.get_obj("identity--nope") == []
    assert [o.id for o in b] == [o.id for o in b.objects]


def test_warnings_equality_and_invalid_item_serialisation():
    # A SHOULD-level finding keeps the object valid and is attached to it.
    ind = {
        "type": "indicator",
        "spec_version": "2.1",
        "id": "indicator--b2256110-d660-413b-bd70-3b61aa80bb6c",
        "created": "2024-01-24T12:38:07.927Z",
        "modified": "2024-01-24T12:38:07.927Z",
        "pattern": "[ipv4-addr:value = '198.51.100.7']",
        "pattern_type": "stix",
        "valid_from": "2024-01-24T12:38:07Z",
        "acme_rank": 1,
    }
    b = libstix.parse(bundle(ind, BAD_TS))
    obj = b[0]
    assert obj.warnings and all(w.severity == "warning" for w in obj.warnings)
    assert any("acme_rank" in w.path for w in obj.warnings)
    kinds = {d.severity for d in b.all_diagnostics()}
    assert "error" in kinds
    assert len(b.all_diagnostics()) == len(obj.warnings) + len(b.invalid[0].diagnostics) + len(b.diagnostics)
    assert json.loads(b.invalid[0].serialize()) == BAD_TS
    assert json.loads(b.invalid[0].serialize(pretty=True)) == BAD_TS
    again = libstix.parse(obj.serialize())
    assert again == obj and hash(again) == hash(obj) and again != b.invalid[0]


def test_timestamp_from_nanoseconds_round_trip():
    t = libstix.Timestamp("2023-11-12T14:16:48.169979861Z")
    assert str(libstix.Timestamp.from_nanoseconds(t.nanoseconds, 9)) == str(t)
    assert str(libstix.Timestamp.from_nanoseconds(t.nanoseconds)) == "2023-11-12T14:16:48.169Z"
    assert str(libstix.Timestamp.from_nanoseconds(0, 0)) == "1970-01-01T00:00:00Z"
    assert libstix.Timestamp.from_nanoseconds(-1, 9) < libstix.Timestamp("1970-01-01T00:00:00Z")
