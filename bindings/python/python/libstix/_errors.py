"""Exceptions raised by libstix.

Every exception derives from :class:`LibstixError`; the input errors also
derive from :class:`ValueError`, so code that caught ``ValueError`` around
``stix2.parse`` keeps working.
"""

from __future__ import annotations

from typing import Any, List, Optional, Sequence, Tuple

__all__ = ["LibstixError", "ParseError", "ValidationError", "PatternError", "TaxiiError"]


class LibstixError(Exception):
    """Base class of every libstix exception (also raised, with a clear
    message, if the Rust core ever fails internally)."""


class ParseError(LibstixError, ValueError):
    """The input is not well-formed JSON (or not of the shape of a STIX
    document). ``line`` and ``column`` are 1-based; column counts bytes."""

    def __init__(self, message: str, line: Optional[int] = None, column: Optional[int] = None):
        super().__init__(message, line, column)
        self.message = message
        self.line = line
        self.column = column

    def __str__(self) -> str:
        return self.message


class ValidationError(LibstixError, ValueError):
    """STIX content broke a MUST rule (raised in strict mode, or for a lone
    invalid object). ``diagnostics`` lists :class:`libstix.Diagnostic`
    objects with ``object_id``, ``path``, ``rule``, ``severity``,
    ``message``, ``line`` and ``column``."""

    def __init__(self, message: str, diagnostics: Sequence[Any] = ()):
        super().__init__(message, list(diagnostics))
        self.message = message
        self.diagnostics: List[Any] = list(diagnostics)

    def __str__(self) -> str:
        return self.message


class PatternError(LibstixError, ValueError):
    """A STIX pattern is invalid. ``errors`` lists every problem found as
    ``(line, column, message)`` tuples (1-based, column in characters);
    ``line`` / ``column`` are those of the first."""

    def __init__(
        self,
        message: str,
        errors: Sequence[Tuple[int, int, str]] = (),
        pattern: Optional[str] = None,
    ):
        super().__init__(message, list(errors), pattern)
        self.message = message
        self.errors: List[Tuple[int, int, str]] = [tuple(e) for e in errors]  # type: ignore[misc]
        self.pattern = pattern
        self.line: Optional[int] = self.errors[0][0] if self.errors else None
        self.column: Optional[int] = self.errors[0][1] if self.errors else None

    def __str__(self) -> str:
        return self.message


class TaxiiError(LibstixError):
    """A TAXII request failed. ``detail`` holds the client's structured
    error (a dict with an ``error`` kind, HTTP status, URL... as known);
    credentials never appear in it."""

    def __init__(self, message: str, detail: Any = None):
        super().__init__(message, detail)
        self.message = message
        self.detail = detail

    def __str__(self) -> str:
        return self.message
