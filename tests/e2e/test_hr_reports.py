"""HR reads the results in the Wagtail admin, in a real browser.

An HR analyst logs in, opens the heatmap from the "Customer ownership" menu,
switches it to the difference to the organisation, sorts a column and reads a
cell's details with the keyboard, then opens the responsibility-concentration
page. axe-core (from npm, see package.json) checks both pages, Wagtail's admin
chrome included, for serious and critical accessibility problems; on a phone
the heatmap scrolls inside its own container, never the page. Screenshots go
to tests/e2e/artifacts/ (hr-heatmap.png, hr-concentration.png,
hr-heatmap-phone.png).

The organisation is the ``org`` fixture (Board > Claims > Motor Claims, and
Board > Sales) with Key Accounts under Sales, whose four respondents are below
k = 5. "Before" opened 60 days ago, before the "CCO appointed" event 30 days
ago; "After" is open now.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ownership.models import Department, OrganisationEvent
from surveys.models import Invitation, Wave
from surveys.services import invitations_issue, response_submit, wave_open
from tests.e2e.axe import assert_accessible, require_axe
from tests.e2e.conftest import watch
from tests.factories import (
    PASSWORD,
    DepartmentFactory,
    EmployeeFactory,
    likert,
    make_survey,
    publish,
)

# Transactional, as the live server runs in another thread (see conftest.py).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DESKTOP = {"viewport": {"width": 1366, "height": 900}, "locale": "en-GB"}

K = 5
LOCI = ["me", "team", "cco", "customer-service", "nobody"]
OWNER_LOCI = ["me", "cco", "customer-service", "nobody"]
QUESTIONS = [
    likert("FR-1"),
    likert("FR-4"),  # reverse-keyed
    likert("DL-1"),
    {
        "type": "recommendation",
        "value": {"text": "Recommend?", "low_label": "0", "high_label": "10"},
    },
    {
        "type": "allocation",
        "value": {"text": "Who is responsible?", "help": "", "loci": LOCI},
    },
    {"type": "primary_owner", "value": {"text": "Mainly?", "loci": OWNER_LOCI}},
]

# Per department, one tuple per respondent: FR-1, FR-4 as answered (reverse
# keyed), DL-1, recommendation, points over LOCI, primary owner. Claims feels
# responsible and leans on the CCO after the appointment; Sales keeps the
# customer to itself; Key Accounts is below k.
AFTER = {
    "CLM": [
        (4, 2, 4, 9, (10, 10, 55, 20, 5), "cco"),
        (5, 1, 5, 8, (5, 15, 50, 25, 5), "cco"),
        (4, 2, 4, 10, (15, 5, 60, 15, 5), "customer-service"),
        (3, 3, 2, 6, (10, 10, 45, 30, 5), "cco"),
        (2, 4, 3, 9, (5, 10, 65, 15, 5), "nobody"),
    ],
    "CLM-MOT": [
        (5, 1, 5, 10, (5, 5, 70, 15, 5), "cco"),
        (4, 2, 4, 9, (10, 10, 40, 35, 5), "cco"),
        (3, 3, 2, 9, (15, 15, 35, 20, 15), "nobody"),
        (5, 1, 4, 10, (5, 10, 60, 20, 5), "cco"),
        (3, 3, 5, 8, (10, 5, 55, 25, 5), "customer-service"),
        (4, 2, 3, 7, (10, 10, 50, 25, 5), "cco"),
    ],
    "SAL": [
        (2, 4, 2, 5, (40, 40, 10, 5, 5), "me"),
        (3, 3, 1, 6, (50, 30, 5, 10, 5), "me"),
        (4, 2, 2, 7, (30, 50, 10, 5, 5), "me"),
        (3, 3, 4, 3, (60, 20, 10, 5, 5), "cco"),
        (2, 4, 1, 9, (45, 35, 5, 10, 5), "me"),
        (3, 3, 2, 10, (35, 45, 5, 5, 10), "nobody"),
    ],
    "KEY": [
        (1, 5, 5, 0, (2, 3, 85, 5, 5), "cco"),
        (1, 5, 4, 1, (3, 2, 80, 10, 5), "cco"),
        (2, 4, 5, 2, (5, 5, 75, 10, 5), "cco"),
        (1, 5, 4, 0, (1, 4, 90, 3, 2), "cco"),
    ],
}
BEFORE = {
    "CLM": [
        (3, 3, 2, 7, (40, 30, 10, 10, 10), "me"),
        (3, 3, 1, 6, (30, 40, 10, 15, 5), "me"),
        (4, 2, 2, 8, (45, 30, 5, 10, 10), "me"),
        (2, 4, 3, 5, (35, 35, 10, 10, 10), "me"),
        (3, 3, 2, 7, (40, 35, 10, 10, 5), "me"),
    ],
    "CLM-MOT": [
        (4, 2, 2, 8, (30, 30, 20, 10, 10), "me"),
        (3, 3, 1, 7, (40, 35, 10, 10, 5), "me"),
        (3, 3, 3, 6, (20, 50, 10, 10, 10), "nobody"),
        (4, 2, 2, 9, (35, 35, 10, 15, 5), "me"),
        (3, 3, 1, 7, (30, 40, 15, 10, 5), "me"),
        (4, 2, 2, 8, (40, 30, 10, 10, 10), "cco"),
    ],
    "SAL": AFTER["SAL"],
    "KEY": AFTER["KEY"],
}
SILENT_IN_SALES = 2


def run_wave(survey, answers, *, label: str, days_ago: int = 0) -> Wave:
    """A wave answered as ``answers`` says; answers can only be given while a
    wave is open, so a past wave is opened now, answered and moved back."""
    now = timezone.now()
    wave = Wave.objects.create(
        survey=survey,
        label=label,
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=7),
        min_group_size=K,
    )
    wave.audience.set(Department.get_root_nodes())
    wave = wave_open(wave=wave)
    invitations_issue(wave=wave, send=False)
    ids = [q["id"] for q in wave.snapshot["questions"]]
    for code, people in answers.items():
        invitations = Invitation.objects.filter(
            wave=wave, department__code=code
        ).order_by("pk")
        for invitation, person in zip(invitations, people, strict=False):
            *likert, recommend, points, owner = person
            response_submit(
                token=invitation.token,
                answers={
                    **dict(zip(ids[:3], likert, strict=True)),
                    ids[3]: recommend,
                    ids[4]: dict(zip(LOCI, points, strict=True)),
                    ids[5]: owner,
                },
            )
    if days_ago:
        opens = now - dt.timedelta(days=days_ago)
        Wave.objects.filter(pk=wave.pk).update(
            opens_at=opens, closes_at=opens + dt.timedelta(days=14)
        )
        wave.refresh_from_db()
    else:
        Wave.objects.filter(pk=wave.pk).update(interim_results=True)
        wave.refresh_from_db()
    publish(wave)
    return wave


@pytest.fixture
def world(org) -> SimpleNamespace:
    key = DepartmentFactory(code="KEY", name="Key Accounts", parent=org["sales"])
    departments = {
        "CLM": org["claims"],
        "CLM-MOT": org["motor"],
        "SAL": org["sales"],
        "KEY": key,
    }
    for code, department in departments.items():
        EmployeeFactory.create_batch(len(AFTER[code]), department=department)
    EmployeeFactory.create_batch(SILENT_IN_SALES, department=org["sales"])
    OrganisationEvent.objects.create(
        date=timezone.localdate() - dt.timedelta(days=30),
        kind="cco_appointed",
        title="CCO appointed",
    )
    survey = make_survey(QUESTIONS)
    before = run_wave(survey, BEFORE, label="Before", days_ago=60)
    after = run_wave(survey, AFTER, label="After")
    return SimpleNamespace(survey=survey, before=before, after=after)


def new_page(browser, live_server, js_errors: list[str], **options):
    context = browser.new_context(base_url=live_server.url, **options)
    context.set_default_timeout(10_000)
    watch(context, js_errors)
    return context.new_page()


@pytest.fixture
def js_errors() -> Iterator[list[str]]:
    """Uncaught JavaScript errors of every page the test opened."""
    errors: list[str] = []
    yield errors
    assert not errors, f"JavaScript errors: {errors}"


@pytest.fixture
def desktop_page(browser, live_server, js_errors) -> Iterator:
    page = new_page(browser, live_server, js_errors, **DESKTOP)
    yield page
    page.context.close()


# --------------------------------------------------------------------------
# Helpers


def log_in(page, username: str) -> None:
    page.goto("/admin/login/")
    page.get_by_label("Username").press_sequentially(username)
    page.get_by_label("Password").press_sequentially(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    assert not page.url.rstrip("/").endswith("/login"), "login failed"


def heatmap_table(page):
    return page.locator("table[data-heatmap]")


def row_codes(page) -> list[str]:
    """The department codes of the heatmap's rows, top to bottom ("" = the
    organisation)."""
    return (
        heatmap_table(page)
        .locator("tbody tr")
        .evaluate_all("rows => rows.map(row => row.dataset.code)")
    )


def row_cells(page, code: str) -> list[str]:
    """The figures of a row's cells, without their markers and intervals."""
    return (
        heatmap_table(page)
        .locator(f'tbody tr[data-code="{code}"] td.heat')
        .evaluate_all(
            "cells => cells.map(cell => Array.from(cell.childNodes)"
            ".filter(node => node.nodeType === Node.TEXT_NODE)"
            ".map(node => node.textContent).join('').trim())"
        )
    )


