"""Commitments in the admin: recorded by whoever reads the department's
results, audited, never deleted, translated for the employees who read them."""

from __future__ import annotations

import datetime as dt

import pytest
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from ownership.models import AuditEntry
from surveys.models import Commitment, CommitmentStatus
from tests.factories import prefer_language

ADD = "/admin/snippets/surveys/commitment/add/"
CALL_BACK = "Every complaint gets a personal call-back within one working day."
RUECKRUF = "Jede Beschwerde bekommt binnen eines Werktags einen Rückruf."
LIST = "/admin/snippets/surveys/commitment/"


def edit_url(commitment: Commitment) -> str:
    return f"/admin/snippets/surveys/commitment/edit/{commitment.pk}/"


def form(department, **fields) -> dict:
    data = {
        "department": department.pk,
        "wave": "",
        "statement": CALL_BACK,
        "language": "en",
        "translation_en": "",
        "translation_de": RUECKRUF,
        "translation_nl": "",
        "construct": "",
        "due_on": "2026-12-31",
        "status": "planned",
        "notes": inline_formset([]),
    }
    data.update(fields)
    return nested_form_data(data)


def commitment_of(department, **fields) -> Commitment:
    values = {
        "department": department,
        "statement": "Answer every e-mail within a day.",
        "due_on": dt.date(2026, 12, 1),
    }
    values.update(fields)
    return Commitment.objects.create(**values)


@pytest.mark.django_db
class TestRecording:
    def test_an_hr_analyst_records_a_commitment_with_a_translation_and_a_note(
        self, client, hr_analyst, org
    ):
        client.force_login(hr_analyst)
        assert client.get(ADD).status_code == 200
        notes = inline_formset([{"written_on": "2026-11-20", "text": "Rota agreed."}])
        response = client.post(ADD, form(org["claims"], notes=notes))
        assert response.status_code == 302, response.content.decode()[:3000]
        (commitment,) = Commitment.objects.all()
        assert commitment.department == org["claims"]
        assert commitment.status == CommitmentStatus.PLANNED
        assert commitment.translations == {"de": RUECKRUF}
        assert commitment.text("de").startswith("Jede Beschwerde")
        assert commitment.text("nl") == commitment.statement
        assert [(n.written_on, n.text) for n in commitment.notes.all()] == [
            (dt.date(2026, 11, 20), "Rota agreed.")
        ]
        entry = AuditEntry.objects.get(action="commitment-create")
        assert (entry.user, entry.channel) == (hr_analyst, "admin")
        assert entry.detail == f"#{commitment.pk} CLM: planned"

    def test_a_status_change_is_audited_with_what_it_was(self, client, hr_analyst, org):
        commitment = commitment_of(org["sales"])
        client.force_login(hr_analyst)
        page = client.get(edit_url(commitment)).content.decode()
        assert "Answer every e-mail within a day." in page
        response = client.post(
            edit_url(commitment),
            form(org["sales"], statement=commitment.statement, status="done"),
        )
        assert response.status_code == 302, response.content.decode()[:3000]
        commitment.refresh_from_db()
        assert commitment.status == CommitmentStatus.DONE
        entry = AuditEntry.objects.get(action="commitment-change")
        assert entry.detail == f"#{commitment.pk} SAL: done (was planned)"

    def test_bad_input_names_the_field_and_stores_nothing(
        self, client, hr_analyst, org
    ):
        client.force_login(hr_analyst)
        response = client.post(ADD, form(org["claims"], statement="", due_on="soon"))
        assert response.status_code == 200
        page = response.content.decode()
        assert "This field is required." in page and "Enter a valid date." in page
        assert not Commitment.objects.exists()
        assert not AuditEntry.objects.filter(action__startswith="commitment").exists()

    def test_nobody_deletes_a_commitment(self, client, hr_analyst, org):
        commitment = commitment_of(org["claims"])
        client.force_login(hr_analyst)
        listing = client.get(LIST).content.decode()
        assert commitment.statement in listing
        assert f"/delete/{commitment.pk}/" not in listing
        client.post(f"/admin/snippets/surveys/commitment/delete/{commitment.pk}/")
        assert Commitment.objects.filter(pk=commitment.pk).exists()


@pytest.mark.django_db
class TestWhoMay:
    def test_a_department_head_works_on_their_subtree_only(
        self, client, department_head, org
    ):
        own = commitment_of(org["motor"], statement="Motor: call back.")
        other = commitment_of(org["sales"], statement="Sales: call back.")
        client.force_login(department_head)
        listing = client.get(LIST).content.decode()
        assert "Motor: call back." in listing
        assert "Sales: call back." not in listing
        assert client.get(edit_url(own)).status_code == 200
        assert client.get(edit_url(other)).status_code in (302, 403)
        page = client.get(ADD).content.decode()
        assert "Motor Claims (CLM-MOT)" in page and "Sales (SAL)" not in page
        refused = client.post(ADD, form(org["sales"]))
        assert refused.status_code == 200
        assert "Select a valid choice." in refused.content.decode()
        assert client.post(ADD, form(org["claims"])).status_code == 302
        assert Commitment.objects.filter(department=org["claims"]).count() == 1

    def test_people_who_read_no_results_see_no_commitments(
        self, client, employee_user, org
    ):
        commitment_of(org["sales"])
        client.force_login(employee_user)
        assert client.get(LIST).status_code in (302, 403)
        assert client.post(ADD, form(org["sales"])).status_code in (302, 403)
        assert Commitment.objects.count() == 1

    def test_the_results_menu_offers_commitments(self, client, department_head):
        client.force_login(department_head)
        page = client.get("/admin/results/").content.decode()
        assert LIST in page


