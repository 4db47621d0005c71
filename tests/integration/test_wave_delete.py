"""Deleting a wave in the admin: offered in the listing only while nobody has
answered, and always confirmed by typing the wave's label."""

from __future__ import annotations

import datetime as dt
from html import unescape

import pytest
from django.utils import timezone

from surveys.models import (
    Comment,
    Invitation,
    Release,
    ReleaseReport,
    Response,
    Wave,
)
from surveys.services import invitations_issue, response_submit, wave_open
from tests.factories import EmployeeFactory, make_survey, publish

LISTING = "/admin/snippets/surveys/wave/"


def delete_url(wave: Wave) -> str:
    return f"/admin/snippets/surveys/wave/delete/{wave.pk}/"


def _wave(page, org, label: str) -> Wave:
    now = timezone.now()
    wave = Wave.objects.create(
        survey=page,
        label=label,
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=14),
        interim_results=True,
    )
    wave.audience.set([org["claims"]])
    return wave


@pytest.fixture
def survey(db):
    return make_survey()


@pytest.fixture
def answered(org, survey):
    """An open wave: 4 invitations, 3 responses and 1 interim release."""
    employees = EmployeeFactory.create_batch(4, department=org["claims"])
    wave = wave_open(wave=_wave(survey, org, "Spring pulse"))
    invitations_issue(wave=wave, send=False)
    first = wave.snapshot["questions"][0]["id"]
    for employee, answer in zip(employees[:3], (2, 4, 5), strict=True):
        token = Invitation.objects.get(wave=wave, employee=employee).token
        response_submit(token=token, answers={first: answer})
    publish(wave)
    return wave


@pytest.fixture
def draft(org, survey):
    """A wave nobody has been asked to answer yet."""
    return _wave(survey, org, "Autumn pulse")


def html(response) -> str:
    return unescape(response.content.decode())


def leftovers(pk: int) -> dict[str, int]:
    return {
        "responses": Response.objects.filter(wave_id=pk).count(),
        "comments": Comment.objects.filter(wave_id=pk).count(),
        "invitations": Invitation.objects.filter(wave_id=pk).count(),
        "releases": Release.objects.filter(wave_id=pk).count(),
        "reports": ReleaseReport.objects.filter(release__wave_id=pk).count(),
    }


@pytest.mark.django_db
class TestListingRowMenu:
    def test_delete_is_offered_only_for_waves_without_responses(
        self, client, superuser, answered, draft
    ):
        client.force_login(superuser)
        listing = html(client.get(LISTING))
        # Both rows are there, with their other actions.
        assert f"/admin/snippets/surveys/wave/edit/{answered.pk}/" in listing
        assert f"/admin/snippets/surveys/wave/edit/{draft.pk}/" in listing
        assert delete_url(draft) in listing
        assert delete_url(answered) not in listing

    def test_bulk_delete_leaves_answered_waves_alone(
        self, client, superuser, answered, draft
    ):
        client.force_login(superuser)
        url = (
            f"/admin/bulk/surveys/wave/delete/?next={LISTING}"
            f"&id={answered.pk}&id={draft.pk}"
        )
        page = html(client.get(url))
        assert "These waves are not deleted here" not in page
        assert "This wave is not deleted here: it has responses" in page
        response = client.post(url)
        assert response.status_code == 302
        assert Wave.objects.filter(pk=answered.pk).exists()
        assert not Wave.objects.filter(pk=draft.pk).exists()
        assert leftovers(answered.pk)["responses"] == 3


@pytest.mark.django_db
class TestDeletePage:
    def test_says_what_would_be_destroyed(self, client, superuser, answered):
        client.force_login(superuser)
        response = client.get(delete_url(answered))
        assert response.status_code == 200
        page = html(response)
        assert (
            "This will permanently delete 3 responses, 4 invitations and 1 release."
            in page
        )
        assert 'name="label"' in page
        assert "Wave label" in page
        assert "Type “Spring pulse” exactly as shown to confirm." in page

    def test_plural_forms_follow_the_counts(self, client, superuser, draft):
        client.force_login(superuser)
        page = html(client.get(delete_url(draft)))
        assert (
            "This will permanently delete 0 responses, 0 invitations and 0 releases."
            in page
        )

    @pytest.mark.parametrize(
        ("typed", "error"),
        [
            ("Spring pulse!", "This is not the wave's label."),
            ("spring pulse", "This is not the wave's label."),
            ("", "Type the wave's label to confirm."),
        ],
    )
    def test_wrong_label_deletes_nothing(
        self, client, superuser, answered, typed, error
    ):
        client.force_login(superuser)
        before = leftovers(answered.pk)
        response = client.post(delete_url(answered), {"label": typed})
        assert response.status_code == 200
        page = html(response)
        assert error in page
        assert "The wave was not deleted: check the field “Wave label”." in page
        # The page is shown again, counts and all.
        assert "This will permanently delete 3 responses" in page
        assert Wave.objects.filter(pk=answered.pk).exists()
        assert leftovers(answered.pk) == before

    def test_right_label_deletes_the_wave_and_all_it_holds(
        self, client, superuser, answered
    ):
        client.force_login(superuser)
        pk = answered.pk
        assert leftovers(pk)["releases"] == 1
        assert leftovers(pk)["reports"] > 0
        response = client.post(delete_url(answered), {"label": " Spring pulse "})
        assert response.status_code == 302
        assert response["Location"] == LISTING
        assert not Wave.objects.filter(pk=pk).exists()
        assert set(leftovers(pk).values()) == {0}
        listing = html(client.get(response["Location"]))
        assert "Wave 'Spring pulse (Pulse)' deleted." in listing

    def test_a_draft_is_deleted_the_same_way(self, client, superuser, draft):
        client.force_login(superuser)
        response = client.post(delete_url(draft), {"label": "Autumn pulse"})
        assert response.status_code == 302
        assert not Wave.objects.filter(pk=draft.pk).exists()

    def test_survey_editors_may_delete(self, client, answered):
        from django.contrib.auth.models import Group

        from tests.factories import UserFactory

        editor = UserFactory(username="eddie.editor")
        editor.groups.add(Group.objects.get(name="Survey editors"))
        client.force_login(editor)
        assert client.get(delete_url(answered)).status_code == 200
        client.post(delete_url(answered), {"label": "Spring pulse"})
        assert not Wave.objects.filter(pk=answered.pk).exists()

    def test_hr_analysts_may_not(self, client, hr_analyst, answered):
        client.force_login(hr_analyst)
        response = client.post(delete_url(answered), {"label": "Spring pulse"})
        # Wagtail answers a refused admin request by sending the user home.
        assert response.status_code == 302
        assert response["Location"] == "/admin/"
        assert Wave.objects.filter(pk=answered.pk).exists()
        assert leftovers(answered.pk)["responses"] == 3
