#!/usr/bin/env python3
"""Times stix2patterns.validator.run_validator over a file of patterns (one per line).

Prints one JSON object: patterns, seconds (wall), patterns_per_s (wall), cpu_seconds,
valid, invalid.
"""
import json
import sys
import time

from stix2patterns.validator import run_validator


def main():
    path = sys.argv[1]
    with open(path, encoding="utf-8") as f:
        patterns = [line.rstrip("\n") for line in f if line.strip()]
    invalid = 0
    cpu_start = time.process_time()
    start = time.perf_counter()
    for p in patterns:
        if run_validator(p, stix_version="2.1"):
            invalid += 1
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu_start
    print(json.dumps({
        "patterns": len(patterns),
        "seconds": seconds,
        "patterns_per_s": len(patterns) / seconds,
        "cpu_seconds": cpu_seconds,
        "valid": len(patterns) - invalid,
        "invalid": invalid,
    }))


if __name__ == "__main__":
    main()