def column_index(page, label: str) -> int:
    headers = heatmap_table(page).locator("thead th").all_inner_texts()
    return [h.strip() for h in headers].index(label)


def capture(page, screenshot, name: str) -> Path:
    """A screenshot of the whole page.

    Wagtail's admin scrolls inside ``main``, not the document, so a "full
    page" screenshot would stop at the viewport: the viewport grows to the
    content's height for the picture and shrinks back afterwards.
    """
    viewport = page.viewport_size
    height = page.evaluate(
        """() => {
            const main = document.querySelector("main");
            main.scrollTop = 0;
            return Math.ceil(main.getBoundingClientRect().top + main.scrollHeight);
        }"""
    )
    page.set_viewport_size({"width": viewport["width"], "height": max(height, 1)})
    try:
        return screenshot(page, name)
    finally:
        page.set_viewport_size(viewport)


def sideways_overflow(page) -> dict:
    """Widths that show whether the page (or Wagtail's ``main``, which clips
    what sticks out) is wider than the window."""
    return page.evaluate(
        """() => {
            const main = document.querySelector("main");
            return {
                window: window.innerWidth,
                document: document.documentElement.scrollWidth,
                main: main.scrollWidth,
                main_box: main.clientWidth,
            };
        }"""
    )


# The better contrast of the focused element's rings (its outline, and any
# box-shadow) against its background colour (white where it has a pattern).
FOCUS_RING_CONTRAST = """() => {
    const cell = document.activeElement;
    const style = getComputedStyle(cell);
    const luminance = colour => {
        const [r, g, b] = colour.match(/[\\d.]+/g).slice(0, 3).map(value => {
            const c = Number(value) / 255;
            return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const contrast = (a, b) => {
        const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
        return (light + 0.05) / (dark + 0.05);
    };
    const background = style.backgroundColor === "rgba(0, 0, 0, 0)"
        ? "rgb(255, 255, 255)" : style.backgroundColor;
    if (style.outlineStyle === "none") return 0;
    const shadows = style.boxShadow.match(/rgba?\\([^)]*\\)/g) || [];
    const rings = [style.outlineColor, ...shadows];
    return Math.max(...rings.map(ring => contrast(ring, background)));
}"""


