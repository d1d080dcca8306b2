#!/usr/bin/env python3
"""The man page holds every command's --help text, and roff renders it without warnings.
Usage: man_check.py path/to/mimkit.1 path/to/mimkit"""
import shutil
import subprocess
import sys

page, mimkit = sys.argv[1], sys.argv[2]
text = open(page).read()
failures = []
top = subprocess.run([mimkit, "--help"], capture_output=True, text=True).stdout
commands = [l.split()[0] for l in top.split("commands:")[1].split("\n\n")[0].splitlines() if l]
for c in commands:
    usage = subprocess.run([mimkit, c, "--help"], capture_output=True, text=True).stdout
    first = usage.splitlines()[0] if usage else ""
    if ".SH COMMAND: %s" % c.upper() not in text or first.replace("\\", "\\e") not in text:
        failures.append("command %s: its --help is not in the page" % c)
if "exit codes: 0 success, 1 a run failed, 2 invalid invocation, 130 interrupted" not in text:
    failures.append("the exit codes are not in the page")
if shutil.which("nroff"):
    r = subprocess.run(["nroff", "-man", "-ww", page], capture_output=True, text=True)
    if r.returncode != 0 or r.stderr.strip():
        failures.append("nroff: " + r.stderr.strip())
for f in failures:
    print("FAIL " + f)
print("%d commands checked, %d failed" % (len(commands), len(failures)))
sys.exit(1 if failures else 0)
