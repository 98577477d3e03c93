"""Hostile input: every failure is a typed Python exception, never a crash,
a hang or a PanicException."""

from __future__ import annotations

import json

import libstix
import pytest
from libstix import pattern

OBJ = {
    "type": "note",
    "spec_version": "2.1",
    "id": "note--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061",
    "created": "2024-01-01T00:00:00.000Z",
    "modified": "2024-01-01T00:00:00.000Z",
    "content": "x",
    "object_refs": ["malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b"],
}


def not_panic(exc: BaseException) -> None:
    assert type(exc).__name__ != "PanicException"
    assert isinstance(exc, Exception)


@pytest.mark.parametrize("depth", [200, 10_000, 200_000])
def test_deep_nesting_is_refused(depth):
    text = "[" * depth + "]" * depth
    with pytest.raises(libstix.ParseError) as info:
        libstix.parse(text)
    not_panic(info.value)
    nested = dict(OBJ, x_deep="[" * depth + "]" * depth)
    # As a string value the brackets are harmless text.
    assert libstix.parse(json.dumps(nested)).x_deep.startswith("[[")
    deep_value = '{"type":"note","x_deep":' + "[" * depth + "]" * depth + "}"
    with pytest.raises(libstix.LibstixError) as info:
        libstix.parse(deep_value)
    not_panic(info.value)
    report = libstix.validate(deep_value)
    assert not report.valid


def test_deep_bundle_element_keeps_neighbours():
    deep = "[" * 5000 + "]" * 5000
    text = '{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[%s,%s]}' % (
        json.dumps(OBJ),
        deep,
    )
    try:
        b = libstix.parse(text)
    except libstix.ParseError as e:  # refusing the document is fine too, if typed
        not_panic(e)
        return
    assert [o.id for o in b.objects] == [OBJ["id"]]


def test_invalid_utf8_bytes():
    raw = json.dumps(dict(OBJ, content="@@")).encode().replace(b"@@", b"\xff\xfe")
    with pytest.raises(libstix.ParseError) as info:
        libstix.parse(raw)
    assert info.value.line == 1
    assert not libstix.validate(raw).valid
    with pytest.raises(libstix.LibstixError):
        list(libstix.iter_objects(raw))


def test_lone_surrogate_in_str_input():
    with pytest.raises(libstix.ParseError) as info:
        libstix.parse('{"type": "note",\n "content": "\ud800"}')
    assert (info.value.line, info.value.column) == (2, 14)
    # The JSON escape of a lone surrogate is JSON-legal text: typed result.
    try:
        libstix.parse('{"type": "note", "id": "note--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061", "content": "\\ud800"}')
    except libstix.LibstixError as e:
        not_panic(e)


def test_huge_strings():
    big = "A" * (8 * 1024 * 1024)
    obj = libstix.parse(json.dumps(dict(OBJ, content=big)))
    assert len(obj.content) == len(big)
    with pytest.raises(libstix.PatternError):
        pattern.parse("[file:name = '" + big)
    assert pattern.validate_many(["[file:name = '" + big + "']"]) == [[]]
    with pytest.raises(libstix.ParseError):
        libstix.parse("\"" + big)


@pytest.mark.parametrize("bad", [123, 1.5, None, ["a"], object(), {1, 2}])
def test_wrong_types_raise_type_error(bad):
    with pytest.raises(TypeError):
        libstix.parse(bad)
    with pytest.raises(TypeError):
        libstix.validate(bad)
    with pytest.raises(TypeError):
        pattern.parse(bad)


def test_wrong_json_shapes():
    for text in ["", "   ", "null", "42", '"x"', "[]", "[1,2]", "{}", '{"type": 5}', '{"objects": 7}', "{" * 3]:
        with pytest.raises(libstix.LibstixError) as info:
            libstix.parse(text)
        not_panic(info.value)
        assert not libstix.validate(text).valid


def test_dict_input_and_unserialisable_dicts():
    assert libstix.parse(OBJ).id == OBJ["id"]
    with pytest.raises(TypeError):
        libstix.parse(dict(OBJ, x_thing=object()))
    cyclic: dict = dict(OBJ)
    cyclic["x_self"] = cyclic
    with pytest.raises(ValueError):
        libstix.parse(cyclic)


def test_hostile_patterns():
    for text in ["(" * 100_000, "[" * 100_000, "[a:b = '" + "\\" * 1001, "\x00", "[file:name = 'a'] " + "AND [file:name = 'a'] " * 20_000]:
        try:
            pattern.parse(text)
        except libstix.PatternError as e:
            not_panic(e)
            assert e.errors


def test_timestamp_hostile_values():
    for text in ["", "x" * 100_000, "2024-01-01T00:00:00." + "9" * 100_000 + "Z", "9999-12-31T23:59:60Z"]:
        try:
            ts = libstix.Timestamp(text)
        except ValueError:
            continue
        assert str(ts) == text
        ts.nanoseconds
    with pytest.raises((ValueError, OverflowError)):
        libstix.Timestamp.from_nanoseconds(10**40)
