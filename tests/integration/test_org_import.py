"""The HRIS import: all or nothing, idempotent, with a brake on mass deactivation."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ownership.models import Department, Employee
from ownership.services import OrgImportError, org_import

HEADER = (
    "external_id,email,name,department_code,department_name,"
    "parent_department_code,customer_facing,language\n"
)
GOOD = HEADER + (
    "E1,ann@example.com,Ann Board,BOARD,Board,,no,de\n"
    "E2,bob@example.com,Bob Claims,CLM,Claims,BOARD,yes,en\n"
    "E3,cas@example.com,Cas Claims,CLM,Claims,BOARD,yes,nl\n"
    "E4,dee@example.com,Dee Motor,CLM-MOT,Motor Claims,CLM,yes,\n"
    "E5,eve@example.com,Eve Sales,SAL,Sales,BOARD,true,de\n"
)


def snapshot():
    """Everything the import can change, to compare before and after."""
    return (
        list(
            Department.objects.order_by("code").values_list(
                "code", "name", "path", "is_customer_facing"
            )
        ),
        list(
            Employee.objects.order_by("external_id").values_list(
                "external_id",
                "email",
                "display_name",
                "department__code",
                "language",
                "is_active",
            )
        ),
    )


@pytest.fixture
def imported(db):
    return org_import(data=GOOD.encode())


class TestGoodFile:
    def test_creates_tree_and_employees(self, imported):
        assert imported.employees_created == 5
        assert imported.departments_created == 4
        motor = Department.objects.get(code="CLM-MOT")
        assert motor.get_parent().code == "CLM"
        assert motor.get_parent().get_parent().code == "BOARD"
        assert Department.objects.get(code="SAL").is_customer_facing is True
        assert Department.objects.get(code="BOARD").is_customer_facing is False
        dee = Employee.objects.get(external_id="E4")
        assert (dee.language, dee.department.code, dee.is_active) == (
            "en",
            "CLM-MOT",
            True,
        )

    def test_rerun_changes_nothing(self, imported):
        before = snapshot()
        report = org_import(data=GOOD.encode())
        assert report.employees_created == report.employees_updated == 0
        assert report.employees_unchanged == 5
        assert report.departments_created == report.departments_updated == 0
        assert snapshot() == before

    def test_rerun_updates_and_moves(self, imported):
        changed = GOOD.replace("Eve Sales,SAL,Sales,BOARD", "Eve Sales,SAL,Sales,CLM")
        changed = changed.replace("bob@example.com", "robert@example.com")
        report = org_import(data=changed.encode())
        assert report.employees_updated == 1
        assert report.departments_updated == 1
        assert Department.objects.get(code="SAL").get_parent().code == "CLM"
        assert Employee.objects.get(external_id="E2").email == "robert@example.com"
        # The tree stays consistent after a move.
        assert Department.find_problems() == ([], [], [], [], [])

    def test_missing_employees_are_deactivated_not_deleted(self, db):
        many = HEADER + "".join(
            f"E{i},p{i}@example.com,P {i},BOARD,Board,,no,en\n" for i in range(10)
        )
        org_import(data=many.encode())
        fewer = HEADER + "".join(
            f"E{i},p{i}@example.com,P {i},BOARD,Board,,no,en\n" for i in range(1, 10)
        )
        report = org_import(data=fewer.encode())
        assert report.employees_deactivated == 1
        assert Employee.objects.get(external_id="E0").is_active is False
        assert Employee.objects.count() == 10
        # Listed again: active again.
        org_import(data=many.encode())
        assert Employee.objects.get(external_id="E0").is_active is True

    def test_dry_run_changes_nothing(self, db):
        report = org_import(data=GOOD.encode(), dry_run=True)
        assert report.dry_run and report.employees_created == 5
        assert report.departments_created == 4
        assert not Department.objects.exists()
        assert not Employee.objects.exists()

    def test_bom_and_semicolons_are_accepted(self, db):
        data = "\ufeff" + GOOD.replace(",", ";")
        report = org_import(data=data.encode("utf-8"))
        assert report.employees_created == 5

    def test_parent_may_already_exist(self, imported):
        extra = HEADER + "E9,zed@example.com,Zed,CLM-PRP,Property,CLM,yes,en\n"
        report = org_import(data=(GOOD + extra[len(HEADER) :]).encode())
        assert report.departments_created == 1
        only_new = HEADER + "E9,zed@example.com,Zed,CLM-NEW,New,CLM,yes,en\n"
        org_import(data=only_new.encode(), allow_mass_deactivation=True)
        assert Department.objects.get(code="CLM-NEW").get_parent().code == "CLM"


class TestMassDeactivationBrake:
    def _org(self, n):
        return HEADER + "".join(
            f"E{i},p{i}@example.com,P {i},BOARD,Board,,no,en\n" for i in range(n)
        )

    def test_refuses_more_than_20_percent(self, db):
        org_import(data=self._org(10).encode())
        before = snapshot()
        with pytest.raises(OrgImportError) as exc:
            org_import(data=self._org(7).encode())
        assert "3 of 10" in str(exc.value)
        assert "--allow-mass-deactivation" in str(exc.value)
        assert snapshot() == before

    def test_exactly_20_percent_passes(self, db):
        org_import(data=self._org(10).encode())
        report = org_import(data=self._org(8).encode())
        assert report.employees_deactivated == 2

    def test_override(self, db):
        org_import(data=self._org(10).encode())
        report = org_import(data=self._org(2).encode(), allow_mass_deactivation=True)
        assert report.employees_deactivated == 8
        assert Employee.objects.active().count() == 2


BAD_ROWS = {
    "unknown parent": (
        "E6,fay@example.com,Fay,XX,Ghost team,NOPE,no,en\n",
        "line 8, parent_department_code: Unknown parent department 'NOPE'",
    ),
    "duplicate id": (
        "E1,ann2@example.com,Ann Again,BOARD,Board,,no,de\n",
        "line 8, external_id: Duplicate id 'E1', first seen on line 2.",
    ),
    "bad email": (
        "E6,not-an-email,Fay,BOARD,Board,,no,en\n",
        "line 8, email: 'not-an-email' is not a valid e-mail address.",
    ),
    "unknown language": (
        "E6,fay@example.com,Fay,BOARD,Board,,no,fr\n",
        "line 8, language: Unknown language 'fr'",
    ),
    "bad boolean": (
        "E6,fay@example.com,Fay,BOARD,Board,,maybe,en\n",
        "line 8, customer_facing: 'maybe' is not yes/no",
    ),
    "missing name": (
        "E6,fay@example.com,,BOARD,Board,,no,en\n",
        "line 8, name: This field is required.",
    ),
    "inconsistent department": (
        "E6,fay@example.com,Fay,CLM,Claims Division,BOARD,yes,en\n",
        "line 8, department_name: Department 'CLM' has a different department_name",
    ),
    "wrong field count": (
        "E6,fay@example.com,Fay,BOARD\n",
        "line 8: Expected 8 fields, found 4.",
    ),
}


class TestBadFiles:
    @pytest.mark.parametrize("case", BAD_ROWS, ids=list(BAD_ROWS))
    def test_bad_row_aborts_everything(self, imported, case):
        row, message = BAD_ROWS[case]
        before = snapshot()
        # A new, otherwise good row is in the same file and must not be stored.
        data = GOOD + "E7,gus@example.com,Gus,SAL,Sales,BOARD,true,de\n" + row
        with pytest.raises(OrgImportError) as exc:
            org_import(data=data.encode())
        assert any(str(p).startswith(message) for p in exc.value.problems), [
            str(p) for p in exc.value.problems
        ]
        assert snapshot() == before

    def test_every_problem_is_listed_with_its_line(self, db):
        data = HEADER + (
            "E1,bad,Ann,BOARD,Board,,no,de\n"
            "E2,bob@example.com,Bob,CLM,Claims,BOARD,yes,xx\n"
            "E2,cas@example.com,Cas,CLM,Claims,BOARD,yes,en\n"
        )
        with pytest.raises(OrgImportError) as exc:
            org_import(data=data.encode())
        lines = sorted((p.line, p.field) for p in exc.value.problems)
        assert lines == [(2, "email"), (3, "language"), (4, "external_id")]
        assert not Employee.objects.exists()

    def test_cycle(self, db):
        data = HEADER + (
            "E1,a@example.com,A,AAA,A dept,CCC,no,en\n"
            "E2,b@example.com,B,BBB,B dept,AAA,no,en\n"
            "E3,c@example.com,C,CCC,C dept,BBB,no,en\n"
        )
        with pytest.raises(OrgImportError) as exc:
            org_import(data=data.encode())
        assert len(exc.value.problems) == 1
        assert "cycle" in str(exc.value.problems[0])
        assert not Department.objects.exists()

    def test_cycle_through_an_existing_department(self, imported):
        # BOARD under CLM-MOT, which is under CLM under BOARD.
        data = GOOD.replace(
            "E1,ann@example.com,Ann Board,BOARD,Board,,no,de",
            "E1,ann@example.com,Ann Board,BOARD,Board,CLM-MOT,no,de",
        )
        before = snapshot()
        with pytest.raises(OrgImportError) as exc:
            org_import(data=data.encode())
        assert "cycle" in str(exc.value)
        assert snapshot() == before

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            (b"", "The file is empty."),
            (b"  \n\n", "The file is empty."),
            (HEADER.encode(), "The file has a header but no employees."),
            (
                GOOD.encode("latin-1").replace(b"Ann", b"\xc4nn"),
                "line 2: The file is not UTF-8 encoded (byte 0xC4",
            ),
            (
                b"external_id,email,name\nE1,a@example.com,A\n",
                "line 1: Missing columns: department_code, department_name, "
                "parent_department_code, customer_facing, language.",
            ),
            (
                (HEADER + 'E1,"a@example.com,A,BOARD,Board,,no,en\n').encode(),
                "line 2: The file is not valid CSV: unexpected end of data.",
            ),
            (b"PK\x03\x04\x00\x00binary", "The file contains binary data"),
        ],
        ids=[
            "empty",
            "blank",
            "header-only",
            "latin-1",
            "missing-columns",
            "unclosed-quote",
            "binary",
        ],
    )
    def test_unreadable_file_gets_one_clear_message(self, imported, data, message):
        before = snapshot()
        with pytest.raises(OrgImportError) as exc:
            org_import(data=data)
        assert len(exc.value.problems) == 1
        assert str(exc.value.problems[0]).startswith(message), str(exc.value)
        assert snapshot() == before


class TestCommand:
    def test_imports_and_reports(self, db, tmp_path, capsys):
        path = tmp_path / "org.csv"
        path.write_text(GOOD, encoding="utf-8")
        call_command("import_org", str(path))
        out = capsys.readouterr().out
        assert "5 employees created" in out
        assert "4 departments created" in out
        assert Employee.objects.count() == 5

    def test_dry_run(self, db, tmp_path, capsys):
        path = tmp_path / "org.csv"
        path.write_text(GOOD, encoding="utf-8")
        call_command("import_org", str(path), "--dry-run")
        assert "Dry run, nothing changed" in capsys.readouterr().out
        assert not Employee.objects.exists()

    def test_bad_file_lists_problems_and_fails(self, db, tmp_path, capsys):
        path = tmp_path / "org.csv"
        path.write_text(GOOD + "E1,x@example.com,X,BOARD,Board,,no,en\n")
        with pytest.raises(CommandError, match="1 problem"):
            call_command("import_org", str(path))
        assert "line 7, external_id: Duplicate id 'E1'" in capsys.readouterr().err
        assert not Employee.objects.exists()

    def test_missing_file(self, db, tmp_path):
        with pytest.raises(CommandError, match="Cannot read"):
            call_command("import_org", str(tmp_path / "nope.csv"))

    def test_progress_on_large_files(self, db, tmp_path, capsys):
        rows = "".join(
            f"E{i},p{i}@example.com,P {i},BOARD,Board,,no,en\n" for i in range(2500)
        )
        path = tmp_path / "big.csv"
        path.write_text(HEADER + rows)
        call_command("import_org", str(path))
        out = capsys.readouterr().out
        assert "Checking rows: 1,000/2,500" in out
        assert "Importing employees: 2,500/2,500" in out
        assert Employee.objects.count() == 2500

    def test_mass_deactivation_flag(self, db, tmp_path, capsys):
        path = tmp_path / "org.csv"
        path.write_text(GOOD)
        call_command("import_org", str(path))
        path.write_text(HEADER + GOOD.splitlines(keepends=True)[1])
        with pytest.raises(CommandError):
            call_command("import_org", str(path))
        assert Employee.objects.active().count() == 5
        call_command("import_org", str(path), "--allow-mass-deactivation")
        assert Employee.objects.active().count() == 1
