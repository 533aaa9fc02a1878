"""The suite's fast part on the oldest versions pyproject.toml allows, in a venv of their own.

    python scripts/test_oldest.py        (the last step of `make test`; `make oldest` alone)

constraints/oldest.txt pins the floor of every requirement of the project and of the extras
that `make test` installs (dev, and plots through it). This script
1. checks that the file pins exactly those floors: each requirement in pyproject.toml has a
   `>=` floor, and the file pins that version of it and nothing else;
2. installs the project into .venv/oldest with those pins (anew whenever pyproject.toml or
   the constraints change) and checks that pip installed exactly the pinned versions;
3. runs there what the floors are for: ruff and nbstripout as `make test` runs them, the
   tests but the slowest (FAST_SKIP), and one notebook (nbmake, ipykernel, matplotlib).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONSTRAINTS = ROOT / "constraints" / "oldest.txt"
VENV = ROOT / ".venv" / "oldest"
EXTRA = "dev"  # what `make test` installs
# Left out here: a ConvNet's training (the conv and pool ops it runs are tested on their
# own), and the wheel, which is built and installed with the registry's newest versions.
FAST_SKIP = ["tests/chainrule/test_cnn_training.py", "tests/chainrule/test_wheel.py"]
NOTEBOOKS = ["notebooks/01_formal_neuron.ipynb"]
REQUIREMENT = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(?:>=\s*(\S+))?$")
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)\s*==\s*(\S+)$")


def normalized(name: str) -> str:
    """A distribution name as pip compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def same_version(a: str, b: str) -> bool:
    """3.8 and 3.8.0 are one version (these floors are plain release numbers)."""
    def parts(text: str) -> list:
        numbers = [int(p) for p in text.split(".")]
        while numbers and numbers[-1] == 0:
            numbers.pop()
        return numbers
    return parts(a) == parts(b)


def _parse(requirement: str) -> tuple:
    match = REQUIREMENT.match(requirement.strip())
    if match is None:
        raise SystemExit(f"pyproject.toml: cannot read the requirement {requirement!r} "
                         f"(this check expects NAME>=VERSION)")
    name, extras, floor = match.groups()
    return normalized(name), [e.strip() for e in (extras or "[]")[1:-1].split(",") if e], floor


def floors(project: dict, extra: str = EXTRA) -> dict:
    """{name: floor} of the project's dependencies and of `extra`, with the project's own
    extras that it names (`chainrule[plots]`); SystemExit where a requirement has no `>=`."""
    own = normalized(project["name"])
    extras, pending = [], [extra]
    while pending:
        current = pending.pop()
        if current not in extras:
            extras.append(current)
            for requirement in project["optional-dependencies"][current]:
                name, named, _ = _parse(requirement)
                pending += named if name == own else []
    found = {}
    for requirement in project["dependencies"] + [
            r for e in extras for r in project["optional-dependencies"][e]]:
        name, _, floor = _parse(requirement)
        if name == own:
            continue
        if floor is None:
            raise SystemExit(f"pyproject.toml: {requirement!r} declares no floor (>=): "
                             f"give it one and pin it in {CONSTRAINTS.relative_to(ROOT)}")
        found[name] = floor
    return found


def pins(text: str) -> dict:
    """{name: version} of a constraints file's `NAME==VERSION` lines (comments allowed)."""
    found = {}
    for number, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        match = PIN.match(line)
        if match is None:
            raise SystemExit(f"{CONSTRAINTS.relative_to(ROOT)}:{number}: expected "
                             f"NAME==VERSION, got {line!r}")
        found[normalized(match.group(1))] = match.group(2)
    return found


def mismatches(declared: dict, pinned: dict) -> list:
    """What keeps the pins from being the floors, one line each (empty when they are)."""
    problems = [f"{name}: pyproject.toml's floor is {floor}, not pinned" for name, floor in
                declared.items() if name not in pinned]
    problems += [f"{name}: pinned {pinned[name]}, but pyproject.toml's floor is {floor}"
                 for name, floor in declared.items()
                 if name in pinned and not same_version(pinned[name], floor)]
    problems += [f"{name}: pinned {version}, but pyproject.toml does not require it"
                 for name, version in pinned.items() if name not in declared]
    return problems


def _run(*command: object) -> None:
    print("+", " ".join(str(c) for c in command), flush=True)
    subprocess.run([str(c) for c in command], cwd=ROOT, check=True)


def _install(python: Path, stamp: str) -> None:
    """.venv/oldest with the project and the pinned floors, unless it is there already for
    this pyproject.toml and these constraints."""
    marker = VENV / ".installed"
    if marker.is_file() and marker.read_text() == stamp:
        return
    shutil.rmtree(VENV, ignore_errors=True)
    _run(sys.executable, "-m", "venv", VENV)
    _run(python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "-c", CONSTRAINTS, "-e", f".[{EXTRA}]")
    marker.write_text(stamp)


def main() -> int:
    # pytest's --ignore takes a path that is not there without a word: a moved test would
    # silently be run here again
    missing = [path for path in FAST_SKIP if not (ROOT / path).is_file()]
    if missing:
        print("FAST_SKIP names no such file:", *missing, sep="\n  ", file=sys.stderr)
        return 1
    pyproject = (ROOT / "pyproject.toml").read_text()
    constraints = CONSTRAINTS.read_text()
    declared = floors(tomllib.loads(pyproject)["project"])
    pinned = pins(constraints)
    problems = mismatches(declared, pinned)
    if problems:
        print(f"{CONSTRAINTS.relative_to(ROOT)} is not pyproject.toml's floors:",
              *problems, sep="\n  ", file=sys.stderr)
        return 1
    python = VENV / "bin" / "python"
    _install(python, hashlib.sha256((pyproject + constraints).encode()).hexdigest())
    report = subprocess.run(
        [python, "-c", "import importlib.metadata as m, json, sys; "
         "print(json.dumps({n: m.version(n) for n in sys.argv[1:]}))", *pinned],
        capture_output=True, text=True, check=True)
    installed = json.loads(report.stdout)
    wrong = [f"{name}: {installed[name]} installed, {version} pinned"
             for name, version in pinned.items() if installed[name] != version]
    if wrong:
        print("pip did not install the pinned floors:", *wrong, sep="\n  ", file=sys.stderr)
        return 1
    print("oldest versions:", ", ".join(f"{n} {v}" for n, v in installed.items()),
          f"(Python {sys.version.split()[0]})", flush=True)
    bin_dir = VENV / "bin"
    _run(bin_dir / "ruff", "check", ".")
    notebooks = sorted(ROOT.glob("notebooks/*.ipynb"))
    if notebooks:  # with no file, nbstripout would wait for one on stdin
        _run(bin_dir / "nbstripout", "--verify", *notebooks)
    # -W: matplotlib 3.8.4 calls pyparsing's old names, hundreds of DeprecationWarnings that
    # only these versions give (the newest ones' run shows every warning)
    _run(python, "-m", "pytest", "-q", "-W", "ignore::DeprecationWarning", "--nbmake",
         "tests", *NOTEBOOKS, *[f"--ignore={path}" for path in FAST_SKIP])
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except subprocess.CalledProcessError as error:
        sys.exit(error.returncode or 1)
