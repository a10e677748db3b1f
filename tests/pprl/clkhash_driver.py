"""Runs inside a peer venv (.peers/clkhash014 or .peers/clkhash0183), never in Veil's venv.

stdin: JSON list of jobs ``{"schema", "rows", "secret" | ("key1", "key2")}``.
stdout: JSON list with, per job, one entry per row: the base64 CLK, or null when clkhash
rejects the row (validation error or an exception while hashing).
"""

import base64
import json
import sys

from clkhash import schema as clk_schema
from clkhash.bloomfilter import stream_bloom_filters
from clkhash.key_derivation import generate_key_lists
from clkhash.validate_data import validate_entries

try:  # clkhash >= 0.15
    from clkhash import comparators  # noqa: F401

    NEW = True
except ImportError:
    NEW = False


def run(job):
    schema = clk_schema.from_json_dict(job["schema"])
    if NEW:
        keys = generate_key_lists(
            job["secret"], len(schema.fields), key_size=schema.kdf_key_size, salt=schema.kdf_salt,
            info=schema.kdf_info, kdf=schema.kdf_type, hash_algo=schema.kdf_hash,
        )
    else:
        keys = generate_key_lists(
            (job["key1"], job["key2"]), len(schema.fields), key_size=schema.kdf_key_size,
            salt=schema.kdf_salt, info=schema.kdf_info, kdf=schema.kdf_type, hash_algo=schema.kdf_hash,
        )
    out = []
    for row in job["rows"]:
        row = tuple(row)
        try:
            validate_entries(schema.fields, [row])
            bf = next(iter(stream_bloom_filters([row], keys, schema)))[0]
            out.append(base64.b64encode(bf.tobytes()).decode("ascii"))
        except Exception:  # any rejection counts as "invalid row"
            out.append(None)
    return out


def main():
    jobs = json.load(sys.stdin)
    json.dump([run(job) for job in jobs], sys.stdout)


if __name__ == "__main__":
    main()
