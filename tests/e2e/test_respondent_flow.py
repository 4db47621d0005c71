"""An employee answers the default pulse on a phone, in a real browser."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from surveys.defaults import survey_create_default
from surveys.models import (
    Comment,
    Invitation,
    Response,
    SpentToken,
    Wave,
)
from surveys.services import invitations_issue, wave_open
from tests.factories import EmployeeFactory

# Transactional, as the live server runs in another thread; the default survey
# needs the migrations' data (locales, home page, loci, constructs), which is
# reloaded after each test's flush (see _migrated_database in conftest.py).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

GERMAN_TITLE = "Puls: Wem gehört der Kunde?"
# Points per locus for the allocation question; the other loci stay empty.
POINTS = {"me": 40, "team": 30, "customer-service": 20, "nobody": 10}
COMMENT = "Kürzere Wege zwischen Schadenabteilung und Vertrieb."


@pytest.fixture
def invitation(org) -> Invitation:
    """A German-speaking employee invited to an open wave of the default pulse."""
    employee = EmployeeFactory(department=org["sales"], language="de")
    now = timezone.now()
    wave = Wave.objects.create(
        survey=survey_create_default(),
        label="Pulse 1",
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=14),
    )
    wave.audience.set([org["sales"]])
    wave = wave_open(wave=wave)
    assert invitations_issue(wave=wave, send=False) == 1
    return Invitation.objects.select_related("wave").get(wave=wave, employee=employee)


def questions(invitation, kind: str) -> list[dict]:
    return [q for q in invitation.wave.snapshot["questions"] if q["type"] == kind]


def question_group(page, invitation, question: dict):
    """The question's fieldset, found by its accessible name (the legend)."""
    number = invitation.wave.snapshot["questions"].index(question) + 1
    text = question["text"]["de"]
    name = re.compile(rf"^{number}\.\s+{re.escape(text)}")
    return page.get_by_role("group", name=name)


def locus_name(invitation, slug: str) -> str:
    return invitation.wave.snapshot["loci"][slug]["name"]["de"]


def submit_button(page):
    return page.get_by_role("form", name=GERMAN_TITLE).get_by_role("button")


def points_given(total: int):
    """The live sum, e.g. "Points given: 40 / 100" (and not 140)."""
    return re.compile(rf"(?<!\d){total} / 100\s*$")


