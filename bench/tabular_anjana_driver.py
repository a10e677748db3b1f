"""Runs inside .peers/anjana: JSON request on stdin -> timing and result summary on stdout."""

import json
import sys
import time

import pandas as pd
from anjana.anonymity import k_anonymity

req = json.load(sys.stdin)
data = pd.read_csv(req["data"], sep=";")
hierarchies = {c: dict(pd.read_csv(p, sep=";", header=None)) for c, p in req["hierarchies"].items()}
start = time.perf_counter()
out = k_anonymity(data, [], req["qis"], req["k"], req["supp_level"], hierarchies)
elapsed = time.perf_counter() - start
sizes = out.groupby(req["qis"]).size() if len(out) else pd.Series([0])
json.dump({"seconds": elapsed, "rows_out": len(out), "classes": len(sizes), "min_class": int(sizes.min())},
          sys.stdout)
