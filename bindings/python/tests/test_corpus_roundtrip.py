"""Real bundles (shared/corpus/real): parse, then serialise, gives the same
JSON; every object of valid/ comes through valid."""

from __future__ import annotations

import json

import libstix
import pytest

from conftest import shared

REAL = shared("corpus", "real")
VALID = sorted((REAL / "valid").rglob("*.json"))
QUIRKS = sorted((REAL / "quirks").rglob("*.json"))


def test_corpus_is_there():
    assert len(VALID) > 50 and len(QUIRKS) > 10


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.parent.name + "/" + p.name)
def test_valid_file_round_trips_with_no_invalid_object(path):
    raw = path.read_bytes()
    doc = libstix.parse(raw)
    assert json.loads(doc.serialize()) == json.loads(raw)
    assert doc.to_dict() == json.loads(raw)
    if isinstance(doc, libstix.Bundle):
        assert doc.invalid == []
        expected = json.loads(raw).get("objects", [])
        assert len(doc) == len(expected)
        # Each object alone is also lossless.
        for obj, src in zip(doc.objects, expected):
            assert obj.id == src["id"] and obj.type == src["type"]
            assert json.loads(obj.serialize()) == src


@pytest.mark.parametrize("path", QUIRKS, ids=lambda p: p.parent.name + "/" + p.name)
def test_quirks_file_keeps_every_element(path):
    raw = path.read_bytes()
    doc = libstix.parse(raw)
    src = json.loads(raw)
    assert json.loads(doc.serialize()) == src
    if isinstance(doc, libstix.Bundle):
        # Valid objects plus invalid elements account for every element.
        assert len(doc.objects) + len(doc.invalid) == len(src["objects"])
        for bad in doc.invalid:
            assert bad.to_dict() == src["objects"][bad.index]
            assert bad.path == f"/objects/{bad.index}"
            assert any(d.severity == "error" for d in bad.diagnostics)


def test_parse_file_and_iter_objects_agree_on_the_corpus():
    for path in VALID[:20] + QUIRKS:
        doc = libstix.parse_file(path)
        if not isinstance(doc, libstix.Bundle):
            continue
        streamed = list(libstix.iter_objects(path))
        ids = [o.id for o in streamed if isinstance(o, libstix.StixObject)]
        assert ids == [o.id for o in doc.objects]
        assert [i.path for i in streamed if isinstance(i, libstix.InvalidItem)] == [
            i.path for i in doc.invalid
        ]
