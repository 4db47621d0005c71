"""Disclosure control on the demo organisation: nothing small can be recovered."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from django.core.management import call_command
from django.db.models import Count

from ownership import analytics
from ownership.models import Department
from ownership.permissions import EVERYTHING
from surveys.models import Comment, Response, Wave
from tests.adversary import recoverable_small_groups


@pytest.fixture
def demo(db):
    call_command("seed_demo", "--employees", "300", "--seed", "11", verbosity=0)


def tree():
    """Parent index per node (0 = organisation) and each node's department id."""
    departments = list(Department.objects.order_by("path"))
    index = {d.path: i + 1 for i, d in enumerate(departments)}
    parent = [-1] + [index.get(d.path[: -Department.steplen], 0) for d in departments]
    return np.array(parent), [None] + [d.pk for d in departments]


def own_counts(ids, counts):
    return np.array([counts.get(pk, 0) for pk in ids], dtype=float)


def test_demo_reports_give_nothing_small_away(demo):
    heatmaps_give_nothing_small_away()
    comments_only_for_large_groups()


def heatmaps_give_nothing_small_away():
    parent, ids = tree()
    waves = Wave.objects.frozen().order_by("opens_at")
    assert waves.count() == 5
    for wave in waves:
        report = analytics.heatmap(wave, EVERYTHING)
        k = wave.min_group_size
        respondents = dict(
            Response.objects.filter(wave=wave)
            .values_list("department")
            .annotate(n=Count("id"))
        )
        published = np.array([not row.suppressed for row in report.rows])
        assert published[0]
        assert not published.all(), "the demo has departments below k"
        own = own_counts(ids, respondents)
        assert recoverable_small_groups(parent, own, published, k) == []

        # The recommendation column, whose n differs from the rows' n.
        nps_question = next(
            q["id"] for q in wave.snapshot["questions"] if q["type"] == "recommendation"
        )
        answered = Counter(
            response.department_id
            for response in Response.objects.filter(wave=wave).select_related("wave")
            if nps_question in response.numeric_answers()
        )
        column = [c.construct for c in report.rows[0].cells].index("nps")
        visible = np.array([not row.cells[column].suppressed for row in report.rows])
        assert (
            recoverable_small_groups(parent, own_counts(ids, answered), visible, k)
            == []
        )


def comments_only_for_large_groups():
    parent, ids = tree()
    wave = Wave.objects.closed().order_by("-opens_at").first()
    report = analytics.comments(wave, EVERYTHING)
    assert report.threshold == 10
    respondents = dict(
        Response.objects.filter(wave=wave)
        .values_list("department")
        .annotate(n=Count("id"))
    )
    published = np.array([not row.suppressed for row in report.rows])
    own = own_counts(ids, respondents)
    assert recoverable_small_groups(parent, own, published, report.threshold) == []
    organisation = report.rows[0]
    assert sorted(organisation.comments) == sorted(
        Comment.objects.filter(wave=wave).values_list("text", flat=True)
    )
    for row in report.rows:
        if row.suppressed:
            assert row.comments == () and row.respondents is None
        else:
            assert row.respondents >= 10
