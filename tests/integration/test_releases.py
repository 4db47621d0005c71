"""Releases: made once, stored, immutable, read by every page and command."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from ownership import analytics
from ownership.models import Department
from ownership.permissions import EVERYTHING
from surveys.models import Immutable, Invitation, Release, ReleaseReport, Wave
from surveys.services import invitations_issue, response_submit, wave_close, wave_open
from tests.factories import EmployeeFactory, likert, make_survey, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def wave(org):
    """An open wave (results after closing) that 12 of 14 people answered."""
    page = make_survey([likert("FR-1"), likert("FR-4")])
    now = timezone.now()
    wave = Wave.objects.create(
        survey=page,
        label="Pulse",
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=7),
    )
    wave.audience.set([org["board"]])
    people = EmployeeFactory.create_batch(
        6, department=org["sales"]
    ) + EmployeeFactory.create_batch(6, department=org["claims"])
    EmployeeFactory.create_batch(2, department=org["sales"])
    wave = wave_open(wave=wave)
    invitations_issue(wave=wave, send=False)
    ids = [q["id"] for q in wave.snapshot["questions"]]
    for i, employee in enumerate(people):
        token = Invitation.objects.get(wave=wave, employee=employee).token
        response_submit(token=token, answers={ids[0]: 2 + i % 3, ids[1]: 3})
    return wave


def command(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


class TestMaking:
    def test_an_open_wave_waits_for_its_close(self, wave):
        with pytest.raises(analytics.ReleaseRefused, match="after it closes"):
            publish(wave)
        with pytest.raises(CommandError, match="after it closes"):
            command("release", "--wave", str(wave.pk))
        assert not Release.objects.exists()

    def test_closing_makes_the_final_release(
        self, wave, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            wave_close(wave=wave)
        (release,) = Release.objects.filter(wave=wave)
        assert (release.sequence, release.final, release.respondents) == (1, True, 12)
        assert release.created_on == timezone.localdate()
        assert {r.kind for r in release.reports.all()} == set(analytics.KINDS)
        # A second close makes nothing new.
        with django_capture_on_commit_callbacks(execute=True):
            wave_close(wave=wave)
        assert Release.objects.filter(wave=wave).count() == 1
        with pytest.raises(CommandError, match="already has its final release"):
            command("release", "--wave", str(wave.pk))

    def test_release_command_and_schedule(self, wave):
        Wave.objects.filter(pk=wave.pk).update(interim_results=True)
        out = command("release", "--due")
        assert "release 1 (interim)" in out and "12 respondent(s)" in out
        # At most one scheduled interim release a day.
        assert command("release", "--due").strip() == "No release is due."
        # An HR analyst may ask for one now.
        assert "release 2 (interim)" in command("release", "--wave", str(wave.pk))
        Wave.objects.filter(pk=wave.pk).update(
            closes_at=timezone.now() - dt.timedelta(minutes=1)
        )
        assert "release 3 (final)" in command("release", "--due")
        with pytest.raises(CommandError, match="no wave with id"):
            command("release", "--wave", "424242")

    def test_releases_are_immutable(self, wave):
        wave = wave_close(wave=wave)
        release = publish(wave)
        with pytest.raises(Immutable):
            release.save()
        with pytest.raises(Immutable):
            release.delete()
        with pytest.raises(Immutable):
            Release.objects.filter(pk=release.pk).update(final=False)
        with pytest.raises(Immutable):
            ReleaseReport.objects.filter(release=release).delete()
        # Deleting the wave is the one way a release goes.
        wave.delete()
        assert not Release.objects.exists() and not ReleaseReport.objects.exists()

    def test_the_tree_is_frozen_when_the_wave_opens(self, wave, org):
        codes = [entry["code"] for entry in wave.tree]
        assert codes == list(Department.objects.values_list("code", flat=True))
        sales = next(entry for entry in wave.tree if entry["code"] == "SAL")
        assert sales["parent"] == "BOARD" and sales["name"] == "Sales"
        # Reorganised after opening: moved under Claims and renamed.
        Department.objects.get(code="SAL").move(
            Department.objects.get(code="CLM"), "sorted-child"
        )
        Department.objects.filter(code="SAL").update(name="Sales & Service")
        wave = wave_close(wave=wave)
        publish(wave)
        rows = {r.department.code: r for r in analytics.heatmap(wave, EVERYTHING).rows}
        assert rows["SAL"].department.parent_code == "BOARD"
        assert rows["SAL"].department.name == "Sales"
        assert rows["CLM"].n == 6  # Sales' six are not rolled into Claims


class TestReading:
    def test_report_command_reads_a_stored_release(self, wave):
        Wave.objects.filter(pk=wave.pk).update(interim_results=True)
        wave.refresh_from_db()
        publish(wave)
        wave = wave_close(wave=wave)
        publish(wave)
        latest = command("report", "heatmap", "--wave", str(wave.pk))
        assert '"release": 2' in latest and '"provisional": false' in latest
        first = command("report", "heatmap", "--wave", str(wave.pk), "--release", "1")
        assert '"release": 1' in first and '"provisional": true' in first
        with pytest.raises(CommandError, match="has no release 7"):
            command("report", "heatmap", "--wave", str(wave.pk), "--release", "7")
        with pytest.raises(CommandError, match="1 or more"):
            command("report", "heatmap", "--wave", str(wave.pk), "--release", "0")

    def test_report_command_before_any_release(self, wave):
        with pytest.raises(CommandError, match="published when the wave closes"):
            command("report", "heatmap", "--wave", str(wave.pk))

    @pytest.mark.parametrize(
        "page",
        [
            "ownership_results_heatmap",
            "ownership_results_concentration",
            "ownership_results_reliability",
            "ownership_results_comments",
            "ownership_results_rates",
            "ownership_results_summary",
        ],
    )
    def test_pages_say_when_results_come(self, client, hr_analyst, wave, page):
        client.force_login(hr_analyst)
        path = f"{reverse(page)}?wave={wave.pk}"
        html = client.get(path).content.decode()
        assert "Results are published when the wave closes." in html
        Wave.objects.filter(pk=wave.pk).update(
            closes_at=timezone.now() - dt.timedelta(minutes=1)
        )
        html = client.get(path).content.decode()
        assert "The results of this wave are being prepared." in html

    def test_pages_mark_a_provisional_release(self, client, hr_analyst, wave):
        Wave.objects.filter(pk=wave.pk).update(interim_results=True)
        wave.refresh_from_db()
        publish(wave)
        client.force_login(hr_analyst)
        path = f"{reverse('ownership_results_heatmap')}?wave={wave.pk}"
        html = client.get(path).content.decode()
        assert "Provisional" in html and "Interim release 1" in html
        assert "at least 5 new respondents" in html
        comments = client.get(
            f"{reverse('ownership_results_comments')}?wave={wave.pk}"
        ).content.decode()
        assert "Comments are published with the final release." in comments
        wave = wave_close(wave=wave)
        publish(wave)
        html = client.get(path).content.decode()
        assert "Final release (2)" in html and "Provisional" not in html
        earlier = client.get(f"{path}&release=1").content.decode()
        assert "Interim release 1" in earlier
        export = client.get(
            reverse("ownership_results_export", args=["heatmap", "csv"])
            + f"?wave={wave.pk}&release=1"
        ).content.decode()
        assert "# release: 1 of" in export and "# provisional: true" in export
        assert client.get(f"{path}&release=9").status_code == 404
        assert client.get(f"{path}&release=x").status_code == 404


class TestReleaseNow:
    def test_an_hr_analyst_releases_interim_results(
        self, client, hr_analyst, department_head, wave
    ):
        url = reverse("ownership_results_release", args=[wave.pk])
        page = f"{reverse('ownership_results_heatmap')}?wave={wave.pk}"
        client.force_login(hr_analyst)
        # Results only after closing: no button, and asking is refused.
        assert "Release interim results now" not in client.get(page).content.decode()
        followed = client.post(url, follow=True).content.decode()
        assert "Only an open wave with interim results" in followed
        assert not Release.objects.exists()

        Wave.objects.filter(pk=wave.pk).update(interim_results=True)
        assert "Release interim results now" in client.get(page).content.decode()
        assert client.get(url).status_code == 405
        followed = client.post(url, follow=True).content.decode()
        assert "The next interim release of" in followed
        (release,) = Release.objects.filter(wave=wave)
        assert (release.sequence, release.final) == (1, False)
        assert "Interim release 1" in followed

        client.force_login(department_head)
        assert client.post(url).status_code == 403
        assert Release.objects.filter(wave=wave).count() == 1
