"""The course's Unix accounts: instructors and students from a roster, each with a private home.

JupyterHub logs users in with PAM and starts each one's server as that user, so an account is a real Unix user
whose name is their nbgrader id. Accounts are made in the machine's /etc by default. Given a folder, they are made
in copies of the account files kept there instead (useradd's --prefix), and every command of the course, the hub
included, then runs under bubblewrap with those copies over /etc: a trial that adds no user to the machine.
"""
import csv
import os
import secrets
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .layout import INSTRUCTORS, STUDENTS

ROLES = {"instructor": INSTRUCTORS, "student": STUDENTS}
ACCOUNT_FILES = ("passwd", "shadow", "group", "gshadow")
PRIVATE_UIDS = ("-K", "UID_MIN=63500", "-K", "UID_MAX=63999")  # below the grader's sandbox users (64000 and up)


class RosterProblem(Exception):
    """The roster cannot be used; the message names the file, the row and the problem."""


@dataclass(frozen=True)
class Person:
    id: str
    first_name: str
    last_name: str
    role: str  # "instructor" or "student"

    @property
    def group(self) -> str:
        return ROLES[self.role]


def read_roster(path) -> list:
    """The people of a CSV roster with columns id, first_name, last_name and role (instructor or student)."""
    path = Path(path)
    with open(path, newline="", encoding="utf-8") as lines:
        rows = list(csv.DictReader(lines))
    people = []
    for number, row in enumerate(rows, start=2):
        name, role = (row.get("id") or "").strip(), (row.get("role") or "").strip()
        if not _unix_name(name):
            raise RosterProblem(f"{path}, row {number}: {name!r} is not a login name (lower-case letters, digits, "
                                f"- and _, starting with a letter, at most 32 characters)")
        if role not in ROLES:
            raise RosterProblem(f"{path}, row {number}: role {role!r} is neither instructor nor student")
        people.append(Person(name, (row.get("first_name") or "").strip(), (row.get("last_name") or "").strip(), role))
    if not any(person.role == "instructor" for person in people):
        raise RosterProblem(f"{path}: no instructor (a row whose role is instructor)")
    return people


def _unix_name(name):
    return (0 < len(name) <= 32 and name[0].isascii() and name[0].islower()
            and all(c.isascii() and (c.islower() or c.isdigit() or c in "-_") for c in name))


class Accounts:
    """The machine's accounts (etc=None), or private copies of its account files in the folder `etc`."""

    def __init__(self, etc=None):
        self.etc = None if etc is None else Path(etc)
        if self.etc is not None:
            self.etc.mkdir(parents=True, exist_ok=True)
            for name in ACCOUNT_FILES:
                if not (self.etc / name).exists():
                    shutil.copy2(f"/etc/{name}", self.etc / name)

    def _tool(self, name, *args):
        prefix = ["--prefix", str(self.etc.parent)] if self.etc is not None else []
        uids = list(PRIVATE_UIDS) if self.etc is not None and name == "useradd" else []
        subprocess.run([name, *prefix, *uids, *args], check=True, capture_output=True, text=True)

    def _lookup(self, database, name):
        files = self.etc if self.etc is not None else Path("/etc")
        with open(files / database, encoding="utf-8") as entries:
            for entry in entries:
                fields = entry.rstrip("\n").split(":")
                if fields[0] == name:
                    return fields
        return None

    def uid(self, name) -> int:
        return int(self._lookup("passwd", name)[2])

    def gid(self, name) -> int:
        return int(self._lookup("group", name)[2])

    def add_group(self, group):
        if self._lookup("group", group) is None:
            self._tool("groupadd", group)

    def add_person(self, person, homes) -> str:
        """Make `person`'s account and private home (0700) under `homes`; return their first password, or "" when
        the account was there already (it is then left as it is, password and home included)."""
        if self._lookup("passwd", person.id) is not None:
            return ""
        home = Path(homes) / person.id
        full_name = f"{person.first_name} {person.last_name}".strip()
        self._tool("useradd", "--no-create-home", "--home-dir", str(home), "--shell", "/bin/bash",
                   "--gid", person.group, "--comment", full_name, person.id)
        password = secrets.token_urlsafe(12)
        hashed = subprocess.run(["openssl", "passwd", "-6", "-stdin"], input=password, check=True,
                                capture_output=True, text=True).stdout.strip()
        self._tool("usermod", "--password", hashed, person.id)
        home.mkdir(parents=True, exist_ok=True)
        os.chown(home, self.uid(person.id), self.gid(person.group))
        home.chmod(0o700)  # Debian's useradd -m makes homes 0755: a student could read another's work
        return password

    def view(self) -> list:
        """The command prefix that shows these accounts to what runs after it ([] for the machine's)."""
        if self.etc is None:
            return []
        overlay = [arg for name in ("passwd", "shadow", "group")
                   for arg in ("--ro-bind", str(self.etc / name), f"/etc/{name}")]
        return ["bwrap", "--bind", "/", "/", "--dev-bind", "/dev", "/dev", *overlay, "--"]

    def as_user(self, name, args) -> list:
        """`args` run by the user `name`, with their groups, seeing these accounts."""
        return [*self.view(), "setpriv", f"--reuid={name}", f"--regid={self.gid_of_user(name)}", "--init-groups",
                "--", *args]

    def gid_of_user(self, name) -> int:
        return int(self._lookup("passwd", name)[3])

    def home(self, name) -> Path:
        return Path(self._lookup("passwd", name)[5])

    def environment(self, name, path) -> dict:
        """The environment of `name` logged in, with `path` (an environment's bin/) first on PATH."""
        return {"HOME": str(self.home(name)), "USER": name, "LOGNAME": name, "LANG": "C.UTF-8",
                "PATH": f"{path}:/usr/local/bin:/usr/bin:/bin"}

    def run_as(self, name, args, path, cwd=None):
        """Run `args` as `name`; return the finished process (check=True)."""
        return subprocess.run(self.as_user(name, args), env=self.environment(name, path), cwd=cwd or self.home(name),
                              check=True, capture_output=True, text=True)
