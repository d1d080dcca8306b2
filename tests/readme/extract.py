#!/usr/bin/env python3
"""The README's code examples, as the files the test suite compiles and runs.

README.md is the only copy of each example: every ```cpp and ```python block must follow a line
`<!-- test: NAME -->` naming the file it becomes, so no example can be an untested fragment.

    extract.py README.md OUTDIR NAME...

writes the blocks NAME... (the C++ programs tests/readme/meson.build builds) into OUTDIR, and
fails when a cpp or python block has no marker, or when the README's C++ blocks are not exactly
NAME...: adding, renaming or removing an example then needs the matching meson.build change.
tests/python/test_readme.py imports blocks() to run the Python examples.
"""
import pathlib
import re
import sys

MARKER = re.compile(r"<!--\s*test:\s*(\S+)\s*-->")
FENCE = re.compile(r"```(\w*)")
TESTED = ("cpp", "python")


def blocks(text, source="README.md"):
    """{name: (language, code)} of the marked blocks; ValueError for an unmarked cpp/python
    block, a marker not followed by a block, or a name used twice."""
    out = {}
    lines = text.splitlines(keepends=True)
    marker = None
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        m = MARKER.fullmatch(line)
        fence = FENCE.fullmatch(line)
        if m:
            if marker:
                raise ValueError(f"{source}:{i + 1}: marker follows the marker of line "
                                 f"{marker[1]} without a code block between them")
            marker = (m.group(1), i + 1)
        elif fence:
            lang = fence.group(1)
            end = next((j for j in range(i + 1, len(lines)) if lines[j].strip() == "```"), None)
            if end is None:
                raise ValueError(f"{source}:{i + 1}: code block never closed")
            if marker:
                name = marker[0]
                if lang not in TESTED:
                    raise ValueError(f"{source}:{i + 1}: '{name}' marks a {lang or 'plain'} "
                                     f"block (tested: {', '.join(TESTED)})")
                if name in out:
                    raise ValueError(f"{source}:{i + 1}: '{name}' names two blocks")
                out[name] = (lang, "".join(lines[i + 1:end]))
            elif lang in TESTED:
                raise ValueError(f"{source}:{i + 1}: a {lang} block without a "
                                 "'<!-- test: NAME -->' line before it: every example is "
                                 "compiled or run by the test suite")
            marker = None
            i = end
        elif line and marker:
            raise ValueError(f"{source}:{marker[1]}: marker not followed by a code block")
        i += 1
    if marker:
        raise ValueError(f"{source}:{marker[1]}: marker not followed by a code block")
    return out


def main(argv):
    readme, outdir, names = pathlib.Path(argv[1]), pathlib.Path(argv[2]), argv[3:]
    try:
        found = blocks(readme.read_text(), str(readme))
    except ValueError as e:
        sys.exit(f"extract.py: {e}")
    cpp = sorted(n for n, (lang, _) in found.items() if lang == "cpp")
    if cpp != sorted(names):
        sys.exit(f"extract.py: {readme} has the C++ examples {cpp}, tests/readme/meson.build "
                 f"builds {sorted(names)}: make them the same")
    for name in names:
        (outdir / name).write_text(found[name][1])


if __name__ == "__main__":
    main(sys.argv)