def assert_no_horizontal_scroll(page) -> None:
    widths = page.evaluate(
        "({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )
    assert widths["scroll"] <= widths["inner"], f"horizontal scrolling: {widths}"


def nothing_stored(invitation) -> bool:
    return not (
        invitation.answered
        or SpentToken.objects.exists()
        or Response.objects.exists()
        or Comment.objects.exists()
    )


def test_employee_answers_the_pulse_on_a_phone(invitation, phone_page, screenshot):
    page = phone_page
    token = invitation.token
    page.goto(f"/s/{token}/")

    # In the employee's language.
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page).to_have_title(re.compile(rf"^{re.escape(GERMAN_TITLE)}"))
    expect(page.get_by_role("heading", level=1)).to_have_text(GERMAN_TITLE)
    expect(page.locator("fieldset.question")).to_have_count(24)
    assert_no_horizontal_scroll(page)

    # Twenty Likert items: tap the option's label, cycling through the scale.
    likert = questions(invitation, "likert")
    assert len(likert) == 20
    for index, question in enumerate(likert):
        group = question_group(page, invitation, question)
        label = question["labels"]["de"][index % 5]
        group.get_by_text(label, exact=True).tap()
        expect(group.get_by_role("radio", name=label, exact=True)).to_be_checked()

    (recommendation,) = questions(invitation, "recommendation")
    group = question_group(page, invitation, recommendation)
    group.get_by_text("8", exact=True).tap()
    expect(group.get_by_role("radio", name="8", exact=True)).to_be_checked()

    # Allocation: type the points; the enhanced form adds them up as one types.
    (allocation,) = questions(invitation, "allocation")
    assert len(allocation["loci"]) == 8
    group = question_group(page, invitation, allocation)
    total = group.locator("[data-allocation-sum]")
    expect(total).to_be_visible()
    expect(total).to_have_text(points_given(0))
    running = 0
    for slug, points in POINTS.items():
        box = group.get_by_label(locus_name(invitation, slug), exact=True)
        box.tap()
        box.press_sequentially(str(points))
        running += points
        expect(total).to_have_text(points_given(running))
    expect(total).to_have_class(re.compile(r"\bis-complete\b"))

    (owner,) = questions(invitation, "primary_owner")
    group = question_group(page, invitation, owner)
    customer_service = locus_name(invitation, "customer-service")
    group.get_by_text(customer_service, exact=True).tap()
    expect(group.get_by_role("radio", name=customer_service)).to_be_checked()

    (free_text,) = questions(invitation, "free_text")
    box = question_group(page, invitation, free_text).get_by_role("textbox")
    box.tap()
    box.press_sequentially(COMMENT)

    # Every question counts as answered in the progress bar.
    expect(page.locator("[data-progress] progress")).to_have_js_property("value", 24)
    assert_no_horizontal_scroll(page)
    screenshot(page, "respondent-phone-form.png")

    # The same link, opened in a second tab before sending from the first.
    stale = page.context.new_page()
    stale.goto(f"/s/{token}/")

    submit_button(page).tap()
    page.wait_for_url(re.compile(rf"/s/{re.escape(token)}/thanks/(\?lang=de)?$"))
    expect(page.locator("html")).to_have_attribute("lang", "de")
    thank_you = re.sub(r"<[^>]+>", "", invitation.wave.snapshot["thank_you"]["de"])
    expect(page.get_by_role("status")).to_have_text(thank_you)
    assert_no_horizontal_scroll(page)
    screenshot(page, "respondent-phone-thanks.png")

    # Stored once, anonymously, with every answer.
    response = Response.objects.get()
    assert response.language == "de"
    stored = response.numeric_answers()
    assert len(stored) == 22 + 1
    allocations = stored[allocation["id"]]
    assert allocations == {slug: POINTS.get(slug, 0) for slug in allocation["loci"]}
    assert list(Comment.objects.values_list("text", flat=True)) == [COMMENT]
    assert invitation.answered
    assert SpentToken.objects.count() == 1

    # The link cannot be used twice: the back button and the link show that the
    # answers arrived, and the stale tab's form is refused.
    page.go_back()
    expect(page.locator("form")).to_have_count(0)
    reply = page.goto(f"/s/{token}/")
    assert reply.status == 200
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.locator("form")).to_have_count(0)
    expect(page.get_by_role("heading", level=1)).not_to_have_text(GERMAN_TITLE)
    expect(page.locator("main")).to_contain_text(f'"{GERMAN_TITLE}"')
    answered = page.get_by_role("heading", level=1).inner_text()

    # Sent as it stands (nothing filled in), the stale form is refused for
    # its answers, exactly as it would be on an unused link: what the link
    # was used for is not given away by an invalid submission.
    with stale.expect_navigation() as navigation:
        submit_button(stale).tap()
    assert navigation.value.status == 400
    expect(stale.get_by_role("heading", level=1)).to_have_text(GERMAN_TITLE)
    expect(stale.locator("#form-errors")).to_be_visible()
    # Filled in properly, it learns that the link was used, and stores nothing.
    for question in questions(invitation, "likert"):
        if question["required"]:
            group = question_group(stale, invitation, question)
            group.get_by_text(question["labels"]["de"][0], exact=True).tap()
    group = question_group(stale, invitation, allocation)
    box = group.get_by_label(locus_name(invitation, "me"), exact=True)
    box.fill("100")
    with stale.expect_navigation() as navigation:
        submit_button(stale).tap()
    assert navigation.value.status == 409
    expect(stale.get_by_role("heading", level=1)).to_have_text(answered)
    assert Response.objects.count() == 1
    assert len(Response.objects.get().numeric_answers()) == 22 + 1
    assert SpentToken.objects.count() == 1


def test_allocation_not_adding_up_is_refused_on_that_question(
    invitation, phone_page, screenshot
):
    page = phone_page
    token = invitation.token
    page.goto(f"/s/{token}/")

    # The first item, and every item the pulse requires, get an answer: only
    # the allocation is wrong.
    likert = questions(invitation, "likert")
    first = likert[0]
    label = first["labels"]["de"][3]
    required = [q for q in likert if q["required"]]
    assert required and first not in required
    for question in [first, *required]:
        group = question_group(page, invitation, question)
        group.get_by_text(question["labels"]["de"][3], exact=True).tap()

    (allocation,) = questions(invitation, "allocation")
    group = question_group(page, invitation, allocation)
    for slug, points in (("me", 50), ("team", 40)):
        box = group.get_by_label(locus_name(invitation, slug), exact=True)
        box.tap()
        box.press_sequentially(str(points))
    total = group.locator("[data-allocation-sum]")
    expect(total).to_have_text(points_given(90))
    expect(total).not_to_have_class(re.compile(r"\bis-complete\b"))

    with page.expect_navigation() as navigation:
        submit_button(page).tap()
    assert navigation.value.status == 400
    assert page.url.endswith(f"/s/{token}/")

    # The error sits on the allocation question and is announced.
    group = page.locator(f"#question-{allocation['id']}")
    expect(group).to_have_class(re.compile(r"\bquestion--error\b"))
    expect(group).to_have_attribute("aria-describedby", f"error-{allocation['id']}")
    # "The points must add up to 100; they add up to 90.", in any language.
    expect(group.get_by_role("alert")).to_have_text(re.compile(r"\b100\b.*\b90\b"))
    expect(page.locator("#form-errors")).to_be_focused()
    expect(page.locator("fieldset.question--error")).to_have_count(1)
    # What was entered is still there.
    expect(group.get_by_label(locus_name(invitation, "me"), exact=True)).to_have_value(
        "50"
    )
    refreshed = question_group(page, invitation, first)
    expect(refreshed.get_by_role("radio", name=label, exact=True)).to_be_checked()
    assert_no_horizontal_scroll(page)
    screenshot(page, "respondent-phone-allocation-error.png")

    assert nothing_stored(invitation)