# --------------------------------------------------------------------------
# The tests


def test_hr_reads_heatmap_and_concentration(
    world, hr_analyst, desktop_page, screenshot
):
    require_axe()
    page = desktop_page
    log_in(page, hr_analyst.username)

    # Customer ownership → Heatmap, from Wagtail's sidebar.
    page.get_by_role("button", name="Customer ownership").click()
    with page.expect_navigation():
        page.get_by_role("navigation", name="Main menu").get_by_role(
            "link", name="Heatmap", exact=True
        ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Department heatmap")

    # The wave selector picks the open wave.
    page.get_by_label("Wave", exact=True).select_option(str(world.after.pk))
    with page.expect_navigation():
        page.locator("form.wave-picker").get_by_role("button", name="Show").click()
    assert f"wave={world.after.pk}" in page.url
    table = heatmap_table(page)
    expect(table).to_be_visible()
    expect(table.locator("caption")).to_contain_text("After")

    # Key Accounts (4 respondents) is hidden, visibly.
    key_row = table.locator('tbody tr[data-code="KEY"]')
    expect(key_row).to_have_class(re.compile(r"\bis-suppressed\b"))
    suppressed = key_row.locator("td.heat-suppressed").first
    expect(suppressed).to_have_text("fewer than 5")
    expect(suppressed).to_have_attribute("title", re.compile("fewer than 5"))
    assert page.evaluate(
        """() => {
            const hidden = getComputedStyle(document.querySelector(
                'tr[data-code="KEY"] td.heat-suppressed'));
            const shown = getComputedStyle(document.querySelector(
                'tr[data-code="CLM"] td.heat'));
            return hidden.backgroundImage !== shown.backgroundImage
                || hidden.fontStyle !== shown.fontStyle;
        }"""
    ), "suppressed cells look like the others"
    capture(page, screenshot, "hr-heatmap.png")
    assert_accessible(page)

    # Absolute values → difference to the organisation.
    modes = page.get_by_role("navigation", name="Show")
    absolute = modes.get_by_role("link", name="Favourable share")
    difference = modes.get_by_role("link", name="Difference to organisation")
    expect(absolute).to_have_attribute("aria-current", "true")
    expect(difference).not_to_have_attribute("aria-current", re.compile(".*"))
    values = row_cells(page, "CLM")
    with page.expect_navigation():
        difference.click()
    assert "show=delta" in page.url and f"wave={world.after.pk}" in page.url
    expect(difference).to_have_attribute("aria-current", "true")
    expect(absolute).not_to_have_attribute("aria-current", re.compile(".*"))
    differences = row_cells(page, "CLM")
    assert differences != values
    assert all("%" in text for text in values[:2]), values
    # Constructs and the recommendation as signed differences; the response
    # rate stays a share.
    assert all(re.match(r"^[+−-]\d", text) for text in differences[:3]), differences
    # The organisation does not differ from itself.
    assert row_cells(page, "")[0] == "–"
    expect(
        page.locator('form.wave-picker input[type="hidden"][name="show"]')
    ).to_have_value("delta")

    # Sorting by a column (JavaScript enhancement): ascending, blanks last.
    original = row_codes(page)
    index = column_index(page, "Felt responsibility for customer outcomes")
    header = table.locator("thead th").nth(index)
    header.get_by_role("button").click()
    expect(header).to_have_attribute("aria-sort", "ascending")
    ascending = row_codes(page)
    assert ascending != original
    assert sorted(ascending) == sorted(original)
    sort_values = table.locator("tbody tr").evaluate_all(
        f"rows => rows.map(row => row.cells[{index}].dataset.value)"
    )
    numbers = [float(v) for v in sort_values if v]
    assert numbers == sorted(numbers)
    assert all(sort_values[: len(numbers)]) and not any(sort_values[len(numbers) :])
    header.get_by_role("button").click()
    expect(header).to_have_attribute("aria-sort", "descending")
    assert row_codes(page)[: len(numbers)] == ascending[: len(numbers)][::-1]

    # Keyboard: the table body is one tab stop. Tabbing from the column
    # headers lands on a row's name (the first row's, until another cell had
    # the focus); the arrow keys move between
    # cells, and each cell shows its details (n and the interval) and a
    # focus ring.
    body_stops = (
        "document.querySelectorAll('[data-heatmap] tbody [tabindex=\"0\"]').length"
    )
    table.locator("thead button.sort").last.focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('[data-heatmap] tbody th')")
    # The focused name and its links (open/close, trends) are the only stops.
    links = page.evaluate("document.activeElement.querySelectorAll('a').length")
    assert page.evaluate(body_stops) == 1 + links
    for _ in range(links + 1):
        page.keyboard.press("Tab")
    assert page.evaluate("!document.activeElement.closest('[data-heatmap] tbody')")
    table.locator("tbody tr").first.locator("th").focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    focused = page.locator("td.heat:focus")
    expect(focused).to_have_count(1)
    expect(focused).to_have_attribute("title", re.compile(r"\bn = \d+"))
    expect(focused).to_have_attribute("aria-label", re.compile(r"95 % interval"))
    expect(focused.locator(".ci")).to_be_visible()
    page.keyboard.press("ArrowDown")
    expect(table.locator("tbody tr").nth(1).locator("td.heat").first).to_be_focused()
    page.keyboard.press("Control+Home")
    expect(table.locator("tbody tr").first.locator("th")).to_be_focused()
    # Every cell's focus ring stands out from the cell's colour (WCAG 1.4.11;
    # axe-core does not check focus indicators): walk the grid by keyboard.
    n_rows = table.locator("tbody tr").count()
    n_cols = table.locator("tbody tr").first.locator("th, td").count()
    cells, weak = 0, {}
    for _row in range(n_rows):
        for _col in range(n_cols):
            if page.evaluate("document.activeElement.matches('td.heat')"):
                cells += 1
                ratio = page.evaluate(FOCUS_RING_CONTRAST)
                if ratio < 3:
                    weak[focused.get_attribute("class")] = round(ratio, 2)
            page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Home")
    assert cells == table.locator("td.heat").count()
    assert not weak, f"focus ring contrast below 3:1 on cells: {weak}"
    assert_accessible(page)

    # The responsibility page, from the results navigation.
    results_nav = page.get_by_role("navigation", name="Results")
    with page.expect_navigation():
        results_nav.get_by_role("link", name="Responsibility").click()
    assert f"wave={world.after.pk}" in page.url
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Responsibility concentration"
    )
    expect(results_nav.get_by_role("link", name="Responsibility")).to_have_attribute(
        "aria-current", "page"
    )
    verdict = page.locator(".verdict")
    expect(verdict).to_be_visible()
    expect(verdict).to_have_text(re.compile(r"\w{3,}.*\w{3,}"))
    charts = page.locator(".chart-figure svg")
    assert charts.count() >= 2, "expected the allocation and before/after charts"
    for chart in charts.all():
        assert chart.bounding_box()["width"] > 100
    expect(page.locator("#before-after-table")).to_be_visible()
    expect(page.locator("#before-after-table tbody tr").first).to_be_visible()
    capture(page, screenshot, "hr-concentration.png")
    assert_accessible(page)


