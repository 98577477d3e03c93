"""libstix.pattern: parse, canonical form, observables, errors, batches."""

from __future__ import annotations

import json

import libstix
import pytest
from libstix import pattern

from conftest import shared

CASES = [json.loads(line) for line in shared("cases", "pattern", "cases.jsonl").read_text().splitlines() if line.strip()]


def test_parse_canonical_and_observables():
    p = pattern.parse("[ipv4-addr:value='198.51.100.1']   OR [domain-name:value = 'evil.example']")
    assert p.canonical == "[ipv4-addr:value = '198.51.100.1'] OR [domain-name:value = 'evil.example']"
    assert str(p) == p.canonical and p.stix_version == "2.1"
    assert p.is_flat
    obs = p.observables()
    assert [(o["kind"], o["value"], o["object_type"], o["property"]) for o in obs] == [
        ("ipv4", "198.51.100.1", "ipv4-addr", "value"),
        ("domain", "evil.example", "domain-name", "value"),
    ]
    # Canonical text parses to itself.
    assert pattern.parse(p.canonical).canonical == p.canonical


def test_hash_observable_and_not_flat():
    p = pattern.parse("[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f'] AND [file:name = 'x'] WITHIN 5 SECONDS")
    assert not p.is_flat
    h = p.observables()[0]
    assert h["kind"] == "hash" and h["algorithm"] == "SHA-256"
    assert len(p.comparisons()) == 2


def test_errors_carry_positions():
    with pytest.raises(libstix.PatternError) as info:
        pattern.parse("[file:name = 'a'] WITHIN 0 SECONDS")
    err = info.value
    assert isinstance(err, ValueError)
    assert (err.line, err.column) == (1, 26)
    assert err.errors[0][:2] == (1, 26) and isinstance(err.errors[0][2], str)
    assert err.pattern == "[file:name = 'a'] WITHIN 0 SECONDS"
    with pytest.raises(libstix.PatternError) as info:
        pattern.parse("[file:name = 'a'\n  AND ]")
    assert info.value.line == 2


def test_version_and_type_checks():
    with pytest.raises(libstix.PatternError):
        pattern.parse("[EXISTS file:name]", stix_version="2.0")
    with pytest.raises(ValueError):
        pattern.parse("[file:name = 'a']", stix_version="3.0")
    with pytest.raises(TypeError):
        pattern.parse(b"[file:name = 'a']")
    with pytest.raises(TypeError):
        pattern.validate_many(["[file:name = 'a']", 1])


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_shared_pattern_cases(case):
    version = case.get("stix_version", "2.1")
    assert pattern.is_valid(case["pattern"], version) is case["valid"], case.get("why")
    if case["valid"]:
        p = pattern.parse(case["pattern"], version)
        assert pattern.parse(p.canonical, version).canonical == p.canonical
    else:
        with pytest.raises(libstix.PatternError) as info:
            pattern.parse(case["pattern"], version)
        assert info.value.errors and all(line >= 1 and col >= 1 for line, col, _ in info.value.errors)


def test_validate_many_matches_one_by_one():
    items = [c["pattern"] for c in CASES if c.get("stix_version", "2.1") == "2.1"]
    results = pattern.validate_many(items)
    assert len(results) == len(items)
    for text, errors in zip(items, results):
        assert (errors == []) is pattern.is_valid(text)
        for line, column, message in errors:
            assert line >= 1 and column >= 1 and message
