"""Building objects and bundles, as stix2's constructors do."""

from __future__ import annotations

import datetime as dt
import json

import libstix
import pytest


def test_create_sdo_fills_common_properties():
    ind = libstix.create(
        "indicator",
        name="Bad IP",
        pattern="[ipv4-addr:value = '198.51.100.7']",
        pattern_type="stix",
        valid_from=dt.datetime(2024, 1, 2, 3, 4, 5, 678901, tzinfo=dt.timezone.utc),
    )
    assert ind.type == "indicator" and ind.spec_version == "2.1"
    assert ind.id.startswith("indicator--")
    assert str(ind.valid_from) == "2024-01-02T03:04:05.678Z"
    assert libstix.validate(ind.serialize()).valid


def test_create_sco_uses_deterministic_id():
    a = libstix.create("ipv4-addr", value="198.51.100.3")
    b = libstix.create("ipv4-addr", value="198.51.100.3")
    # Same contributing properties, same UUIDv5 id (the example of the
    # stix-core reader doc test).
    assert a.id == b.id == "ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4"
    assert a.created is None and "created" not in a


def test_create_refuses_invalid_content():
    with pytest.raises(libstix.ValidationError) as info:
        libstix.create("indicator", name="x", pattern="[ipv4-addr:value = ", pattern_type="stix", valid_from="2024-01-01T00:00:00Z")
    assert any(d.path == "/pattern" for d in info.value.diagnostics)
    with pytest.raises(ValueError):
        libstix.create("indicator", valid_from=dt.datetime(2024, 1, 1))  # naive datetime


def test_new_version_moves_modified_forward():
    obj = libstix.parse(
        {
            "type": "malware",
            "spec_version": "2.1",
            "id": "malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b",
            "created": "2999-01-01T00:00:00.000000001Z",
            "modified": "2999-01-01T00:00:00.000000001Z",
            "name": "future",
            "is_family": False,
        }
    )
    new = libstix.new_version(obj, name="renamed", description="d")
    # The clock is behind a far-future modified: still strictly later.
    assert new.modified > obj.modified and str(new.modified) == "2999-01-01T00:00:00.001Z"
    assert new.name == "renamed" and new.created == obj.created
    dropped = libstix.new_version(new, description=None)
    assert "description" not in dropped
    with pytest.raises(ValueError):
        libstix.new_version(obj, id="malware--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061")
    revoked = libstix.new_version(obj, revoked=True)
    with pytest.raises(ValueError):
        libstix.new_version(revoked, name="again")


def test_make_bundle_mixes_inputs_and_round_trips():
    a = libstix.create("ipv4-addr", value="198.51.100.3")
    b = {"type": "domain-name", "spec_version": "2.1", "id": "domain-name--3c10e93f-798e-5a26-a0c1-08156efab7f5", "value": "example.com"}
    bundle = libstix.make_bundle([a, b, json.dumps(b)])
    assert bundle.id.startswith("bundle--") and len(bundle) == 3
    with pytest.raises(libstix.ValidationError):
        libstix.make_bundle([dict(b, id="domain-name--nope")])
    lenient = libstix.make_bundle([dict(b, id="domain-name--nope")], strict=False)
    assert len(lenient) == 0 and len(lenient.invalid) == 1
    assert libstix.parse(bundle.serialize()).to_dict() == bundle.to_dict()
