"""A thin TAXII 2.1 client shaped like ``taxii2client.v21``.

>>> from libstix import taxii
>>> server = taxii.Server("https://taxii.example.org/taxii2/", user="u", password="p")
>>> root = server.default
>>> coll = root.collections[0]
>>> for envelope in taxii.as_pages(coll.get_objects, per_request=100, type="indicator"):
...     for obj in envelope.get("objects", []):
...         ...

The work is done by the Rust ``taxii-client`` crate (with the GIL
released): pagination follows ``next``, survives servers that omit it, and
never loses or replays objects. ``Collection.iter_objects`` yields parsed
:class:`libstix.StixObject` (or :class:`libstix.InvalidItem`) directly.
"""

from __future__ import annotations

import json
from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence, Tuple, Union

from ._errors import TaxiiError
from ._native import InvalidItem, StixObject, TaxiiApiRoot, TaxiiCollection, TaxiiServer
from ._native import generate_id as _generate_id
from ._native import iter_objects as _iter_objects

__all__ = ["Server", "ApiRoot", "Collection", "TaxiiError", "as_pages"]

_Auth = Tuple[Optional[str], Optional[str], Optional[str]]


def _many(value: Union[None, str, Sequence[str]]) -> List[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [v for v in value.split(",") if v]
    return list(value)


def _filter_kwargs(per_request: Optional[int], kwargs: Dict[str, Any]) -> Dict[str, Any]:
    known = {"added_after", "type", "id", "version", "spec_version", "limit"}
    unknown = set(kwargs) - known
    if unknown:
        raise TypeError(f"unsupported filter(s): {', '.join(sorted(unknown))}")
    added_after = kwargs.get("added_after")
    limit = kwargs.get("limit", per_request)
    return {
        "limit": int(limit) if limit else None,
        "added_after": str(added_after) if added_after is not None else None,
        "ids": _many(kwargs.get("id")),
        "types": _many(kwargs.get("type")),
        "version": kwargs.get("version"),
        "spec_versions": _many(kwargs.get("spec_version")),
    }


def _envelope(more: bool, next_: Optional[str], objects: List[str]) -> Dict[str, Any]:
    env: Dict[str, Any] = {"more": more}
    if next_ is not None:
        env["next"] = next_
    if objects:
        env["objects"] = [json.loads(o) for o in objects]
    return env


class Collection:
    """A collection. Build it from its URL (``…/collections/<id>/``) like
    taxii2client does, or get it from :attr:`ApiRoot.collections`."""

    def __init__(
        self,
        url: Optional[str] = None,
        user: Optional[str] = None,
        password: Optional[str] = None,
        *,
        token: Optional[str] = None,
        _native: Optional[TaxiiCollection] = None,
        _info: Optional[Dict[str, Any]] = None,
    ):
        if _native is None:
            if url is None:
                raise TypeError("Collection needs a URL")
            head, sep, tail = url.rstrip("/").rpartition("/collections/")
            if not sep or not tail:
                raise ValueError(f"not a collection URL: {url!r}")
            server = TaxiiServer(head + "/", user, password, token=token)
            _native = server.api_root(head + "/").collection(tail)
        self._native = _native
        self._info = _info

    @property
    def id(self) -> str:
        return self._native.id

    @property
    def url(self) -> str:
        return self._native.url

    def _information(self) -> Dict[str, Any]:
        if self._info is None:
            self._info = self._native.information()
        return self._info

    @property
    def title(self) -> str:
        return str(self._information().get("title", ""))

    @property
    def description(self) -> Optional[str]:
        return self._information().get("description")

    @property
    def can_read(self) -> bool:
        return bool(self._information().get("can_read"))

    @property
    def can_write(self) -> bool:
        return bool(self._information().get("can_write"))

    def _pages(self, per_request: Optional[int], kwargs: Dict[str, Any]) -> Iterator[Tuple[bool, Optional[str], List[str]]]:
        return self._native.pages(**_filter_kwargs(per_request, kwargs))

    def get_objects(self, **filters: Any) -> Dict[str, Any]:
        """The first page of objects as an envelope dict (``more``, ``next``,
        ``objects``), like ``taxii2client``. Filters: ``added_after``,
        ``type``, ``id``, ``version``, ``spec_version`` (str or list),
        ``limit``. Use :func:`as_pages` or :meth:`iter_objects` for all."""
        for more, next_, objects in self._pages(None, filters):
            return _envelope(more, next_, objects)
        return {"more": False}

    def as_pages(self, per_request: Optional[int] = None, **filters: Any) -> Iterator[Dict[str, Any]]:
        """Every page as an envelope dict, following ``next``."""
        for more, next_, objects in self._pages(per_request, filters):
            yield _envelope(more, next_, objects)

    def iter_objects(
        self, per_request: Optional[int] = None, **filters: Any
    ) -> Iterator[Union[StixObject, InvalidItem]]:
        """Every object of every page, parsed and validated by libstix:
        :class:`StixObject`, or :class:`InvalidItem` for one that is not
        valid STIX."""
        for _more, _next, objects in self._pages(per_request, filters):
            if not objects:
                continue
            text = '{"type":"bundle","id":"%s","objects":[%s]}' % (_generate_id("bundle"), ",".join(objects))
            yield from _iter_objects(text.encode())

    def __repr__(self) -> str:
        return f"Collection(url={self.url!r})"


class ApiRoot:
    """An API root, from its URL or from :class:`Server`."""

    def __init__(
        self,
        url: Optional[str] = None,
        user: Optional[str] = None,
        password: Optional[str] = None,
        *,
        token: Optional[str] = None,
        _native: Optional[TaxiiApiRoot] = None,
    ):
        if _native is None:
            if url is None:
                raise TypeError("ApiRoot needs a URL")
            _native = TaxiiServer(url, user, password, token=token).api_root(url)
        self._native = _native
        self._info: Optional[Dict[str, Any]] = None

    @property
    def url(self) -> str:
        return self._native.url

    def _information(self) -> Dict[str, Any]:
        if self._info is None:
            self._info = self._native.information()
        return self._info

    @property
    def title(self) -> str:
        return str(self._information().get("title", ""))

    @property
    def description(self) -> Optional[str]:
        return self._information().get("description")

    @property
    def versions(self) -> List[str]:
        return list(self._information().get("versions", []))

    @property
    def max_content_length(self) -> int:
        return int(self._information().get("max_content_length", 0))

    @property
    def collections(self) -> List[Collection]:
        return [Collection(_native=c, _info=info) for c, info in self._native.collections()]

    def collection(self, id: str) -> Collection:
        return Collection(_native=self._native.collection(id))

    def __repr__(self) -> str:
        return f"ApiRoot(url={self.url!r})"


class Server:
    """A TAXII server, from its discovery URL (``https://host/taxii2/``).
    Authenticate with ``user``/``password`` (basic) or ``token`` (bearer)."""

    def __init__(
        self,
        url: str,
        user: Optional[str] = None,
        password: Optional[str] = None,
        *,
        token: Optional[str] = None,
    ):
        self._native = TaxiiServer(url, user, password, token=token)
        self.url = url
        self._discovery: Optional[Dict[str, Any]] = None

    def _info(self) -> Dict[str, Any]:
        if self._discovery is None:
            self._discovery = self._native.discovery()
        return self._discovery

    @property
    def title(self) -> str:
        return str(self._info().get("title", ""))

    @property
    def description(self) -> Optional[str]:
        return self._info().get("description")

    @property
    def contact(self) -> Optional[str]:
        return self._info().get("contact")

    @property
    def default(self) -> Optional[ApiRoot]:
        if not self._info().get("default"):
            return None
        return ApiRoot(_native=self._native.default_api_root())

    @property
    def api_roots(self) -> List[ApiRoot]:
        return [ApiRoot(_native=r) for r in self._native.api_roots()]

    def __repr__(self) -> str:
        return f"Server(url={self.url!r})"


def as_pages(func: Callable[..., Dict[str, Any]], per_request: int = 0, *args: Any, **kwargs: Any) -> Iterator[Dict[str, Any]]:
    """Like ``taxii2client.v21.as_pages``: every page of
    ``collection.get_objects`` as an envelope dict."""
    owner = getattr(func, "__self__", None)
    if not isinstance(owner, Collection) or getattr(func, "__name__", "") != "get_objects":
        raise TypeError("as_pages takes a libstix.taxii Collection's get_objects method")
    if args:
        raise TypeError("as_pages: pass filters as keyword arguments")
    return owner.as_pages(per_request or None, **kwargs)
