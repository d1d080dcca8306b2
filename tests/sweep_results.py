"""The lines of a sweep's JSONL output, for comparing two sweeps of the same grid."""
import json


def results(path):
    """point_key -> the whole line but its timings (wall-clock, never reproducible)."""
    out = {}
    with open(path) as f:
        for line in f:
            row = json.loads(line)
            row.pop("timings", None)
            out[row["point_key"]] = row
    return out
