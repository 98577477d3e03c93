"""libstix.taxii against a small TAXII 2.1 server run in this process on
127.0.0.1 (the client releases the GIL, so the server thread can answer)."""

from __future__ import annotations

import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import libstix
import pytest
from libstix import taxii

TAXII = "application/taxii+json;version=2.1"
CID = "91a7b528-80eb-42ed-a74d-c6fbd5a26116"
NS = uuid.UUID("6ba7b811-9dad-11d1-80b4-00c04fd430c8")


def make_objects():
    objs = []
    for i in range(7):
        kind = "indicator" if i % 2 == 0 else "malware"
        o = {
            "type": kind,
            "spec_version": "2.1",
            "id": f"{kind}--{uuid.uuid5(NS, str(i))}",
            "created": f"2024-01-0{i + 1}T00:00:00.123456789Z",
            "modified": f"2024-01-0{i + 1}T00:00:00.123456789Z",
            "name": f"obj {i}",
        }
        if kind == "indicator":
            o.update(pattern=f"[ipv4-addr:value = '198.51.100.{i}']", pattern_type="stix", valid_from="2024-01-01T00:00:00Z")
        else:
            o["is_family"] = False
        objs.append(o)
    # One object the STIX rules refuse (bad pattern) but the server stores.
    objs[6]["pattern"] = "[ipv4-addr:value = "
    return objs


OBJECTS = make_objects()


class Handler(BaseHTTPRequestHandler):
    requests: list = []

    def log_message(self, *args):
        pass

    def send_json(self, body, headers=None):
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", TAXII)
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urlparse(self.path)
        q = parse_qs(url.query)
        Handler.requests.append((url.path, q, self.headers.get("Authorization")))
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        if self.headers.get("Authorization") != "Basic dXNlcjpzZWNyZXQ=":  # user:secret
            self.send_response(401)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if url.path == "/taxii2/":
            return self.send_json({"title": "Mock TAXII", "default": f"{base}/api1/", "api_roots": [f"{base}/api1/"]})
        if url.path == "/api1/":
            return self.send_json({"title": "API one", "versions": [TAXII], "max_content_length": 1_000_000})
        coll = {"id": CID, "title": "Feed", "can_read": True, "can_write": False, "media_types": ["application/stix+json;version=2.1"]}
        if url.path == "/api1/collections/":
            return self.send_json({"collections": [coll]})
        if url.path == f"/api1/collections/{CID}/":
            return self.send_json(coll)
        if url.path == f"/api1/collections/{CID}/objects/":
            items = OBJECTS
            if "match[type]" in q:
                wanted = q["match[type]"][0].split(",")
                items = [o for o in items if o["type"] in wanted]
            limit = int(q.get("limit", ["100"])[0])
            start = int(q.get("next", ["0"])[0])
            page = items[start : start + limit]
            more = start + limit < len(items)
            body = {"more": more}
            if more:
                body["next"] = str(start + limit)
            if page:
                body["objects"] = page
            added = [f"2024-02-0{start + k + 1}T00:00:00.000Z" for k in range(len(page))]
            headers = {"X-TAXII-Date-Added-First": added[0], "X-TAXII-Date-Added-Last": added[-1]} if page else {}
            return self.send_json(body, headers)
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture()
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    Handler.requests = []
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_discovery_api_root_and_collections(server):
    srv = taxii.Server(f"{server}/taxii2/", user="user", password="secret")
    assert srv.title == "Mock TAXII"
    root = srv.default
    assert root is not None and root.url == f"{server}/api1/"
    assert root.title == "API one" and root.max_content_length == 1_000_000
    assert [r.url for r in srv.api_roots] == [root.url]
    (coll,) = root.collections
    assert coll.id == CID and coll.title == "Feed" and coll.can_read and not coll.can_write


def test_as_pages_like_taxii2client(server):
    coll = taxii.Collection(f"{server}/api1/collections/{CID}/", user="user", password="secret")
    envelopes = list(taxii.as_pages(coll.get_objects, per_request=3))
    assert [len(e.get("objects", [])) for e in envelopes] == [3, 3, 1]
    assert [e["more"] for e in envelopes] == [True, True, False]
    got = [o for e in envelopes for o in e["objects"]]
    assert got == OBJECTS  # exact JSON, nine-digit timestamps included
    first = coll.get_objects(limit=2)
    assert first["more"] is True and len(first["objects"]) == 2
    limits = [q.get("limit") for path, q, _ in Handler.requests if path.endswith("/objects/")]
    assert ["3"] in limits


def test_filters_are_sent(server):
    coll = taxii.Server(f"{server}/taxii2/", user="user", password="secret").default.collection(CID)
    objs = [o for e in coll.as_pages(per_request=10, type="malware") for o in e.get("objects", [])]
    assert {o["type"] for o in objs} == {"malware"} and len(objs) == 3
    with pytest.raises(TypeError):
        coll.get_objects(colour="red")


def test_iter_objects_parses_and_keeps_invalid_ones(server):
    coll = taxii.Collection(f"{server}/api1/collections/{CID}/", user="user", password="secret")
    items = list(coll.iter_objects(per_request=4))
    assert len(items) == 7
    good = [i for i in items if isinstance(i, libstix.StixObject)]
    bad = [i for i in items if isinstance(i, libstix.InvalidItem)]
    assert len(good) == 6 and [b.id for b in bad] == [OBJECTS[6]["id"]]
    assert str(good[0].created) == "2024-01-01T00:00:00.123456789Z"
    assert any(d.path.endswith("/pattern") for d in bad[0].diagnostics)


def test_errors_are_typed_and_hide_the_password(server):
    srv = taxii.Server(f"{server}/taxii2/", user="user", password="wrong-password-123")
    with pytest.raises(libstix.TaxiiError) as info:
        srv.title
    assert "wrong-password-123" not in str(info.value)
    assert "wrong-password-123" not in json.dumps(info.value.detail)
    with pytest.raises(libstix.TaxiiError):
        taxii.Server("http://127.0.0.1:9/taxii2/").title  # nothing listens on port 9
    with pytest.raises(ValueError):
        taxii.Collection(f"{server}/api1/", user="user", password="secret")
