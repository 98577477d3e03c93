"""Parse the large_bundle_scale bundle (N indicators + N relationships + 1
malware) with libstix and with stix2 in separate child processes of one
run; print wall time and peak RSS of each.

    python compare_stix2.py [N] [ROUNDS]

Both packages must be importable by this interpreter (see run.sh).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests"))
from conftest import make_scale_bundle  # noqa: E402

CHILD = r"""
import resource, sys, time
which, path = sys.argv[1], sys.argv[2]
data = open(path, "rb").read()
if which == "libstix":
    import libstix
    t = time.perf_counter(); b = libstix.parse(data); dt = time.perf_counter() - t
    n = len(b)
else:
    import stix2
    t = time.perf_counter(); b = stix2.parse(data.decode(), allow_custom=True); dt = time.perf_counter() - t
    n = len(b.objects)
print(dt, n, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
"""


def run(which: str, path: str) -> tuple[float, int, int]:
    out = subprocess.run([sys.executable, "-c", CHILD, which, path], capture_output=True, text=True, check=True)
    dt, n, rss = out.stdout.split()
    return float(dt), int(n), int(rss)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        f.write(make_scale_bundle(n))
        path = f.name
    try:
        size = os.path.getsize(path)
        res: dict[str, list[tuple[float, int, int]]] = {"libstix": [], "stix2": []}
        for _ in range(rounds):
            for which in res:
                res[which].append(run(which, path))
        print(json.dumps({"n": n, "bytes": size}))
        base = statistics.median(r[0] for r in res["libstix"])
        for which, rs in res.items():
            med = statistics.median(r[0] for r in rs)
            rss = max(r[2] for r in rs)
            print(f"{which:8s} objects={rs[0][1]} median={med:.3f}s ratio={med / base:.1f}x peak_rss={rss / 2**20:.0f}MiB")
    finally:
        os.unlink(path)


if __name__ == "__main__":
    main()
