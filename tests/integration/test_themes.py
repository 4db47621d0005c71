"""Comment themes: found on the server in English, German and Dutch comments,
published with the final release inside the comment threshold, filtered and
searched on the comments page, served by the API."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from ownership import analytics
from ownership.analytics.text import language_of, stems, words
from ownership.permissions import EVERYTHING
from surveys.models import Invitation
from surveys.services import response_submit
from tests.factories import (
    EmployeeFactory,
    UserFactory,
    close_and_publish,
    likert,
    make_survey,
    open_wave,
    prefer_language,
)

pytestmark = pytest.mark.django_db

# Two subjects: call-backs (in English), and the systems, in English and
# German, whose words share one stem ("system"), so that they make one theme.
CALL_BACKS = [
    "Customers wait too long for call-backs from claims.",
    "We promise call-backs to customers and then nobody calls back.",
    "Call-backs to customers are always late.",
    "Customers complain that promised call-backs never come.",
]
SYSTEMS = [
    "Our systems never show the whole customer case.",
    "The systems are slow and show only part of the case.",
    "Unsere Systeme zeigen nie den ganzen Kundenfall.",
    "Die Systeme sind langsam und zeigen nur einen Teil des Falls.",
]


def test_language_stems_and_stop_words():
    assert [language_of(t) for t in (SYSTEMS[0], SYSTEMS[2])] == ["en", "de"]
    assert language_of("Onze systemen tonen nooit het hele klantdossier.") == "nl"
    assert language_of("Kunden warten zu lange auf Rückrufe.") == "de"
    assert words("Die Systeme sind langsam", "de") == ["systeme", "langsam"]
    assert stems(["systeme"], "de") == stems(["systems"], "en") == ["system"]
    assert stems(["klanten"], "nl") == ["klant"]
    assert stems(["customers", "customer"], "en") == ["custom", "custom"]


@pytest.fixture
def released(org):
    """Twenty respondents in Motor Claims and twenty in Sales each write one
    comment (Motor about call-backs, Sales about systems); four in Claims
    itself, a group below the threshold, write about call-backs too."""
    page = make_survey(
        [
            likert("FR-1"),
            {
                "type": "free_text",
                "value": {"text": "Anything else?", "warning": "", "max_length": 300},
            },
        ]
    )
    for department, count in (("motor", 20), ("sales", 20), ("claims", 4)):
        for _ in range(count):
            EmployeeFactory(department=org[department])
    wave = open_wave(page, org["board"])
    likert_id, text_id = (q["id"] for q in wave.snapshot["questions"])
    written = {"CLM-MOT": CALL_BACKS, "SAL": SYSTEMS, "CLM": CALL_BACKS}
    seen: dict[str, int] = {}
    for invitation in Invitation.objects.filter(wave=wave).select_related("department"):
        code = invitation.department.code
        texts = written[code]
        i = seen.get(code, 0)
        seen[code] = i + 1
        text = texts[i % len(texts)]
        response_submit(token=invitation.token, answers={likert_id: 4, text_id: text})
    close_and_publish(wave)
    return wave


def _themes(wave):
    return analytics.report("themes", wave, EVERYTHING)


def test_two_themes_are_found_across_languages(released):
    report = _themes(released)
    assert report.analysed == 44 and report.comment_threshold == 10
    assert len(report.themes) == 2
    call_backs = next(t for t in report.themes if "call" in " ".join(t.terms))
    systems = next(t for t in report.themes if t is not call_backs)
    assert call_backs.count == 24 and systems.count == 20
    assert set(call_backs.labels) == {"en"}
    # One theme in two languages, named in each by its own words.
    assert set(systems.labels) == {"en", "de"}
    assert "systems" in systems.labels["en"] and "systeme" in systems.labels["de"]


def test_counts_and_examples_keep_to_the_comment_threshold(released):
    report = _themes(released)
    call_backs = max(report.themes, key=lambda t: t.count)
    counts = {d.code: d.count for d in call_backs.departments}
    # Claims has 24 respondents in its subtree: Motor Claims' 20 are not
    # shown apart, as Claims minus Motor Claims would be Claims' own four
    # (the comments page hides Motor Claims for the same reason). Sales never
    # wrote about call-backs.
    assert counts == {None: 24, "BOARD": 24, "CLM": 24}
    # Examples only from departments that are themselves large enough.
    assert all(text in CALL_BACKS for text in call_backs.examples)
    assert len(call_backs.examples) == len(set(call_backs.examples)) == 3


def test_an_interim_release_has_no_themes(org):
    from ownership.analytics.decisions import columns_of, decide
    from ownership.analytics.loading import load_wave
    from ownership.analytics.themes import build_themes

    page = make_survey([likert("FR-1")])
    EmployeeFactory(department=org["sales"])
    wave = open_wave(page, org["board"], label="Open", invite=False)
    data = load_wave(wave)
    disclosure = decide(data, columns_of(data, 10), [], 1, data.released_in == 0)
    report = build_themes(data, disclosure, wave, final=False)
    assert report.themes == () and report.analysed == 0


def test_the_api_serves_the_themes(released, make_key, client_for):
    api = client_for(make_key("results:read"))
    body = api.get(f"/api/v1/waves/{released.pk}/themes/").json()
    assert body["comment_threshold"] == 10
    theme = body["themes"][0]
    assert {"label", "terms", "count", "departments"} <= set(theme)
    assert {"code", "count"} <= set(theme["departments"][0])
    limited = client_for(make_key("results:read", departments=["SAL"]))
    codes = {
        d["code"]
        for t in limited.get(f"/api/v1/waves/{released.pk}/themes/").json()["themes"]
        for d in t["departments"]
    }
    assert codes <= {None, "SAL"}
    csv = api.get(f"/api/v1/waves/{released.pk}/themes/?format=csv").content.decode()
    assert csv.splitlines()[0].startswith("theme,label,terms,count,department_code")


def test_the_comments_page_filters_by_theme_and_searches(client, hr_analyst, released):
    client.force_login(hr_analyst)
    report = _themes(released)
    systems = next(i for i, t in enumerate(report.themes) if t.count == 20)
    url = reverse("ownership_results_comments") + f"?wave={released.pk}"
    html = client.get(url + f"&theme={systems}").content.decode()
    assert "Unsere Systeme zeigen nie den ganzen Kundenfall." in html
    assert "Call-backs to customers are always late." not in html
    html = client.get(url + "&q=LATE").content.decode()
    assert "Call-backs to customers are always late." in html
    assert "Customers wait too long" not in html and "Systeme" not in html
    page = client.get(
        reverse("ownership_results_kind", args=["themes"]) + f"?wave={released.pk}"
    ).content.decode()
    assert "Read the comments in this theme" in page and "Claims" in page


def test_a_department_head_sees_their_departments_counts(client, released, org):
    head = UserFactory(username="head.sales")
    head.groups.add(Group.objects.get(name="Department heads"))
    EmployeeFactory(department=org["sales"], user=head)
    client.force_login(head)
    page = client.get(
        reverse("ownership_results_kind", args=["themes"]) + f"?wave={released.pk}"
    ).content.decode()
    assert "Sales" in page and "Motor Claims" not in page


def test_the_themes_page_speaks_the_readers_language(client, hr_analyst, released):
    prefer_language(hr_analyst, "nl")
    client.force_login(hr_analyst)
    page = client.get(
        reverse("ownership_results_kind", args=["themes"]) + f"?wave={released.pk}"
    ).content.decode()
    assert "Waar mensen over schrijven" in page and "24 opmerkingen" in page
    assert "De opmerkingen over dit thema lezen" in page


def test_the_results_home_says_what_people_write_about(client, hr_analyst, released):
    client.force_login(hr_analyst)
    html = client.get(reverse("ownership_results_home")).content.decode()
    assert "What people write about" in html
    assert "24 comments" in html and "20 comments" in html


def test_comments_with_no_shared_words_make_no_themes_and_no_error():
    from ownership.analytics.themes import _documents, _themes_of

    for texts in (["No comments."] * 25, ["ok", "the and of", "123", "\U0001f44d"] * 6):
        documents, _languages, _vocabulary = _documents(texts)
        _terms, components, best, _loadings = _themes_of(documents, 4)
        assert len(components) == 0 and (best == -1).all()


@pytest.mark.parametrize("theme", ["abc", "99", "-3", ""])
def test_an_unknown_theme_shows_every_comment(client, hr_analyst, released, theme):
    client.force_login(hr_analyst)
    url = reverse("ownership_results_comments") + f"?wave={released.pk}&theme={theme}"
    response = client.get(url + "&q=" + "x" * 500)
    assert response.status_code == 200  # a long search finds nothing, harmlessly
    html = client.get(url).content.decode()
    assert "Unsere Systeme" in html and "Call-backs to customers" in html
    select = html.split('id="theme-select"')[1].split("</select>")[0]
    assert " selected>" not in select  # "All themes"