def test_heatmap_fits_a_phone(world, hr_analyst, desktop_page, phone_page, screenshot):
    # Logged in on the desktop; the phone (a German browser) gets the session.
    log_in(desktop_page, hr_analyst.username)
    page = phone_page
    page.context.add_cookies(desktop_page.context.cookies())
    page.goto(f"/admin/results/heatmap/?wave={world.after.pk}")
    expect(heatmap_table(page)).to_be_visible()
    widths = sideways_overflow(page)
    assert widths["document"] <= widths["window"], f"page too wide: {widths}"
    assert widths["main"] <= widths["main_box"], f"content cut off: {widths}"
    capture(page, screenshot, "hr-heatmap-phone.png")
    # The table is wider than a phone: it scrolls inside its own region, which
    # a keyboard can reach.
    region = page.get_by_role("region", name="Department heatmap")
    expect(region).to_have_attribute("tabindex", "0")
    assert region.evaluate("box => box.scrollWidth > box.clientWidth")
    region.evaluate("box => box.scrollBy(200, 0)")
    assert region.evaluate("box => box.scrollLeft") > 0
    assert sideways_overflow(page) == widths
    # The department column stays in view while the numbers scroll under it.
    edge = region.bounding_box()["x"]
    for header in page.locator("table[data-heatmap] tbody th").all()[:3]:
        assert abs(header.bounding_box()["x"] - edge) <= 1
    # Names of one tree level line up, with or without a collapse button.
    starts = page.evaluate(NAME_STARTS)
    assert len(starts) >= 2
    for depth, lefts in starts.items():
        assert max(lefts) - min(lefts) <= 1, (depth, lefts)


