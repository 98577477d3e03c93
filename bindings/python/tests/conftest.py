"""Shared fixtures: where the read-only test material lives, and the
generator of the large bundle of shared/cases/bindings/large_bundle_scale.md."""

from __future__ import annotations

import json
import os
import pathlib
import uuid

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[3]
SHARED = pathlib.Path(os.environ.get("LIBSTIX_SHARED", ROOT.parent / "shared"))


def shared(*parts: str) -> pathlib.Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        # Fail loudly: a missing ../shared must never turn into skipped tests.
        raise FileNotFoundError(f"test material missing: {path} (expected ../shared beside the project)")
    return path


@pytest.fixture(scope="session")
def cases_dir() -> pathlib.Path:
    return shared("cases", "bindings")


@pytest.fixture(scope="session")
def corpus_dir() -> pathlib.Path:
    return shared("corpus", "real")


def make_scale_bundle(n: int) -> bytes:
    """One malware, n indicators with distinct ipv4 patterns in a reserved
    test range, and n `indicates` relationships (2n+1 objects), all
    valid STIX 2.1 with millisecond timestamps."""
    ns = uuid.UUID("6ba7b811-9dad-11d1-80b4-00c04fd430c8")
    ts = "2024-01-24T12:38:07.927Z"
    malware_id = f"malware--{uuid.uuid5(ns, 'malware')}"
    parts = [
        json.dumps(
            {
                "type": "malware",
                "spec_version": "2.1",
                "id": malware_id,
                "created": ts,
                "modified": ts,
                "name": "Scale test malware",
                "is_family": True,
            }
        )
    ]
    for i in range(n):
        ind_id = f"indicator--{uuid.uuid5(ns, f'i{i}')}"
        # 198.18.0.0/15 (RFC 2544 benchmarking range): distinct up to 131,072.
        ip = f"198.{18 + (i >> 16)}.{(i >> 8) & 255}.{i & 255}"
        pattern = f"[ipv4-addr:value = '{ip}']"
        parts.append(
            json.dumps(
                {
                    "type": "indicator",
                    "spec_version": "2.1",
                    "id": ind_id,
                    "created": ts,
                    "modified": ts,
                    "name": f"Indicator {i}",
                    "indicator_types": ["malicious-activity"],
                    "pattern": pattern,
                    "pattern_type": "stix",
                    "valid_from": "2024-01-24T12:38:07Z",
                }
            )
        )
        parts.append(
            json.dumps(
                {
                    "type": "relationship",
                    "spec_version": "2.1",
                    "id": f"relationship--{uuid.uuid5(ns, f'r{i}')}",
                    "created": ts,
                    "modified": ts,
                    "relationship_type": "indicates",
                    "source_ref": ind_id,
                    "target_ref": malware_id,
                }
            )
        )
    bundle_id = f"bundle--{uuid.uuid5(ns, f'bundle{n}')}"
    return ('{"type": "bundle", "id": "%s", "objects": [' % bundle_id + ",\n".join(parts) + "]}").encode()


@pytest.fixture(scope="session")
def scale_bundle() -> bytes:
    return make_scale_bundle(20_000)
