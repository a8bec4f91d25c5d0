"""The course hub's setup, part by part, without a hub: its roster, its accounts, what every user can run."""
import os
import shutil

import pytest

from autograder.hub.__main__ import TRIAL_ROSTER, main
from autograder.hub.accounts import Accounts, RosterProblem, read_roster
from autograder.hub.environment import everyone_can_run
from autograder.hub.layout import INSTRUCTORS, STUDENTS


def test_the_trial_roster_has_an_instructor_and_students():
    people = read_roster(TRIAL_ROSTER)
    assert [person.role for person in people].count("instructor") == 1
    assert {person.group for person in people} == {INSTRUCTORS, STUDENTS}


@pytest.mark.parametrize("rows, problem", [
    ("id,first_name,last_name,role\nAmara O,Amara,Okafor,student\nines,Ines,Moreau,instructor\n",
     "row 2: 'Amara O' is not a login name"),
    ("id,first_name,last_name,role\nines,Ines,Moreau,teacher\n", "row 2: role 'teacher' is neither"),
    ("id,first_name,last_name,role\namara,Amara,Okafor,student\n", "no instructor"),
])
def test_a_roster_it_cannot_use_is_named_with_its_row_and_problem(tmp_path, rows, problem):
    roster = tmp_path / "roster.csv"
    roster.write_text(rows, encoding="utf-8")
    with pytest.raises(RosterProblem, match=f"^{roster}") as raised:
        read_roster(roster)
    assert problem in str(raised.value)


def test_the_setup_says_what_is_wrong_with_a_roster_in_one_line(tmp_path, capsys):
    roster = tmp_path / "roster.csv"
    roster.write_text("id,first_name,last_name,role\nines,Ines,Moreau,teacher\n", encoding="utf-8")
    assert main(["setup", "--prefix", str(tmp_path / "hub"), "--roster", str(roster)]) == 1
    error = capsys.readouterr().err
    assert error.startswith(f"error: {roster}, row 2") and error.count("\n") == 1
    assert not (tmp_path / "hub").exists()


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("useradd") is None, reason="makes accounts: root's tools")
def test_private_accounts_get_a_private_home_and_a_password_and_the_machine_gains_no_user(tmp_path):
    machine = open("/etc/passwd", encoding="utf-8").read()
    accounts = Accounts(tmp_path / "accounts" / "etc")
    for group in (INSTRUCTORS, STUDENTS):
        accounts.add_group(group)
    amara = next(person for person in read_roster(TRIAL_ROSTER) if person.id == "amara")
    password = accounts.add_person(amara, tmp_path / "home")
    home = tmp_path / "home" / "amara"
    assert len(password) >= 16 and oct(home.stat().st_mode & 0o777) == "0o700"
    assert home.stat().st_uid == accounts.uid("amara") and accounts.home("amara") == home
    assert accounts.add_person(amara, tmp_path / "home") == ""  # there already: left as it is
    assert open("/etc/passwd", encoding="utf-8").read() == machine


def test_a_python_under_a_private_folder_is_not_one_every_user_can_run(tmp_path):
    private = tmp_path / "private"
    (private / "bin").mkdir(parents=True)
    python = private / "bin" / "python3"
    python.write_text("")
    python.chmod(0o755)
    private.chmod(0o700)
    assert not everyone_can_run(python)


@pytest.mark.skipif(not os.path.exists("/usr/bin/python3"), reason="Debian's python3")
def test_debians_python_is_one_every_user_can_run():
    assert everyone_can_run("/usr/bin/python3")