# Where each department name's text starts on screen, by tree level.
NAME_STARTS = """() => {
  const starts = {};
  document.querySelectorAll("table[data-heatmap] tbody tr").forEach((row) => {
    const name = row.querySelector(".tree-name");
    const text = Array.from(name.childNodes)
      .filter((node) => node.nodeType === Node.TEXT_NODE && node.textContent.trim())
      .pop();
    const range = document.createRange();
    range.selectNodeContents(text);
    (starts[row.dataset.depth] ||= []).push(range.getBoundingClientRect().left);
  });
  return starts;
}"""


def test_board_summary_prints_on_a4_landscape(world, hr_analyst, desktop_page):
    """Printed from the browser, the summary's table fits the width of an A4
    landscape sheet (297 mm less 2 × 10 mm margins at 96 px per inch)."""
    # Names are frozen when a wave opens: a wave opened after the renaming
    # carries a long German compound that no line break can split.
    Department.objects.filter(code="CLM").update(
        name="Kundenbeziehungsmanagementqualitätssicherungsabteilungsleitung Nord"
    )
    wide = run_wave(world.survey, AFTER, label="Wide")
    page = desktop_page
    log_in(page, hr_analyst.username)
    printable = round((297 - 20) / 25.4 * 96)
    page.set_viewport_size({"width": printable, "height": 700})
    page.goto(f"/admin/results/summary/?wave={wide.pk}")
    page.emulate_media(media="print")
    table = page.locator(".board-summary table")
    expect(table).to_be_visible()
    box = table.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= printable + 1, box
    assert table.evaluate("t => t.scrollWidth <= t.clientWidth + 1")
    # No text runs out of its cell, the long name included.
    spilled = table.evaluate(
        "t => Array.from(t.querySelectorAll('th, td'))"
        ".filter(c => c.scrollWidth > c.clientWidth + 1).map(c => c.textContent.trim())"
    )
    assert not spilled, spilled
    assert page.evaluate("document.documentElement.scrollWidth") <= printable + 1
    # The PDF is one link away.
    page.emulate_media(media="screen")
    link = page.get_by_role("link", name="Download PDF (A4 landscape)")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".pdf")
