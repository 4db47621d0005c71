"""POST /api/v1/responses/: one response per invitation, through response_submit."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from surveys.models import (
    Comment,
    Invitation,
    Response,
    SpentToken,
    hash_token,
    spent_hash,
)
from surveys.services import invitations_issue, wave_close
from tests.api.conftest import (
    PEOPLE,
    answers_for,
    assert_error,
    assert_outsiders_refused,
    errors_of,
    pending_tokens,
    question_ids,
)
from tests.factories import EmployeeFactory

URL = "/api/v1/responses/"


def body_for(wave, token: str, **overrides) -> dict:
    body = {"token": token, "answers": answers_for(question_ids(wave), PEOPLE[-1])}
    body.update(overrides)
    return body


@pytest.fixture
def writer(make_key, client_for) -> APIClient:
    return client_for(make_key("responses:write"))


@pytest.fixture
def token(wave) -> str:
    return pending_tokens(wave)[0]


def counts() -> tuple[int, int, int]:
    return (
        Response.objects.count(),
        SpentToken.objects.count(),
        Comment.objects.count(),
    )


@pytest.mark.django_db
class TestSubmit:
    def test_outsiders_are_refused(
        self, wave, token, client_for, make_key, employee_user
    ):
        before = counts()
        assert_outsiders_refused(
            URL,
            client_for=client_for,
            make_key=make_key,
            employee_user=employee_user,
            needs="responses:write",
            method="post",
            data=body_for(wave, token),
        )
        assert counts() == before
        assert not _invitation(token).answered

    def test_stored_once_with_nothing_that_links_back(self, wave, token, writer):
        before = counts()
        response = writer.post(URL, body_for(wave, token, language="de"), format="json")
        assert response.status_code == 201
        assert response.json() == {"status": "stored"}
        assert "Location" not in response
        assert counts()[0] == before[0] + 1
        assert _invitation(token).answered
        assert Response.objects.filter(language="de").count() == 1

    def test_already_answered_is_409(self, wave, token, writer):
        assert writer.post(URL, body_for(wave, token), format="json").status_code == 201
        before = counts()
        again = writer.post(URL, body_for(wave, token), format="json")
        assert_error(again, 409, "already_answered", "token")
        assert counts() == before

    def test_unknown_token(self, wave, writer):
        response = writer.post(URL, body_for(wave, "not-a-real-token"), format="json")
        assert_error(response, 400, "unknown_link", "token")

    def test_closed_wave(self, wave, token, writer):
        wave_close(wave=wave)
        response = writer.post(URL, body_for(wave, token), format="json")
        assert_error(response, 400, "not_open", "token")
        assert not _invitation(token).answered

    @pytest.mark.parametrize(
        "case", ["out-of-range", "unknown-question", "points", "two-errors", "empty"]
    )
    def test_an_invalid_body_gets_the_same_answer_whatever_the_token_has_done(
        self, wave, writer, case
    ):
        """Invalid answers are refused before the token's state is looked at:
        the same 400 for a used and an unused token, and nothing stored. Only
        a valid body learns that a token was used (409)."""
        used, unused = pending_tokens(wave)
        assert writer.post(URL, body_for(wave, used), format="json").status_code == 201
        ids = question_ids(wave)
        answers = answers_for(ids, PEOPLE[-1])
        if case == "out-of-range":
            answers[ids[0]] = 6
        elif case == "unknown-question":
            answers["no-such-question"] = 1
        elif case == "points":
            answers[ids[3]] = {"me": 50, "team": 40}
        elif case == "two-errors":
            answers[ids[2]] = 11
            answers[ids[4]] = "top-management"
        else:
            answers = {}
        before = counts()
        spent = SpentToken.objects.count()
        replies = {
            token: writer.post(URL, {"token": token, "answers": answers}, format="json")
            for token in (used, unused)
        }
        for reply in replies.values():
            assert reply.status_code == 400
            errors = errors_of(reply)
            assert {e["code"] for e in errors} == {"invalid_answer"}
            assert all(e["field"].startswith("answers") for e in errors)
        assert replies[used].json() == replies[unused].json()
        assert replies[used].content == replies[unused].content
        assert counts() == before
        assert SpentToken.objects.count() == spent
        assert not _invitation(unused).answered

        conflict = writer.post(URL, body_for(wave, used), format="json")
        assert_error(conflict, 409, "already_answered", "token")
        assert counts() == before
        assert writer.post(URL, body_for(wave, unused), format="json").status_code == (
            201
        )

    def test_answer_errors_name_the_question(self, wave, token, writer):
        ids = question_ids(wave)
        answers = answers_for(ids, PEOPLE[-1])
        answers[ids[0]] = 9  # a 5-point scale
        answers[ids[3]] = {"me": 50, "team": 40}  # 90 points, not 100
        answers["no-such-question"] = 1
        before = counts()
        response = writer.post(URL, {"token": token, "answers": answers}, format="json")
        assert response.status_code == 400
        errors = {e["field"]: e for e in errors_of(response)}
        assert set(errors) == {
            f"answers.{ids[0]}",
            f"answers.{ids[3]}",
            "answers.no-such-question",
        }
        assert errors[f"answers.{ids[0]}"]["message"] == (
            "Choose a whole number from 1 to 5."
        )
        assert all(e["code"] == "invalid_answer" for e in errors.values())
        assert counts() == before
        assert not _invitation(token).answered

    def test_body_errors(self, wave, token, writer):
        assert_error(writer.post(URL, {}, format="json"), 400, "required", "token")
        assert_error(
            writer.post(URL, {"token": token}, format="json"),
            400,
            "required",
            "answers",
        )
        assert_error(
            writer.post(URL, {"token": token, "answers": [1, 2]}, format="json"),
            400,
            "not_a_dict",
            "answers",
        )
        assert_error(
            writer.post(URL, body_for(wave, token, language="fr"), format="json"),
            400,
            "invalid_choice",
            "language",
        )
        assert_error(
            writer.post(URL, body_for(wave, "x" * 101), format="json"),
            400,
            "max_length",
            "token",
        )
        assert_error(writer.post(URL, [1, 2, 3], format="json"), 400, "invalid", None)
        assert_error(
            writer.post(URL, "{not json", content_type="application/json"),
            400,
            "parse_error",
        )
        assert_error(
            writer.post(
                URL, "token=x", content_type="application/x-www-form-urlencoded"
            ),
            415,
            "unsupported_media_type",
        )
        assert not _invitation(token).answered

    def test_skipped_questions_and_empty_answers(self, wave, token, writer):
        # No question of this survey is required: all but one may be skipped.
        ids = question_ids(wave)
        before = counts()
        earlier = set(Response.objects.values_list("pk", flat=True))
        response = writer.post(
            URL, {"token": token, "answers": {ids[2]: 7, ids[0]: ""}}, format="json"
        )
        assert response.status_code == 201
        assert counts() == (before[0] + 1, before[1] + 1, before[2])
        (stored,) = Response.objects.exclude(pk__in=earlier)
        assert stored.numeric_answers() == {ids[2]: 7}

    @pytest.mark.parametrize(
        "answers",
        [{}, "blank", "whitespace"],
        ids=["no-keys", "only-blank-values", "only-whitespace-text"],
    )
    def test_a_response_with_no_answer_is_refused(self, wave, token, writer, answers):
        ids = question_ids(wave)
        if answers == "blank":  # every question present, each one skipped
            answers = {ids[0]: "", ids[1]: "", ids[3]: {}, ids[5]: ""}
        elif answers == "whitespace":  # a comment of blanks is no comment
            answers = {ids[5]: "   \n\t "}
        before = counts()
        spent = SpentToken.objects.count()
        response = writer.post(URL, {"token": token, "answers": answers}, format="json")
        assert_error(response, 400, "invalid_answer", "answers")
        (error,) = errors_of(response)
        assert error["message"] == "Answer at least one question before sending."
        assert counts() == before
        assert SpentToken.objects.count() == spent
        assert not _invitation(token).answered
        # The link still works for a real answer.
        ok = writer.post(URL, body_for(wave, token), format="json")
        assert ok.status_code == 201

    def test_odd_input_never_fails(self, wave, token, writer, org, generous_rates):
        EmployeeFactory.create_batch(30, department=org["sales"])
        invitations_issue(wave=wave, send=False)
        ids = question_ids(wave)
        odd_values = [
            10**400,
            -(10**30),
            1e308,
            1.5,
            True,
            None,
            "",
            "٣",  # an Arabic-Indic digit
            "🙂" * 50,
            "\u0000",
            {"deep": [[[[{}]]]]},
            [None],
        ]
        for value in odd_values:
            for question in ids:
                response = writer.post(
                    URL, {"token": token, "answers": {question: value}}, format="json"
                )
                assert response.status_code in (201, 400), (value, response.content)
                if response.status_code == 201:
                    token = pending_tokens(wave)[0]
        for raw in (
            b'{"token": "\\ud800", "answers": {}}',
            b'{"token": "x", "answers": {"\\udfff": 1}}',
            b'{"token": "x", "answers": {"a": ["\\ud800"]}}',
            b'{"token": NaN, "answers": {}}',
            b"[" * 100_000 + b"]" * 100_000,
            b'{"token": 1e999999, "answers": {}}',
            b"\xff\xfe{}",
            b"",
        ):
            response = writer.post(URL, raw, content_type="application/json")
            assert response.status_code == 400, (raw[:40], response.content)
            errors_of(response)

    def test_throttled_per_client_address(
        self, wave, writer, settings, make_key, client_for
    ):
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {
                **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
                "responses": "2/minute",
            },
        }
        body = body_for(wave, "guess")
        assert writer.post(URL, body, format="json").status_code == 400
        assert writer.post(URL, body, format="json").status_code == 400
        # Another token from the same address is throttled too.
        other = client_for(make_key("responses:write"))
        throttled = other.post(URL, body, format="json")
        assert_error(throttled, 429, "throttled")
        assert int(throttled["Retry-After"]) > 0
        # Another address is not.
        elsewhere = other.post(URL, body, format="json", REMOTE_ADDR="10.1.2.3")
        assert elsewhere.status_code == 400
        # A made-up X-Forwarded-For changes nothing without a trusted proxy.
        for n in range(3):
            rotated = other.post(
                URL, body, format="json", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"
            )
            assert_error(rotated, 429, "throttled")

    def test_behind_a_trusted_proxy_each_client_has_its_own_limit(
        self, wave, writer, settings
    ):
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "NUM_PROXIES": 1,
            "DEFAULT_THROTTLE_RATES": {
                **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
                "responses": "1/minute",
            },
        }
        body = body_for(wave, "guess")
        proxy = {"REMOTE_ADDR": "10.0.0.1"}
        first = {"HTTP_X_FORWARDED_FOR": "203.0.113.7", **proxy}
        assert writer.post(URL, body, format="json", **first).status_code == 400
        assert_error(writer.post(URL, body, format="json", **first), 429, "throttled")
        # Another client behind the same proxy is not held back.
        second = {"HTTP_X_FORWARDED_FOR": "203.0.113.8", **proxy}
        assert writer.post(URL, body, format="json", **second).status_code == 400


def _invitation(token: str) -> Invitation:
    return Invitation.objects.get(token_hash=hash_token(token))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_racing_submissions_store_exactly_one_response(
    migrated_database, wave, make_key
):
    """One token, posted from eight clients at once: one 201 and one spent
    link between them, 409 for the rest."""
    key = make_key("responses:write")
    token = pending_tokens(wave)[0]
    body = body_for(wave, token)
    before = Response.objects.count()
    barrier = threading.Barrier(8)
    statuses: list[int] = []

    def submit():
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        barrier.wait()
        try:
            statuses.append(client.post(URL, body, format="json").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [201] + [409] * 7
    assert Response.objects.count() == before + 1
    assert SpentToken.objects.filter(digest=spent_hash(token)).count() == 1
    assert SpentToken.objects.filter(wave=wave).count() == 16
    assert _invitation(token).answered