@pytest.mark.django_db
def test_the_form_speaks_the_editors_language(client, hr_analyst):
    prefer_language(hr_analyst, "de")
    client.force_login(hr_analyst)
    page = client.get(ADD).content.decode()
    assert "Auf Deutsch" in page and "Auf Niederländisch" in page
    assert "Fortschrittsnotizen" in page and "Übersetzungen" in page


@pytest.mark.django_db
class TestOnTheResultsHome:
    def test_due_and_overdue_commitments_of_the_heads_departments(
        self, client, department_head, org
    ):
        from django.utils import timezone

        today = timezone.localdate()
        overdue = commitment_of(
            org["motor"], statement="Overdue one.", due_on=today - dt.timedelta(days=2)
        )
        commitment_of(
            org["claims"], statement="Soon one.", due_on=today + dt.timedelta(days=5)
        )
        commitment_of(
            org["claims"], statement="Later one.", due_on=today + dt.timedelta(days=40)
        )
        commitment_of(
            org["claims"],
            statement="Finished one.",
            due_on=today,
            status=CommitmentStatus.DONE,
        )
        commitment_of(
            org["sales"], statement="Not theirs.", due_on=today + dt.timedelta(days=1)
        )
        client.force_login(department_head)
        html = client.get("/admin/results/").content.decode()
        section = html[html.index('id="home-commitments"') :]
        assert section.index("Overdue one.") < section.index("Soon one.")
        assert section.count("overdue</span>") == 1
        assert edit_url(overdue) in section
        for absent in ("Later one.", "Finished one.", "Not theirs."):
            assert absent not in section
        # No wave has final results here, so nothing asks to record one.
        assert "are out" not in section

    def test_nothing_due(self, client, hr_analyst, org):
        client.force_login(hr_analyst)
        html = client.get("/admin/results/").content.decode()
        assert "No open commitment is due in the next two weeks." in html


@pytest.mark.django_db
class TestOnTheForm:
    """The next pulse shows each respondent what their department, and the
    departments above it, committed to since the last pulse."""

    @pytest.fixture
    def pulses(self, org):
        from surveys.models import Invitation
        from tests.factories import (
            EmployeeFactory,
            likert,
            make_survey,
            open_wave,
        )

        page = make_survey([likert("FR-1")])
        EmployeeFactory(department=org["motor"], language="de")
        EmployeeFactory(department=org["sales"])
        first = open_wave(
            page, org["board"], label="Pulse 1", days=(30, 20), invite=False
        )
        theme = first.snapshot["questions"][0]["construct"]
        call_back = commitment_of(
            org["claims"],
            statement=CALL_BACK,
            translations={"de": RUECKRUF},
            construct=theme,
            due_on=dt.date(2026, 12, 20),
            status=CommitmentStatus.DONE,
        )
        commitment_of(org["motor"], statement="Photos are enough.")
        commitment_of(org["sales"], statement="Quotes within a day.")
        commitment_of(
            org["claims"], statement="Given up.", status=CommitmentStatus.DROPPED
        )
        old = commitment_of(org["claims"], statement="From long ago.")
        Commitment.objects.filter(pk=old.pk).update(
            created_at=first.opens_at - dt.timedelta(days=1)
        )
        second = open_wave(page, org["board"], label="Pulse 2")
        tokens = {
            i.employee.department.code: i.token
            for i in Invitation.objects.filter(wave=second).select_related(
                "employee__department"
            )
        }
        return {"first": first, "second": second, "tokens": tokens, "kept": call_back}

    def _section(self, client, token: str, language: str) -> str:
        html = client.get(f"/s/{token}/?lang={language}").content.decode()
        if 'id="commitments-heading"' not in html:
            return ""
        start = html.index('id="commitments-heading"')
        return html[start : html.index("</section>", start)]

    def test_a_department_sees_its_own_and_those_above_it(self, client, pulses):
        section = self._section(client, pulses["tokens"]["CLM-MOT"], "de")
        assert "Was wir seit dem letzten Puls zugesagt haben" in section
        assert RUECKRUF in section and "Photos are enough." in section
        assert "Erledigt" in section and "Sie haben uns zu" in section
        for absent in ("Quotes within a day.", "Given up.", "From long ago."):
            assert absent not in section

    def test_another_department_sees_only_its_own(self, client, pulses):
        section = self._section(client, pulses["tokens"]["SAL"], "en")
        assert "Quotes within a day." in section
        assert CALL_BACK not in section and "Photos are enough." not in section

    def test_what_a_wave_shows_is_frozen_when_it_opens(self, client, pulses):
        Commitment.objects.filter(pk=pulses["kept"].pk).update(
            translations={"de": "Später umformuliert."}
        )
        section = self._section(client, pulses["tokens"]["CLM-MOT"], "de")
        assert RUECKRUF in section and "Später umformuliert." not in section

    def test_a_first_wave_has_nothing_to_show(self, client, pulses):
        assert pulses["first"].snapshot["commitments"] == {
            "items": {},
            "shown": {},
            "asked": {},
        }
