"""A report kind is declared once; storage, page, exports and the command
follow from the declaration."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command
from django.urls import reverse

# The API's wave actions are made from the kinds registered when it is first
# imported: import it before the test's own kind is registered and removed.
import api.urls  # noqa: F401
from ownership import analytics
from ownership.analytics.kinds import KINDS, ReportKind, register
from ownership.analytics.reports import DepartmentRef, Published
from ownership.permissions import EVERYTHING

# The API tests' organisation, survey and wave with fifteen responses.
from tests.api.conftest import survey, wave  # noqa: F401
from tests.factories import publish

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class HeadcountRow:
    department: DepartmentRef
    n: int | None
    suppressed: bool


@dataclass(frozen=True)
class Headcounts(Published):
    """Respondents per department: the smallest possible report."""

    wave_id: int
    rows: tuple[HeadcountRow, ...]


def build_headcounts(inputs) -> Headcounts:
    data, hidden = inputs.data, inputs.disclosure.rows
    _rows, nodes = data.expand()
    n = np.bincount(nodes, minlength=len(data.nodes))
    return Headcounts(
        wave_id=inputs.wave.pk,
        rows=tuple(
            HeadcountRow(
                DepartmentRef(node.code, node.name, node.parent_code, node.depth),
                None if hidden[i] else int(n[i]),
                bool(hidden[i]),
            )
            for i, node in enumerate(data.nodes)
        ),
    )


@pytest.fixture
def headcounts():
    kind = register(
        ReportKind(
            "headcounts",
            "Headcounts",
            Headcounts,
            build_headcounts,
            description="Respondents per department.",
        )
    )
    yield kind
    del KINDS[kind.name]


def test_a_declared_kind_is_released_served_and_exported(
    headcounts,
    wave,  # noqa: F811
    client,
    hr_analyst,
):
    publish(wave)  # release 2 holds every registered kind, the new one too
    report = analytics.report("headcounts", wave, EVERYTHING)
    rows = {row.department.code: row for row in report.rows}
    assert (report.release, rows[None].n, rows["CLM-MOT"].suppressed) == (2, 15, True)
    assert rows["CLM-MOT"].n is None

    out = StringIO()
    call_command("report", "headcounts", wave=wave.pk, stdout=out)
    assert json.loads(out.getvalue()) == analytics.to_data(report)

    client.force_login(hr_analyst)
    export = client.get(
        reverse("ownership_results_export", args=["headcounts", "csv"])
        + f"?wave={wave.pk}"
    ).content.decode()
    lines = list(csv.reader(line for line in io.StringIO(export) if line[0] != "#"))
    assert lines[0] == [
        "department_code",
        "department_name",
        "department_parent_code",
        "department_depth",
        "n",
        "suppressed",
    ]
    assert ["", "Organisation", "", "0", "15", "false"] in lines
    assert ["CLM-MOT", "Motor Claims", "CLM", "3", "", "true"] in lines

    page = client.get(reverse("ownership_results_kind", args=["headcounts"]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Respondents per department." in html and "Motor Claims" in html
    heatmap = client.get(reverse("ownership_results_heatmap")).content.decode()
    assert reverse("ownership_results_kind", args=["headcounts"]) in heatmap


def test_an_unknown_kind_is_404(client, hr_analyst, wave):  # noqa: F811
    client.force_login(hr_analyst)
    assert (
        client.get(reverse("ownership_results_kind", args=["nope"])).status_code == 404
    )


def test_a_kind_cannot_be_registered_twice(headcounts):
    with pytest.raises(ValueError, match="registered twice"):
        register(headcounts)
