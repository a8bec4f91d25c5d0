"""Write requirements.txt from pip's installation report: `python -m autograder.generators.lock REPORT [OUT]`.

`make lock` asks pip to resolve requirements.in for the oldest Python the kit supports (LOCK_PYTHON in the
Makefile, the floor of pyproject.toml's requires-python) without installing anything (`pip install --dry-run
--report REPORT --python-version ...`). Resolving for that Python, rather than for whichever one runs the lock,
keeps out releases that need a newer one (soupsieve 3.0.2 and later need 3.11.5, Debian 12 has 3.11.2).
This script turns the report into one `name==version` line per package, as `pip freeze` writes them.
"""
import json
import sys
from pathlib import Path

def pins(report):
    """The `name==version` lines of every package in pip's installation report, sorted as pip freeze sorts."""
    packages = [(item["metadata"]["name"], item["metadata"]["version"]) for item in report["install"]]
    return [f"{name}=={version}" for name, version in sorted(packages, key=lambda package: package[0].lower())]


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    report_path, out = Path(argv[0]), Path(argv[1] if len(argv) > 1 else "requirements.txt")
    report = json.loads(report_path.read_text(encoding="utf-8"))
    out.write_text("\n".join(pins(report)) + "\n", encoding="utf-8")
    print(f"wrote {out} ({len(report['install'])} packages)")


if __name__ == "__main__":
    main()
