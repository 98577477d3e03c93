"""libstix: fast, lossless STIX 2.1 for Python (Rust core).

Reading::

    import libstix
    bundle = libstix.parse(open("bundle.json").read())
    for obj in bundle.objects:
        print(obj.id, obj.type, obj.get("name"))
    for bad in bundle.invalid:           # elements that did not pass
        print(bad.path, bad.diagnostics[0].message)

Objects serialise back to exactly what was read (custom properties and
timestamp digits kept). Timestamps are :class:`Timestamp` objects that keep
all fraction digits; see the README for moving from ``stix2``.
"""

from __future__ import annotations

import datetime as _dt
import json as _json
import os as _os
from typing import Any, Iterable, Mapping, Optional, Union

from . import pattern, taxii
from ._errors import LibstixError, ParseError, PatternError, TaxiiError, ValidationError
from ._native import (
    Bundle,
    Diagnostic,
    InvalidItem,
    ObjectIterator,
    ObjectReport,
    StixObject,
    Timestamp,
    ValidationReport,
    __version__,
)
from ._native import generate_id as _generate_id
from ._native import iter_objects as _iter_objects
from ._native import object_category as _object_category
from ._native import parse as _parse
from ._native import parse_file as _parse_file
from ._native import validate as _validate

__all__ = [
    "Bundle",
    "Diagnostic",
    "InvalidItem",
    "LibstixError",
    "ObjectIterator",
    "ObjectReport",
    "ParseError",
    "PatternError",
    "StixObject",
    "TaxiiError",
    "Timestamp",
    "ValidationError",
    "ValidationReport",
    "create",
    "iter_objects",
    "make_bundle",
    "new_version",
    "parse",
    "parse_file",
    "pattern",
    "taxii",
    "validate",
    "__version__",
]

JsonInput = Union[str, bytes, bytearray, memoryview, Mapping[str, Any]]


def _json_default(value: Any) -> Any:
    if isinstance(value, Timestamp):
        return str(value)
    if isinstance(value, StixObject):
        return value.to_dict()
    if isinstance(value, _dt.datetime):
        return str(_timestamp_from_datetime(value))
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _timestamp_from_datetime(value: _dt.datetime, digits: int = 3) -> Timestamp:
    if value.tzinfo is None:
        raise ValueError("naive datetime: give a timezone-aware (UTC) datetime")
    value = value.astimezone(_dt.timezone.utc)
    epoch = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)
    delta = value - epoch
    nanos = (delta.days * 86_400 + delta.seconds) * 1_000_000_000 + delta.microseconds * 1_000
    return Timestamp.from_nanoseconds(nanos, digits)


