#!/usr/bin/env python3
"""The README's configuration-key table is `mimkit run --keys`, row for row: a key added,
renamed or re-ranged in the config table (src/config_keys.hpp) fails this until the README says
so. With --print, prints the table to paste. Usage: keys_check.py README.md path/to/mimkit"""
import re
import subprocess
import sys


def table(mimkit):
    keys = subprocess.run([mimkit, "run", "--keys"], capture_output=True, text=True,
                          check=True).stdout
    rows = ["| key | meaning | default | allowed |", "|---|---|---|---|"]
    for line in keys.splitlines():
        m = re.match(r"\s+(\S+)\s+(.*) \(default (.*); allowed: (.*)\)$", line)
        if not m:
            sys.exit("cannot read --keys line: " + line)
        key, meaning, default, allowed = m.groups()
        rows.append("| `%s` | %s | `%s` | %s |" % (key, meaning, default, allowed))
    return rows


def main(argv):
    readme, mimkit = argv[1], argv[2]
    want = table(mimkit)
    if "--print" in argv:
        print("\n".join(want))
        return 0
    text = open(readme).read()
    section = text.split("## Configuration keys", 1)[1].split("\n## ", 1)[0]
    got = [l for l in section.splitlines() if l.startswith("|")]
    if got == want:
        print("the README's key table matches mimkit run --keys (%d keys)" % (len(want) - 2))
        return 0
    for g, w in zip(got + [""] * len(want), want):
        if g != w:
            print("FAIL first difference:\n  README: %s\n  --keys: %s" % (g, w))
            break
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
