"""On a phone, in English, German and Dutch: the next pulse shows what the
department committed to and asks whether it was kept, in a real browser with
axe-core. Screenshots: tests/e2e/artifacts/respondent-commitments-<lang>.png."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from surveys.models import Commitment, CommitmentStatus, Invitation, Response
from tests.e2e.axe import assert_page_accessible
from tests.e2e.conftest import PHONE
from tests.factories import EmployeeFactory, likert, make_survey, open_wave

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CALL_BACK = {
    "en": "Every complaint gets a personal call-back within one working day.",
    "de": "Jede Beschwerde bekommt binnen eines Werktags einen Rückruf.",
    "nl": "Elke klacht krijgt binnen één werkdag een telefoontje terug.",
}
# What each language calls the section, the question and two of its answers.
TEXTS = {
    "en": (
        "What we committed to since the last pulse",
        "Has this commitment been kept? “{}”",
        "Don't know",
        "Fully kept",
    ),
    "de": (
        "Was wir seit dem letzten Puls zugesagt haben",
        "Wurde diese Zusage eingehalten? „{}“",
        "Weiß nicht",
        "Voll eingehalten",
    ),
    "nl": (
        "Wat we sinds de vorige pulse hebben toegezegd",
        "Is deze toezegging nagekomen? ‘{}’",
        "Weet ik niet",
        "Volledig nagekomen",
    ),
}


@pytest.fixture
def tokens(org) -> dict[str, str]:
    """Claims committed to call-backs (done) and gave up another promise
    after the first wave; one employee of Motor Claims per language is
    invited to the second, open wave."""
    page = make_survey([likert("FR-1")])
    employees = {
        language: EmployeeFactory(department=org["motor"], language=language)
        for language in TEXTS
    }
    open_wave(page, org["board"], label="Pulse 1", days=(30, 20), invite=False)
    today = timezone.localdate()
    Commitment.objects.create(
        department=org["claims"],
        statement=CALL_BACK["en"],
        translations={"de": CALL_BACK["de"], "nl": CALL_BACK["nl"]},
        due_on=today + dt.timedelta(days=3),
        status=CommitmentStatus.DONE,
    )
    Commitment.objects.create(
        department=org["claims"],
        statement="Brokers hear back within two days.",
        due_on=today + dt.timedelta(days=2),
        status=CommitmentStatus.DROPPED,
    )
    second = open_wave(page, org["board"], label="Pulse 2")
    return {
        language: Invitation.objects.get(wave=second, employee=employee).token
        for language, employee in employees.items()
    }


@pytest.mark.parametrize("language", sorted(TEXTS))
def test_the_form_shows_and_asks_about_commitments(
    tokens, language, phone_page, screenshot, browser, live_server
):
    page = phone_page
    heading, question, dont_know, fully = TEXTS[language]
    page.goto(f"/s/{tokens[language]}/")
    expect(page.locator("html")).to_have_attribute("lang", language)

    section = page.get_by_role("region", name=heading)
    expect(section).to_contain_text(CALL_BACK[language])
    expect(section).not_to_contain_text("Brokers hear back")  # dropped

    # The survey's one statement, then the two commitments due, latest first.
    expect(page.locator("fieldset.question")).to_have_count(3)
    kept = page.get_by_role(
        "group",
        name=re.compile(rf"^2\.\s+{re.escape(question.format(CALL_BACK[language]))}"),
    )
    expect(kept.get_by_role("radio")).to_have_count(6)
    dropped = page.get_by_role("group", name=re.compile(r"^3\..*Brokers hear back"))

    widths = page.evaluate(
        "({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )
    assert widths["scroll"] <= widths["inner"], f"horizontal scrolling: {widths}"
    assert_page_accessible(browser, page.url, **PHONE)
    screenshot(page, f"respondent-commitments-{language}")

    kept.get_by_text(fully, exact=True).tap()
    expect(kept.get_by_role("radio", name=fully, exact=True)).to_be_checked()
    dropped.get_by_text(dont_know, exact=True).tap()
    page.locator("form.survey-form button[type=submit]").tap()
    expect(page).to_have_url(re.compile(r"/thanks/"))

    (response,) = Response.objects.all()
    assert response.language == language
    assert response.numeric_answers() == {"kept-1": 5, "kept-2": 0}