def _encode(text: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as e:
        line = text.count("\n", 0, e.start) + 1
        column = e.start - (text.rfind("\n", 0, e.start) + 1) + 1
        raise ParseError(
            f"the text is not valid Unicode (lone surrogate) at line {line}, column {column}",
            line,
            column,
        ) from None


def _to_text(data: Any) -> bytes:
    if isinstance(data, str):
        return _encode(data)
    if isinstance(data, bytes):
        return data
    if isinstance(data, (bytearray, memoryview)):
        return bytes(data)
    if isinstance(data, (StixObject, Bundle)):
        return _encode(data.serialize())
    if isinstance(data, Mapping):
        return _encode(_json.dumps(data, default=_json_default))
    raise TypeError(
        f"expected JSON text (str or bytes) or a dict, not {type(data).__name__}"
    )


def parse(
    data: JsonInput, *, allow_custom: bool = True, strict: bool = False
) -> Union[StixObject, Bundle]:
    """Parse a STIX document (JSON text or a dict), like ``stix2.parse``.

    Returns a :class:`StixObject` for a single object or a :class:`Bundle`.
    Every object is validated; in a bundle, invalid elements do not stop the
    others: they go to ``bundle.invalid`` with their diagnostics. With
    ``strict=True`` any invalid element (or bundle-level error) raises
    :class:`ValidationError` instead, judged by the strict rules. A single
    object that is invalid always raises :class:`ValidationError`.
    ``allow_custom=False`` refuses custom object types and custom
    properties (rule ``STIX-CUS-06``). Malformed JSON raises
    :class:`ParseError` with ``line`` and ``column``.
    """
    return _parse(_to_text(data), strict=strict, allow_custom=allow_custom)


def parse_file(
    path: Union[str, "_os.PathLike[str]"], *, allow_custom: bool = True, strict: bool = False
) -> Union[StixObject, Bundle]:
    """:func:`parse` the file at ``path`` (read with the GIL released)."""
    return _parse_file(_os.fspath(path), strict=strict, allow_custom=allow_custom)


def iter_objects(
    source: Union[str, bytes, "_os.PathLike[str]"],
    *,
    allow_custom: bool = True,
    strict: bool = False,
    invalid: str = "yield",
) -> ObjectIterator:
    """Stream the objects of a bundle one at a time from a file path (``str``
    or ``os.PathLike``) or from ``bytes``, in memory bounded by the largest
    object. Invalid elements are yielded as :class:`InvalidItem`
    (``invalid="yield"``), skipped (``"skip"``), or raise
    :class:`ValidationError` (``"raise"``)."""
    if isinstance(source, (bytearray, memoryview)):
        source = bytes(source)
    elif not isinstance(source, bytes):
        source = _os.fspath(source)
    return _iter_objects(source, strict=strict, allow_custom=allow_custom, invalid=invalid)


def validate(
    data: JsonInput,
    *,
    strict: bool = False,
    warnings_as_errors: bool = False,
    check_patterns: bool = True,
    check_references: bool = True,
) -> ValidationReport:
    """Validate a document against the STIX 2.1 MUST (error) and SHOULD
    (warning) rules. Never raises for bad content: malformed JSON is a
    ``STIX-JSON-01`` diagnostic of an invalid report."""
    return _validate(
        _to_text(data),
        strict=strict,
        warnings_as_errors=warnings_as_errors,
        check_patterns=check_patterns,
        check_references=check_references,
    )


def _now_after(previous: Optional[Timestamp]) -> Timestamp:
    now = Timestamp.now()
    if previous is not None and now <= previous:
        # Clock behind the last version: step one millisecond past it.
        now = Timestamp.from_nanoseconds(previous.nanoseconds + 1_000_000, 3)
    return now


def create(object_type: str, **properties: Any) -> StixObject:
    """Build and validate a new object, like ``stix2.Indicator(...)``.

    ``type`` and ``spec_version`` ("2.1") are filled in; so are ``id``
    (random UUIDv4, or for cyber-observables the deterministic UUIDv5 from
    their contributing properties) and, for non-observables, ``created`` /
    ``modified`` with millisecond precision (``marking-definition`` gets
    ``created`` only). Values may be ``Timestamp``, aware ``datetime`` (kept
    to milliseconds), ``StixObject`` (embedded as a dict) or plain JSON data.
    Raises :class:`ValidationError` when the result is not valid STIX 2.1.
    """
    props = dict(properties)
    props["type"] = object_type
    props.setdefault("spec_version", "2.1")
    category = _object_category(object_type)
    if "id" not in props:
        if category == "sco":
            props["id"] = _generate_id(object_type, _json.dumps(props, default=_json_default))
        else:
            props["id"] = _generate_id(object_type)
    if category != "sco":
        now = Timestamp.now()
        props.setdefault("created", now)
        if object_type != "marking-definition":
            props.setdefault("modified", props["created"])
    obj = _parse(_json.dumps(props, default=_json_default), strict=True, allow_custom=True)
    assert isinstance(obj, StixObject)
    return obj


def new_version(obj: StixObject, **changes: Any) -> StixObject:
    """A new version of ``obj`` (like ``stix2``'s ``new_version``): the given
    properties changed (``None`` removes one), ``modified`` set to now with
    millisecond precision and always later than the old ``modified``.
    Revoked objects cannot get new versions (``ValueError``)."""
    if obj.get("revoked") is True:
        raise ValueError(f"{obj.id} is revoked; it cannot get a new version")
    if "id" in changes or "type" in changes or "created" in changes:
        raise ValueError("id, type and created stay the same across versions")
    props = obj.to_dict()
    for key, value in changes.items():
        if value is None:
            props.pop(key, None)
        else:
            props[key] = value
    if "modified" not in changes:
        props["modified"] = _now_after(obj.modified)
    new = _parse(_json.dumps(props, default=_json_default), strict=True, allow_custom=True)
    assert isinstance(new, StixObject)
    return new


def make_bundle(
    objects: Iterable[Union[StixObject, Mapping[str, Any], str]],
    *,
    id: Optional[str] = None,
    strict: bool = True,
) -> Bundle:
    """Build a bundle from objects in linear time (each object is written
    once, the bundle validated once). Raises :class:`ValidationError` on an
    invalid object unless ``strict=False``."""
    parts = []
    for o in objects:
        if isinstance(o, StixObject):
            parts.append(o.serialize())
        elif isinstance(o, str):
            parts.append(o)
        else:
            parts.append(_json.dumps(o, default=_json_default))
    bundle_id = id if id is not None else _generate_id("bundle")
    head = _json.dumps({"type": "bundle", "id": bundle_id})[:-1]
    text = head + ', "objects": [' + ",".join(parts) + "]}"
    result = _parse(text, strict=strict, allow_custom=True)
    assert isinstance(result, Bundle)
    return result
