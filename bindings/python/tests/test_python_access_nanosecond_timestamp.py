"""shared/cases/bindings/python_access_nanosecond_timestamp.json (B44):
nine-digit fractions must be reachable from Python without loss."""

from __future__ import annotations

import datetime as dt
import json

import libstix
import pytest


@pytest.fixture()
def case(cases_dir):
    text = (cases_dir / "python_access_nanosecond_timestamp.json").read_text()
    expect = json.loads((cases_dir / "python_access_nanosecond_timestamp.expect.json").read_text())
    return text, expect


def test_case_is_valid_and_round_trips(case):
    text, expect = case
    assert expect["valid"] is True and expect["roundtrip_equal"] is True
    obj = libstix.parse(text, strict=True)
    assert libstix.validate(text).valid
    assert json.loads(obj.serialize()) == json.loads(text)


def test_created_does_not_raise_although_datetime_holds_microseconds(case):
    # check: obj.created (or equivalent) must not raise
    obj = libstix.parse(case[0])
    created = obj.created
    assert isinstance(created, libstix.Timestamp)
    assert isinstance(obj["created"], libstix.Timestamp)
    assert isinstance(obj.get("modified"), libstix.Timestamp)
    # datetime conversion is documented as truncating to microseconds.
    assert created.to_datetime() == dt.datetime(2023, 11, 12, 14, 16, 48, 169979, tzinfo=dt.timezone.utc)


def test_string_and_nanosecond_accessors_keep_all_nine_digits(case):
    # check: a string/ns-integer accessor returns all 9 digits
    obj = libstix.parse(case[0])
    assert str(obj.created) == "2023-11-12T14:16:48.169979860Z"
    assert str(obj.modified) == "2023-11-12T14:16:48.169979861Z"
    assert obj.created.fraction == "169979860"
    assert obj.created.precision == 9
    assert obj.created.nanoseconds == 1_699_798_608_169_979_860
    assert obj.modified.nanoseconds - obj.created.nanoseconds == 1
    assert obj.to_dict()["created"] == "2023-11-12T14:16:48.169979860Z"


def test_created_before_modified_although_datetimes_are_equal(case):
    # check: created < modified must hold; datetimes would make them equal
    obj = libstix.parse(case[0])
    assert obj.created < obj.modified
    assert obj.modified > obj.created
    assert obj.created != obj.modified
    assert obj.created <= obj.modified and not obj.created >= obj.modified
    assert obj.created.to_datetime() == obj.modified.to_datetime()
    assert sorted([obj.modified, obj.created]) == [obj.created, obj.modified]


def test_serialised_timestamps_are_byte_identical(case):
    # check (C ABI twin, asserted here for Python): serialise(parse(x)) keeps
    # both properties byte for byte.
    text = case[0]
    out = libstix.parse(text).serialize()
    assert '"created":"2023-11-12T14:16:48.169979860Z"' in out
    assert '"modified":"2023-11-12T14:16:48.169979861Z"' in out


def test_timestamp_semantics_beyond_nine_digits():
    # Documented: nanoseconds truncates past the 9th digit, ordering does not.
    a = libstix.Timestamp("2023-11-12T14:16:48.1699798601Z")
    b = libstix.Timestamp("2023-11-12T14:16:48.1699798602Z")
    assert a.nanoseconds == b.nanoseconds == 1_699_798_608_169_979_860
    assert a < b
    # Equality is by instant: trailing zeros do not matter, the text stays.
    c = libstix.Timestamp("2023-11-12T14:16:48.100Z")
    d = libstix.Timestamp("2023-11-12T14:16:48.1Z")
    assert c == d and hash(c) == hash(d) and str(c) != str(d)
    assert c == "2023-11-12T14:16:48.1Z"
    assert (c == 5) is False
    with pytest.raises(TypeError):
        c < 5  # noqa: B015
    with pytest.raises(ValueError):
        libstix.Timestamp("2023-11-12 14:16:48Z")


def test_leap_second_and_year_zero_to_datetime():
    leap = libstix.Timestamp("2016-12-31T23:59:60.5Z")
    assert leap > libstix.Timestamp("2016-12-31T23:59:59.999999999Z")
    assert leap.to_datetime() == dt.datetime(2016, 12, 31, 23, 59, 59, 999999, tzinfo=dt.timezone.utc)
    with pytest.raises(ValueError):
        libstix.Timestamp("0000-01-01T00:00:00Z").to_datetime()
