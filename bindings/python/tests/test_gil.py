"""Heavy calls release the GIL: another Python thread keeps running while
they work."""

from __future__ import annotations

import sys
import threading
import time

import libstix
import pytest
from libstix import pattern

from conftest import make_scale_bundle


def longest_stall(work) -> tuple[float, float]:
    """Run `work` in a thread while this thread ticks; return (how long the
    call took, the longest gap between two ticks during it). A call that
    held the GIL throughout would stall the ticker for its whole length."""
    done = threading.Event()
    span = {}

    def worker():
        span["start"] = time.perf_counter()
        work()
        span["end"] = time.perf_counter()
        done.set()

    old = sys.getswitchinterval()
    sys.setswitchinterval(0.0005)
    try:
        ticks = []
        t = threading.Thread(target=worker)
        t.start()
        while not done.is_set():
            ticks.append(time.perf_counter())
        t.join()
    finally:
        sys.setswitchinterval(old)
    inside = [x for x in ticks if span["start"] <= x <= span["end"]]
    gaps = [b - a for a, b in zip(inside, inside[1:])]
    return span["end"] - span["start"], max(gaps, default=span["end"] - span["start"])


@pytest.fixture(scope="module")
def big():
    return make_scale_bundle(20_000)


def test_validate_releases_the_gil(big):
    result = {}
    duration, stall = longest_stall(lambda: result.setdefault("r", libstix.validate(big)))
    assert result["r"].valid
    assert stall < duration * 0.5, (duration, stall)


def test_pattern_batch_releases_the_gil():
    patterns = [f"[ipv4-addr:value = '198.18.{i >> 8 & 255}.{i & 255}'] AND [file:name = 'f{i}.exe']" for i in range(60_000)]
    result = {}
    duration, stall = longest_stall(lambda: result.setdefault("r", pattern.validate_many(patterns)))
    assert len(result["r"]) == len(patterns)
    assert stall < duration * 0.5, (duration, stall)


def test_threads_parse_in_parallel_with_correct_results():
    # Several threads parsing at once (GIL released) get their own results.
    docs = [make_scale_bundle(500 + 100 * i) for i in range(4)]
    out = [None] * 4

    def run(i):
        out[i] = libstix.parse(docs[i])

    threads = [threading.Thread(target=run, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [len(b) for b in out] == [2 * (500 + 100 * i) + 1 for i in range(4)]


def test_shared_iterator_from_two_threads_yields_each_object_once():
    it = libstix.iter_objects(make_scale_bundle(2_000))
    seen = [[], []]

    def drain(k):
        for o in it:
            seen[k].append(o.id)

    threads = [threading.Thread(target=drain, args=(k,)) for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ids = seen[0] + seen[1]
    assert len(ids) == 4_001 and len(set(ids)) == 4_001
