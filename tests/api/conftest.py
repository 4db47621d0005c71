"""Shared fixtures of the API tests: tokens, clients and a wave with answers.

The organisation is the ``org`` fixture: Board > Claims > Motor Claims, and
Board > Sales. Fifteen people answer (six in Motor Claims, three in Claims
itself, six in Sales); two more in Sales are invited and do not answer, so a
test can add a response. With k = 5, Motor Claims is suppressed: showing it
would give away Claims' own three people (9 - 6).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from api.services import api_token_create
from ownership.models import Department
from surveys.models import Invitation, Wave, unanswered
from surveys.services import (
    invitations_issue,
    response_submit,
    wave_open,
)
from tests.factories import EmployeeFactory, likert, make_survey, publish

ALL_SCOPES = [
    "results:read",
    "organisation:read",
    "responses:write",
    "commitments:write",
]

QUESTIONS = [
    likert("FR-1"),
    likert("FR-4"),
    {
        "type": "recommendation",
        "value": {"text": "Recommend?", "low_label": "0", "high_label": "10"},
    },
    {
        "type": "allocation",
        "value": {
            "text": "Who is responsible?",
            "help": "",
            "loci": ["me", "team", "cco", "customer-service"],
        },
    },
    {"type": "primary_owner", "value": {"text": "Mainly?", "loci": ["me", "cco"]}},
    {
        "type": "free_text",
        "value": {"text": "Anything else?", "warning": "No names.", "max_length": 200},
    },
]

# (department, FR-1, FR-4 as answered, recommendation, points, primary owner)
PEOPLE = (
    [
        ("motor", a, b, r, (10, 10, 50, 30), "cco")
        for a, b, r in zip(
            [5, 4, 4, 5, 3, 5], [1, 2, 2, 1, 3, 1], [10, 9, 9, 10, 8, 7], strict=True
        )
    ]
    + [("claims", 4, 2, r, (20, 20, 40, 20), "cco") for r in (9, 9, 6)]
    + [
        ("sales", a, b, r, (40, 40, 10, 10), "me")
        for a, b, r in zip(
            [2, 3, 2, 3, 2, 3], [4, 3, 4, 3, 4, 3], [5, 6, 7, 3, 9, 10], strict=True
        )
    ]
)


def answers_for(ids: list[str], person) -> dict:
    _department, a, b, r, points, owner = person
    return {
        ids[0]: a,
        ids[1]: b,
        ids[2]: r,
        ids[3]: dict(
            zip(["me", "team", "cco", "customer-service"], points, strict=True)
        ),
        ids[4]: owner,
        ids[5]: f"Comment from {_department}",
    }


@pytest.fixture(autouse=True)
def hand_worked_groups(settings):
    """Claims (9, all naming the CCO) and Sales (6) are worked by hand; the
    bands and withheld figures of small unanimous groups (comment threshold
    10) are tested in tests/integration."""
    settings.COMMENT_MIN_GROUP_SIZE = 5


@pytest.fixture
def survey(org):
    return make_survey(QUESTIONS)


def _new_wave(survey, label: str, *, opens_at, closes_at) -> Wave:
    return Wave.objects.create(
        survey=survey, label=label, opens_at=opens_at, closes_at=closes_at
    )


@pytest.fixture
def wave(org, survey):
    """An open wave with fifteen responses and two invitations unanswered."""
    now = timezone.now()
    wave = _new_wave(
        survey,
        "Pulse",
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=7),
    )
    Wave.objects.filter(pk=wave.pk).update(interim_results=True)
    wave.audience.set([org["board"]])
    people = [(EmployeeFactory(department=org[p[0]]), p) for p in PEOPLE]
    EmployeeFactory.create_batch(2, department=org["sales"])
    wave = wave_open(wave=wave)
    invitations_issue(wave=wave, send=False)
    ids = question_ids(wave)
    for employee, person in people:
        token = Invitation.objects.get(wave=wave, employee=employee).token
        response_submit(token=token, answers=answers_for(ids, person))
    publish(wave)
    return wave


@pytest.fixture
def draft_wave(survey, org):
    now = timezone.now()
    wave = _new_wave(
        survey,
        "Next pulse",
        opens_at=now + dt.timedelta(days=30),
        closes_at=now + dt.timedelta(days=37),
    )
    wave.audience.set([org["board"]])
    return wave


def question_ids(wave: Wave) -> list[str]:
    return [q["id"] for q in wave.snapshot["questions"]]


def pending_tokens(wave: Wave) -> list[str]:
    """The tokens of the wave's invitations nobody has used yet, in id order."""
    return [
        i.token for i in unanswered(Invitation.objects.filter(wave=wave).order_by("pk"))
    ]


