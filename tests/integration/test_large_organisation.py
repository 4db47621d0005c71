"""Results pages of a thousand departments: collapsed, searchable, small, and
with a bounded number of queries; the exports carry every row."""

from __future__ import annotations

import csv
import datetime as dt
import io

import numpy as np
import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bench.scale import write_organisation
from ownership.models import Department
from ownership.views.tree import MAX_ROWS
from surveys.models import Invitation, Response, Wave
from surveys.packing import layout_of
from surveys.services import invitations_issue, wave_open
from tests.factories import make_survey, publish

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

PAGES = {
    "ownership_results_heatmap": "heatmap",
    "ownership_results_concentration": "concentration",
    "ownership_results_reliability": "reliability",
    "ownership_results_rates": "response_rates",
    "ownership_results_summary": None,
    "ownership_results_comments": None,
}
MAX_BYTES = 500 * 1024
MAX_QUERIES = 25


@pytest.fixture
def released(tmp_path, hr_analyst):
    """A final release of a wave answered in 1,001 departments."""
    organisation = tmp_path / "organisation.csv"
    write_organisation(organisation, 6000, seed=5, per_department=6)
    call_command("import_org", str(organisation), stdout=io.StringIO())
    assert Department.objects.count() == 1001
    now = timezone.now()
    wave = Wave.objects.create(
        survey=make_survey(),
        label="Large pulse",
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=7),
    )
    wave.audience.set(Department.get_root_nodes())
    wave = wave_open(wave=wave)
    invitations_issue(wave=wave, send=False)
    # Answers written as the submission service writes them, in bulk.
    layout = layout_of(wave.snapshot)
    rng = np.random.default_rng(5)
    questions = wave.snapshot["questions"]
    rows = []
    for department in Invitation.objects.filter(wave=wave).values_list(
        "department_id", flat=True
    ):
        if rng.random() < 0.2:
            continue
        numeric = [
            (q["id"], int(rng.integers(1, 6)))
            for q in questions
            if q["type"] == "likert"
        ]
        allocation = next(q for q in questions if q["type"] == "allocation")
        points = rng.multinomial(100, np.full(len(allocation["loci"]), 0.25))
        rows.append(
            Response(
                wave=wave,
                department_id=department,
                submitted_on=timezone.localdate(),
                language="en",
                answers=layout.pack(
                    numeric,
                    [
                        (allocation["id"], slug, int(p))
                        for slug, p in zip(allocation["loci"], points, strict=True)
                    ],
                ),
            )
        )
    Response.objects.bulk_create(rows, batch_size=1000)
    Wave.objects.filter(pk=wave.pk).update(closes_at=now)
    wave.refresh_from_db()
    publish(wave)
    client = Client()
    client.force_login(hr_analyst)
    return wave, client


def rows_in(html: str) -> int:
    """Department rows of a results table (the heatmap marks them with a
    ``data-value`` for sorting)."""
    return html.count('<th scope="row"')


def test_pages_open_collapsed_and_stay_small(released, django_assert_max_num_queries):
    wave, client = released
    for name in PAGES:
        path = f"{reverse(name)}?wave={wave.pk}"
        client.get(path)  # the first view draws and caches the charts
        with django_assert_max_num_queries(MAX_QUERIES):
            page = client.get(path)
        assert page.status_code == 200, name
        html = page.content.decode()
        assert len(page.content) < MAX_BYTES, (name, len(page.content))
        if name != "ownership_results_comments":
            # The organisation, the company and its divisions.
            assert 3 <= rows_in(html) <= MAX_ROWS * 3, name
            assert "Showing" in html or name == "ownership_results_summary", name


def test_departments_open_and_a_search_finds_them(released):
    wave, client = released
    url = reverse("ownership_results_heatmap")
    top = client.get(f"{url}?wave={wave.pk}").content.decode()
    division = Department.objects.get(depth=2, code="D3")
    assert "open=D3" in top and "A13" not in top
    opened = client.get(f"{url}?wave={wave.pk}&open=D3").content.decode()
    areas = Department.objects.filter(path__startswith=division.path, depth=3)
    assert areas.exists()
    for area in areas:
        assert f'data-code="{area.code}"' in opened
    assert rows_in(opened) == rows_in(top) + areas.count()

    # No other team's name contains this one's ("Team 88" would find
    # "Team 188" too).
    team = Department.objects.get(depth=4, name="Team 889")
    found = client.get(f"{url}?wave={wave.pk}&q={team.name}").content.decode()
    assert f'data-code="{team.code}"' in found
    assert "1 department matches" in found
    # With the departments above it, for context.
    assert f'data-code="{team.get_parent().code}"' in found


def test_exports_carry_every_row(released):
    wave, client = released
    for kind in ("heatmap", "concentration", "reliability", "response_rates"):
        url = reverse("ownership_results_export", args=[kind, "csv"])
        body = client.get(f"{url}?wave={wave.pk}").content.decode()
        lines = [line for line in body.splitlines() if not line.startswith("#")]
        codes = {row[0] for row in csv.reader(lines[1:]) if row}
        assert len(lines) - 1 >= 1001, kind
        assert codes, kind
