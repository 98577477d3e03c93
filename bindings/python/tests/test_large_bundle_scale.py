"""shared/cases/bindings/large_bundle_scale.md, point 5 (with 3, 4 and 6 as
they concern the wheel): the N = 20,000 bundle (40,001 objects) parses with
the GIL released, every pattern validated; streaming and building work at
that size. Behaviour only: timings are in BENCHMARKS.md."""

from __future__ import annotations

import json

import libstix

from conftest import make_scale_bundle
from test_gil import longest_stall

N = 20_000


def test_generated_input_matches_the_case(scale_bundle):
    doc = json.loads(scale_bundle)
    types = [o["type"] for o in doc["objects"]]
    assert len(types) == 2 * N + 1
    assert types.count("indicator") == N and types.count("relationship") == N and types.count("malware") == 1
    assert len({o["pattern"] for o in doc["objects"] if o["type"] == "indicator"}) == N
    assert 12_000_000 < len(scale_bundle) < 16_000_000


def test_parse_releases_the_gil_and_returns_every_object(scale_bundle):
    # Point 5: parse of the N = 20,000 bundle releases the GIL.
    result = {}
    duration, stall = longest_stall(lambda: result.setdefault("b", libstix.parse(scale_bundle)))
    bundle = result["b"]
    assert isinstance(bundle, libstix.Bundle)
    assert len(bundle) == 2 * N + 1 and bundle.invalid == []
    assert bundle[1].type == "indicator" and str(bundle[1].created) == "2024-01-24T12:38:07.927Z"
    assert len(bundle.get_obj(bundle[0].id)) == 1
    # The GIL is held only to build the Python objects at the end, a small
    # part of the call; the other thread must not stall for most of it.
    assert stall < duration * 0.6, (duration, stall)


def test_pattern_validation_is_part_of_parse():
    # Point 6: every indicator pattern is checked while parsing.
    doc = json.loads(make_scale_bundle(2_000))
    doc["objects"][2 * 1234 + 1]["pattern"] = "[ipv4-addr:value = '198.18.0.1'] WITHIN 0 SECONDS"
    bundle = libstix.parse(json.dumps(doc))
    assert [i.index for i in bundle.invalid] == [2 * 1234 + 1]
    assert bundle.invalid[0].diagnostics[0].path.endswith("/pattern")
    assert len(bundle) == 2 * 2_000


def test_stream_and_rebuild_at_scale(scale_bundle):
    # Point 4: the iterator yields every object one at a time.
    objects = [o for o in libstix.iter_objects(scale_bundle)]
    assert len(objects) == 2 * N + 1 and all(isinstance(o, libstix.StixObject) for o in objects)
    # Point 3: building a bundle of 40,001 objects through the wheel works
    # in one pass and loses nothing.
    rebuilt = libstix.make_bundle(objects, id="bundle--5d0092c5-5f74-4287-9642-33f4c354e56d")
    assert len(rebuilt) == 2 * N + 1
    assert json.loads(rebuilt.serialize())["objects"] == json.loads(scale_bundle)["objects"]
