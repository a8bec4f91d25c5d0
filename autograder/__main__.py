"""The instructor's command line: `python -m autograder COMMAND`.

  release [ASSIGNMENT ...]   generate the student versions in release/ with nbgrader
"""
import argparse
import sys

from . import release


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    release_parser = commands.add_parser("release", help="generate the student versions in release/")
    release_parser.add_argument("assignments", nargs="*", help="assignment ids (default: all)")
    args = parser.parse_args(argv)
    if args.command == "release":
        release.main(args.assignments)
    return 0


if __name__ == "__main__":
    sys.exit(main())
