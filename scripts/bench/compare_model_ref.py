#!/usr/bin/env python3
"""Reference measurement: python stix2 parse(..., allow_custom=True) of one bundle.

    compare_model_ref.py FILE   -> prints "objects=N seconds=S objects_per_s=R"
"""
import json
import sys
import time

import stix2

path = sys.argv[1]
t0 = time.perf_counter()
with open(path, encoding="utf-8") as f:
    text = f.read()
bundle = stix2.parse(text, allow_custom=True)
elapsed = time.perf_counter() - t0
n = len(bundle.objects)
print(f"objects={n} seconds={elapsed:.3f} objects_per_s={n / elapsed:.0f}")
