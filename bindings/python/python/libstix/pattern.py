"""STIX patterns: parse, validate, canonicalise, extract observables.

>>> from libstix import pattern
>>> p = pattern.parse("[ipv4-addr:value = '198.51.100.1']")
>>> p.canonical
"[ipv4-addr:value = '198.51.100.1']"
"""

from __future__ import annotations

from typing import Iterable, List, Tuple

from ._errors import PatternError
from ._native import Pattern
from ._native import parse_pattern as _parse_pattern
from ._native import validate_patterns as _validate_patterns

__all__ = ["Pattern", "PatternError", "parse", "validate_many", "is_valid"]


def _check_text(pattern: object) -> str:
    if not isinstance(pattern, str):
        raise TypeError(f"a pattern must be a str, not {type(pattern).__name__}")
    return pattern


def parse(pattern: str, stix_version: str = "2.1") -> Pattern:
    """Parse and validate ``pattern`` for STIX ``stix_version`` ("2.1" or
    "2.0"). Raises :class:`libstix.PatternError` listing every error found
    as ``(line, column, message)``."""
    return _parse_pattern(_check_text(pattern), stix_version)


def is_valid(pattern: str, stix_version: str = "2.1") -> bool:
    """True when ``pattern`` is a valid STIX pattern."""
    return not _validate_patterns([_check_text(pattern)], stix_version)[0]


def validate_many(
    patterns: Iterable[str], stix_version: str = "2.1"
) -> List[List[Tuple[int, int, str]]]:
    """Validate many patterns in one call with the GIL released (other
    Python threads run meanwhile). Returns, for each pattern in order, the
    list of its errors as ``(line, column, message)``; an empty list means
    the pattern is valid."""
    items = [_check_text(p) for p in patterns]
    return _validate_patterns(items, stix_version)