def add_response(wave: Wave) -> None:
    """One more Sales response (from an invitation nobody has used yet)."""
    token = pending_tokens(wave)[0]
    response_submit(token=token, answers=answers_for(question_ids(wave), PEOPLE[-1]))


@pytest.fixture
def generous_rates(settings):
    """Throttle rates high enough for tests that send many requests."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            "token": "100000/minute",
            "responses": "100000/minute",
            "anonymous": "100000/minute",
        },
    }


@pytest.fixture
def make_key(hr_analyst) -> Callable[..., str]:
    """A new token's key: ``make_key("results:read", departments=["CLM"])``."""

    def make(*scopes: str, departments=(), user=None, expires_at=None) -> str:
        _token, key = api_token_create(
            user=user or hr_analyst,
            name="test token",
            scopes=scopes,
            departments=[Department.objects.get(code=c) for c in departments],
            expires_at=expires_at,
        )
        return key

    return make


@pytest.fixture
def client_for() -> Callable[..., APIClient]:
    """An API client; with a key it authenticates as that token."""

    def make(key: str | None = None, keyword: str = "Token") -> APIClient:
        client = APIClient()
        if key is not None:
            client.credentials(HTTP_AUTHORIZATION=f"{keyword} {key}")
        return client

    return make


@pytest.fixture
def results_client(make_key, client_for) -> APIClient:
    return client_for(make_key("results:read"))


@pytest.fixture
def org_client(make_key, client_for) -> APIClient:
    return client_for(make_key("organisation:read"))


@pytest.fixture
def all_scopes_client(make_key, client_for) -> APIClient:
    return client_for(make_key(*ALL_SCOPES))


def errors_of(response) -> list[dict]:
    body = response.json()
    assert set(body) == {"errors"}, body
    for error in body["errors"]:
        assert set(error) == {"field", "code", "message"}, error
        assert error["message"]
    return body["errors"]


def assert_error(response, status: int, code: str, field: str | None = None) -> None:
    assert response.status_code == status, (response.status_code, response.content)
    assert response["Content-Type"].startswith("application/json")
    errors = errors_of(response)
    assert any(e["code"] == code and e["field"] == field for e in errors), errors


def command_report(kind: str, wave: Wave, fmt: str = "json"):
    """What ``manage.py report`` prints, parsed."""
    out = StringIO()
    call_command("report", kind, wave=wave.pk, format=fmt, stdout=out)
    return json.loads(out.getvalue()) if fmt == "json" else out.getvalue()


def assert_outsiders_refused(
    url: str,
    *,
    client_for,
    make_key,
    employee_user,
    needs: str = "results:read",
    method: str = "get",
    data=None,
) -> None:
    """No credentials: 401. A token without the scope, or with another one: 403.
    A logged-in user without the role: 403."""
    kwargs = {"data": data, "format": "json"} if method == "post" else {}
    anonymous = getattr(client_for(), method)(url, **kwargs)
    assert_error(anonymous, 401, "not_authenticated")
    assert anonymous["WWW-Authenticate"].startswith("Token")

    others = [s for s in ALL_SCOPES if s != needs]
    if needs == "organisation:read":
        others = ["responses:write"]  # results:read may read these too
    for scope in others:
        response = getattr(client_for(make_key(scope)), method)(url, **kwargs)
        assert_error(response, 403, "missing_scope")

    session = APIClient()
    session.force_login(employee_user)
    assert_error(getattr(session, method)(url, **kwargs), 403, "missing_scope")
