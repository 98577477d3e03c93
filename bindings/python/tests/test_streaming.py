"""iter_objects: one object at a time from a file or bytes."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import libstix
import pytest

from conftest import make_scale_bundle

GOOD = {
    "type": "ipv4-addr",
    "spec_version": "2.1",
    "id": "ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4",
    "value": "198.51.100.3",
}
BAD = {"type": "ipv4-addr", "spec_version": "2.1", "id": "ipv4-addr--nope", "value": "198.51.100.4"}


def doc(*objects) -> bytes:
    return json.dumps({"type": "bundle", "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d", "objects": list(objects)}).encode()


def test_stream_from_bytes_yields_objects_and_invalid_items():
    it = libstix.iter_objects(doc(GOOD, BAD, GOOD))
    assert iter(it) is it
    items = list(it)
    assert [type(i).__name__ for i in items] == ["StixObject", "InvalidItem", "StixObject"]
    assert items[1].path == "/objects/1" and items[1].diagnostics[0].severity == "error"
    assert it.bundle_id == "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d"
    with pytest.raises(StopIteration):
        next(it)


def test_invalid_modes():
    assert len(list(libstix.iter_objects(doc(GOOD, BAD, GOOD), invalid="skip"))) == 2
    it = libstix.iter_objects(doc(GOOD, BAD, GOOD), invalid="raise")
    assert next(it).id == GOOD["id"]
    with pytest.raises(libstix.ValidationError) as info:
        next(it)
    assert "/objects/1" in str(info.value) and info.value.diagnostics
    assert list(it) == []
    with pytest.raises(ValueError):
        libstix.iter_objects(doc(GOOD), invalid="sometimes")


def test_stream_from_path_and_pathlike(tmp_path):
    p = tmp_path / "b.json"
    p.write_bytes(doc(GOOD, GOOD))
    assert [o.value for o in libstix.iter_objects(p)] == ["198.51.100.3"] * 2
    assert len(list(libstix.iter_objects(str(p)))) == 2
    with pytest.raises(FileNotFoundError):
        libstix.iter_objects(tmp_path / "missing.json")


def test_lone_object_streams_as_one_item():
    items = list(libstix.iter_objects(json.dumps(GOOD).encode()))
    assert len(items) == 1 and items[0].id == GOOD["id"]


def test_malformed_json_mid_stream_raises_parse_error_after_good_objects():
    text = doc(GOOD, GOOD)[:-10] + b"@@@"
    it = libstix.iter_objects(text)
    assert next(it).id == GOOD["id"]
    with pytest.raises(libstix.ParseError) as info:
        list(it)
    assert info.value.line == 1 and info.value.column > 1


CHILD = """
import resource, sys, libstix
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
count = sum(1 for o in libstix.iter_objects(sys.argv[1]) if isinstance(o, libstix.StixObject))
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(count, after - before)
"""


@pytest.mark.skipif(sys.platform != "linux", reason="peak RSS read from Linux getrusage")
def test_streaming_a_large_file_keeps_memory_bounded(tmp_path):
    # 100,001 objects (about 30 MB) streamed from disk in a fresh process;
    # its peak RSS may not grow by anything near the file size (a
    # whole-file parse holds the text plus every object).
    path = tmp_path / "big.json"
    path.write_bytes(make_scale_bundle(50_000))
    size = os.path.getsize(path)
    out = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, check=True)
    count, growth = map(int, out.stdout.split())
    assert count == 100_001
    assert growth < size / 4, (growth, size)
