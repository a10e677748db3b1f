"""Run inside .peers/pycanon: JSON {records, qi, sa} on stdin -> pycanon's figures on stdout."""

import json
import sys

import pandas as pd
from pycanon import anonymity

req = json.load(sys.stdin)
df = pd.DataFrame(req["records"]).reset_index(drop=True)
qi, sa = req["qi"], req.get("sa", [])
out = {"k": int(anonymity.k_anonymity(df, qi))}
if sa:
    out["l"] = int(anonymity.l_diversity(df, qi, sa))
    out["entropy_l"] = float(anonymity.entropy_l_diversity(df, qi, sa))
    out["t"] = float(anonymity.t_closeness(df, qi, sa))
json.dump(out, sys.stdout)
