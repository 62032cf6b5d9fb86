#!/usr/bin/env python3
"""CPython difflib all-pairs best match, the reference the gateway's matcher is held to.
stdin: {"queries": [...], "candidates": [...], "threshold": 0.5}
stdout: {"suggestions": [[index or null, confidence], ...], "seconds": s}
Same rule as the gateway: the highest ratio above the threshold, the first candidate on ties."""
import difflib, json, sys, time

job = json.load(sys.stdin)
candidates = [c.lower() for c in job["candidates"]]
threshold = job["threshold"]
started = time.perf_counter()
out = []
for q in job["queries"]:
    a = q.lower()
    best, best_ratio = None, 0.0
    for i, b in enumerate(candidates):
        r = difflib.SequenceMatcher(None, a, b).ratio()
        if r > threshold and (best is None or r > best_ratio):
            best, best_ratio = i, r
    out.append([best, best_ratio if best is not None else 0.0])
json.dump({"suggestions": out, "seconds": time.perf_counter() - started}, sys.stdout)
