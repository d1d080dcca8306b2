"""The README's Python examples run as written (tests/readme/extract.py finds them)."""
import importlib.util
import re
import shlex
import subprocess
import sys



def readme_blocks(source_root):
    spec = importlib.util.spec_from_file_location("extract",
                                                  source_root / "tests" / "readme" / "extract.py")
    extract = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(extract)
    return extract.blocks((source_root / "README.md").read_text())


def run_python(args, cwd, env):
    p = subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True,
                       text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    return p.stdout


def test_the_readme_has_a_python_example(source_root):
    assert any(lang == "python" for lang, _ in readme_blocks(source_root).values())


def test_every_readme_python_example_runs(source_root, tmp_path, child_env):
    for name, (lang, code) in readme_blocks(source_root).items():
        if lang == "python":
            (tmp_path / name).write_text(code)
            assert run_python([name], tmp_path, child_env).strip(), name


def test_the_readme_one_liner_runs(source_root, tmp_path, child_env):
    """`PYTHONPATH=build/python /usr/bin/python3 -c "..."`: the -c program, with this build's
    PYTHONPATH."""
    text = (source_root / "README.md").read_text()
    lines = re.findall(r"^PYTHONPATH=build/python /usr/bin/python3 (-c .*)$", text, re.M)
    assert lines, "the README lost its one-line Python example"
    for line in lines:
        out = run_python(shlex.split(line), tmp_path, child_env)
        assert "'weights_digest'" in out


def test_an_unmarked_or_misnamed_example_fails_the_extraction(source_root, tmp_path):
    extract = str(source_root / "tests" / "readme" / "extract.py")
    readme = tmp_path / "README.md"
    readme.write_text("text\n\n```sh\nls\n```\n\n```cpp\nint main() {}\n```\n")
    p = subprocess.run([sys.executable, extract, readme, tmp_path, "a.cpp"], capture_output=True,
                       text=True)
    assert p.returncode != 0 and "README.md:7: a cpp block without a '<!-- test: NAME -->'" \
        in p.stderr
    readme.write_text("<!-- test: b.cpp -->\n```cpp\nint main() {}\n```\n")
    p = subprocess.run([sys.executable, extract, readme, tmp_path, "a.cpp"], capture_output=True,
                       text=True)
    assert p.returncode != 0 and "C++ examples ['b.cpp']" in p.stderr
    p = subprocess.run([sys.executable, extract, readme, tmp_path, "b.cpp"], capture_output=True,
                       text=True)
    assert p.returncode == 0 and (tmp_path / "b.cpp").read_text() == "int main() {}\n"
