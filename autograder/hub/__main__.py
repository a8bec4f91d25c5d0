"""Set up the course hub: `python -m autograder.hub setup [--prefix PREFIX] [--roster CSV]` (as root).

Makes the shared environment, the proxy, the exchange, the accounts of the roster and the instructors' course under
PREFIX (see autograder/hub/__init__.py), and prints the trial accounts' passwords. Running it again brings the parts
up to date and leaves existing accounts, the gradebook and the exchange's contents as they are.
"""
import argparse
import csv
import os
import sys
from pathlib import Path

from .accounts import Accounts, RosterProblem, read_roster
from .course import make_course
from .environment import SetupProblem, configure_jupyter, install_kernel, install_proxy, make_exchange, make_venv
from .layout import DEFAULT_PREFIX, INSTRUCTORS, STUDENTS, Layout
from ..paths import ROOT

TRIAL_ROSTER = ROOT / "hub" / "trial_roster.csv"


def setup(layout, accounts, people, homes, say=print):
    if os.geteuid() != 0:
        raise SetupProblem("the hub is set up as root (it makes accounts, and starts each user's server as them)")
    layout.prefix.mkdir(parents=True, exist_ok=True)
    layout.prefix.chmod(0o755)
    layout.state.mkdir(exist_ok=True)
    layout.state.chmod(0o700)
    say(f"the shared environment {layout.venv}/ ...")
    make_venv(layout)
    install_kernel(layout)
    configure_jupyter(layout)
    install_proxy(layout)
    make_exchange(layout)
    for group in (INSTRUCTORS, STUDENTS):
        accounts.add_group(group)
    passwords = {person.id: accounts.add_person(person, homes) for person in people}
    _keep_passwords(layout, passwords)
    say(f"the course {layout.course}/ ...")
    make_course(accounts, layout, [p for p in people if p.role == "instructor"],
                [p for p in people if p.role == "student"])
    return passwords


def _keep_passwords(layout, passwords):
    new = {name: password for name, password in passwords.items() if password}
    if not new:
        return
    exists = layout.passwords.exists()
    with open(os.open(layout.passwords, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600), "a", newline="",
              encoding="utf-8") as lines:
        writer = csv.writer(lines)
        if not exists:
            writer.writerow(("id", "password"))
        writer.writerows(new.items())


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograder.hub", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("setup", help="make or update the course hub's parts and accounts")
    make.add_argument("--prefix", default=str(DEFAULT_PREFIX), help=f"where the parts go (default {DEFAULT_PREFIX})")
    make.add_argument("--roster", default=str(TRIAL_ROSTER),
                      help="CSV of id, first_name, last_name, role (instructor or student); default: the trial's")
    make.add_argument("--homes", default="/home", help="where new accounts' homes go (default /home)")
    make.add_argument("--accounts-in", metavar="DIR",
                      help="keep the accounts in copies of /etc's account files in DIR/etc instead of the machine's "
                           "(then run the hub with `python -m autograder.hub run --accounts-in DIR`)")
    run = commands.add_parser("run", help="run the hub (as root) until interrupted")
    run.add_argument("--prefix", default=str(DEFAULT_PREFIX))
    run.add_argument("--accounts-in", metavar="DIR")
    options = parser.parse_args(argv)
    layout = Layout(Path(options.prefix).resolve())
    accounts = Accounts(None if options.accounts_in is None else Path(options.accounts_in) / "etc")
    if options.command == "run":
        return run_hub(layout, accounts)
    try:
        people = read_roster(options.roster)
        passwords = setup(layout, accounts, people, Path(options.homes))
    except (RosterProblem, SetupProblem) as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    print(f"the course hub is set up in {layout.prefix}/; start it with `make hub` (or `python -m autograder.hub run`) "
          f"and open http://localhost:8000/")
    for name, password in passwords.items():
        if password:
            print(f"  {name}: password {password}")
    print(f"(new accounts' first passwords are also in {layout.passwords}, readable by root only)")
    return 0


def hub_command(layout, accounts):
    """The command that runs the hub, seeing `accounts`."""
    return [*accounts.view(), str(layout.venv / "bin" / "jupyterhub"), "-f", str(ROOT / "hub" / "jupyterhub_config.py")]


def run_hub(layout, accounts):
    environment = {**os.environ, "KIT_HUB_PREFIX": str(layout.prefix),
                   "PATH": f"{layout.venv / 'bin'}:{os.environ.get('PATH', '/usr/bin:/bin')}"}
    os.chdir(layout.state)
    os.execvpe(hub_command(layout, accounts)[0], hub_command(layout, accounts), environment)


if __name__ == "__main__":
    sys.exit(main())
