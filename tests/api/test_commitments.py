"""``/api/v1/commitments/``: read with organisation:read or results:read,
recorded and updated with commitments:write, inside the token's departments."""

from __future__ import annotations

import datetime as dt

import pytest

from ownership.models import AuditEntry
from surveys.models import Commitment, CommitmentNote
from tests.api.conftest import errors_of

URL = "/api/v1/commitments/"


@pytest.fixture
def commitments(org):
    claims = Commitment.objects.create(
        department=org["claims"],
        statement="Every complaint gets a personal call-back within one working day.",
        translations={"de": "Jeder Beschwerde folgt binnen eines Werktags ein Anruf."},
        due_on=dt.date(2026, 12, 1),
        status="in_progress",
    )
    CommitmentNote.objects.create(
        commitment=claims, written_on=dt.date(2026, 11, 2), text="Rota agreed."
    )
    motor = Commitment.objects.create(
        department=org["motor"],
        statement="Photos of the damage are enough.",
        due_on=dt.date(2026, 10, 1),
        status="done",
    )
    sales = Commitment.objects.create(
        department=org["sales"],
        statement="Quotes within a day.",
        due_on=dt.date(2027, 1, 15),
        status="dropped",
    )
    return {"claims": claims, "motor": motor, "sales": sales}


def statements(response) -> list[str]:
    return [row["statement"] for row in response.json()["results"]]


@pytest.mark.django_db
class TestReading:
    def test_the_list_holds_every_field_latest_due_date_first(
        self, org_client, commitments
    ):
        response = org_client.get(URL)
        assert response.status_code == 200
        rows = response.json()["results"]
        assert [row["department"] for row in rows] == ["SAL", "CLM", "CLM-MOT"]
        claims = rows[1]
        assert claims == {
            "id": commitments["claims"].pk,
            "department": "CLM",
            "wave": None,
            "statement": commitments["claims"].statement,
            "language": "en",
            "translations": commitments["claims"].translations,
            "construct": "",
            "due_on": "2026-12-01",
            "status": "in_progress",
            "notes": [{"written_on": "2026-11-02", "text": "Rota agreed."}],
            "created_at": claims["created_at"],
            "updated_at": claims["updated_at"],
        }

    def test_filters_by_department_subtree_and_status(self, org_client, commitments):
        by_claims = org_client.get(URL, {"department": "CLM"})
        assert [r["department"] for r in by_claims.json()["results"]] == [
            "CLM",
            "CLM-MOT",
        ]
        done = org_client.get(URL, {"status": "done"})
        assert statements(done) == ["Photos of the damage are enough."]
        assert org_client.get(URL, {"department": "NOPE"}).json()["results"] == []
        wrong = org_client.get(URL, {"status": "finished"})
        assert wrong.status_code == 400
        assert errors_of(wrong)[0]["field"] == "status"
        for empty in ("status", "department"):
            refused = org_client.get(URL, {empty: ""})
            assert refused.status_code == 400
            assert errors_of(refused)[0]["field"] == empty

    def test_a_token_limited_to_departments_sees_theirs(
        self, make_key, client_for, commitments
    ):
        client = client_for(make_key("results:read", departments=["CLM-MOT"]))
        assert statements(client.get(URL)) == ["Photos of the damage are enough."]
        hidden = commitments["sales"].pk
        assert client.get(f"{URL}{hidden}/").status_code == 404

    def test_reading_needs_a_scope(self, make_key, client_for, commitments):
        writer = client_for(make_key("responses:write"))
        assert writer.get(URL).status_code == 403
        assert client_for().get(URL).status_code == 401


@pytest.mark.django_db
class TestWriting:
    def test_a_tool_records_a_commitment_and_updates_its_status(
        self, make_key, client_for, org, hr_analyst
    ):
        client = client_for(make_key("commitments:write", "organisation:read"))
        created = client.post(
            URL,
            {
                "department": "CLM",
                "statement": "Call back within a day.",
                "translations": {"nl": "Binnen een dag terugbellen."},
                "due_on": "2026-12-31",
            },
            format="json",
        )
        assert created.status_code == 201, created.json()
        body = created.json()
        assert (body["status"], body["language"], body["department"]) == (
            "planned",
            "en",
            "CLM",
        )
        commitment = Commitment.objects.get(pk=body["id"])
        assert commitment.text("nl") == "Binnen een dag terugbellen."
        changed = client.patch(
            f"{URL}{commitment.pk}/", {"status": "done"}, format="json"
        )
        assert changed.status_code == 200, changed.json()
        assert changed.json()["status"] == "done"
        entries = AuditEntry.objects.filter(action__startswith="commitment")
        assert [
            (e.action, e.channel, e.user, e.detail) for e in entries.order_by("pk")
        ] == [
            ("commitment-create", "api", hr_analyst, f"#{commitment.pk} CLM: planned"),
            (
                "commitment-change",
                "api",
                hr_analyst,
                f"#{commitment.pk} CLM: done (was planned)",
            ),
        ]

    def test_writing_needs_the_scope(self, org_client, commitments):
        response = org_client.patch(
            f"{URL}{commitments['claims'].pk}/", {"status": "done"}, format="json"
        )
        assert response.status_code == 403
        assert errors_of(response)[0]["code"] == "missing_scope"
        commitments["claims"].refresh_from_db()
        assert commitments["claims"].status == "in_progress"

    def test_outside_the_tokens_departments_nothing_is_written(
        self, make_key, client_for, commitments
    ):
        client = client_for(make_key("commitments:write", departments=["CLM"]))
        outside = client.post(
            URL,
            {"department": "SAL", "statement": "X.", "due_on": "2026-12-31"},
            format="json",
        )
        assert outside.status_code == 400
        assert [(e["field"], e["code"]) for e in errors_of(outside)] == [
            ("department", "does_not_exist")
        ]
        sales = commitments["sales"].pk
        assert (
            client.patch(
                f"{URL}{sales}/", {"status": "done"}, format="json"
            ).status_code
            == 404
        )
        assert Commitment.objects.count() == 3
        assert not AuditEntry.objects.filter(action__startswith="commitment").exists()

    def test_bad_input_names_each_field(self, make_key, client_for, org):
        client = client_for(make_key("commitments:write"))
        response = client.post(
            URL,
            {
                "department": "CLM",
                "statement": "",
                "due_on": "soon",
                "status": "finished",
                "translations": {"fr": "Rappeler."},
                "construct": "no-such-theme",
            },
            format="json",
        )
        assert response.status_code == 400
        fields = {e["field"] for e in errors_of(response)}
        assert fields == {"statement", "due_on", "status", "translations", "construct"}
        assert not Commitment.objects.exists()

    def test_put_and_delete_are_not_offered(self, make_key, client_for, commitments):
        client = client_for(make_key("commitments:write"))
        path = f"{URL}{commitments['claims'].pk}/"
        assert client.delete(path).status_code == 405
        assert client.put(path, {}, format="json").status_code == 405
        assert Commitment.objects.filter(pk=commitments["claims"].pk).exists()
