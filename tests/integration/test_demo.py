from __future__ import annotations

import shlex
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from ownership.demo import DEPARTMENTS, headcounts
from ownership.models import Department, Employee, EventKind, OrganisationEvent


def org_state():
    return (
        list(Department.objects.values_list("code", "path", "name")),
        list(
            Employee.objects.order_by("external_id").values_list(
                "external_id", "email", "display_name", "department__code", "language"
            )
        ),
    )


@pytest.mark.django_db
class TestSeedDemo:
    def test_builds_the_insurer(self, capsys, django_capture_on_commit_callbacks):
        from django.core import mail

        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("seed_demo")
        # The demo's waves are history: no head is told of their results.
        assert mail.outbox == []
        out = capsys.readouterr().out
        assert Employee.objects.count() == 600
        assert Department.objects.count() == len(DEPARTMENTS)
        assert max(Department.objects.values_list("depth", flat=True)) == 3
        board = Department.objects.get(code="BOARD")
        assert board.is_root()
        assert Department.objects.get(code="CLM-MOT").get_parent().code == "CLM"
        assert Department.objects.get(code="CCO").get_parent() == board
        # Some departments must stay below the default reporting threshold of 5.
        small = [
            d.code
            for d in Department.objects.all()
            if d.employees.count() and d.employees.count() < 5
        ]
        assert {"CCO", "BOARD", "LEG", "CLM-FRD"} <= set(small)
        assert (
            OrganisationEvent.objects.filter(kind=EventKind.CCO_APPOINTED).count() == 1
        )
        for username in ("admin", "hr", "head.claims"):
            assert username in out
        users = get_user_model().objects
        assert users.get(username="admin").is_superuser
        assert users.get(username="hr").groups.filter(name="HR analysts").exists()
        head = users.get(username="head.claims")
        assert head.employee.department.code == "CLM"

    def test_printed_passwords_work(self, client, capsys):
        call_command("seed_demo", "--employees", "80")
        lines = capsys.readouterr().out.splitlines()
        logins = dict(
            line.split()
            for line in lines
            if line.startswith("  ") and len(line.split()) == 2
        )
        assert set(logins) == {"admin", "hr", "head.claims"}
        # Through the admin's sign-in form, as a person would.
        signed_in = client.post(
            "/admin/login/", {"username": "hr", "password": logins["hr"]}
        )
        assert signed_in.status_code == 302
        landing = client.get("/admin/", follow=True)
        assert landing.status_code == 200
        assert landing.redirect_chain == [("/admin/results/", 302)]

    def test_the_readmes_token_commands_work_on_the_demo(self, capsys):
        # Every `manage.py create_api_token ...` line of the README, run as
        # written against the demo's logins.
        readme = (Path(__file__).parents[2] / "README.md").read_text()
        commands = [
            shlex.split(line.split("manage.py", 1)[1].split("|")[0].split("#")[0])
            for line in readme.replace("\\\n", " ").splitlines()
            if "manage.py create_api_token" in line
        ]
        assert commands
        call_command("seed_demo", "--employees", "80")
        for name, *args in commands:
            capsys.readouterr()
            call_command(name, *args)
            assert capsys.readouterr().out.strip().splitlines()[-1].startswith("co_")

    def test_is_deterministic_and_safe_to_run_twice(self, capsys):
        call_command("seed_demo", "--seed", "7", "--employees", "120")
        first = org_state()
        call_command("seed_demo", "--seed", "7", "--employees", "120")
        assert org_state() == first
        assert "already exist" in capsys.readouterr().out
        assert OrganisationEvent.objects.count() == 1
        assert get_user_model().objects.count() == 3

    def test_another_seed_gives_other_people(self):
        call_command("seed_demo", "--seed", "1", "--employees", "100")
        first = org_state()[1]
        call_command("seed_demo", "--seed", "2", "--employees", "100")
        assert org_state()[1] != first

    def test_too_few_employees(self):
        with pytest.raises(CommandError, match="at least 60"):
            call_command("seed_demo", "--employees", "10")
        assert not Employee.objects.exists()


def test_headcounts_add_up():
    for total in (60, 97, 600, 5000):
        counts = headcounts(total)
        assert sum(counts.values()) == total
        assert all(n >= 1 for n in counts.values())
