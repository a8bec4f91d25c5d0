"""The pinned environment (requirements.txt) installs on every Python the kit says it supports.

pip resolves the pins for another Python without installing anything (`--dry-run --python-version`), from PyPI:
each pinned release must accept that Python (Requires-Python) and have a wheel for it, and the pins must hold
every dependency of every pinned package.
"""
import re
import subprocess
import sys
import tomllib

import pytest

from autograder.paths import ROOT

pytestmark = pytest.mark.network  # asks PyPI: left out of make test-fast

DEBIAN_12_PYTHON = "3.11.2"  # /usr/bin/python3 of Debian 12 (bookworm)


def supported_floor():
    """The oldest Python of pyproject.toml's requires-python (">=3.11" gives "3.11.0")."""
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["requires-python"]
    match = re.fullmatch(r">=\s*(\d+)\.(\d+)(?:\.(\d+))?", requires.strip())
    assert match, f"pyproject.toml's requires-python {requires!r} is not of the form >=X.Y[.Z]"
    return f"{match[1]}.{match[2]}.{match[3] or 0}"


def test_make_lock_resolves_for_the_oldest_supported_python():
    lock_python = re.search(r"^LOCK_PYTHON := (\S+)$", (ROOT / "Makefile").read_text(), re.MULTILINE)
    assert lock_python and lock_python[1] == supported_floor(), \
        "the Makefile's LOCK_PYTHON is not the floor of pyproject.toml's requires-python"


@pytest.mark.parametrize("python_version", sorted({DEBIAN_12_PYTHON, supported_floor()}))
def test_the_pins_install_on(python_version, tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--dry-run", "--quiet", "--disable-pip-version-check",
         "--ignore-installed", "--only-binary=:all:", "--python-version", python_version,
         "--target", str(tmp_path / "target"), "-r", str(ROOT / "requirements.txt")],
        capture_output=True, text=True, timeout=600)
    errors = [line for line in run.stderr.splitlines() if line.startswith("ERROR")]
    assert not run.returncode, f"requirements.txt does not install on Python {python_version}: {errors[-1:]}"
