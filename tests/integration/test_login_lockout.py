"""Sign-in throttling: wrong passwords lock a user name out from one address."""

from __future__ import annotations

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # noqa: S105 - a test password


@pytest.fixture
def user():
    person = UserFactory(username="hana.hr", is_staff=True, is_superuser=True)
    person.set_password(PASSWORD)
    person.save()
    return person


def sign_in(client, password: str, **meta):
    return client.post(
        "/admin/login/", {"username": "hana.hr", "password": password}, **meta
    )


def signed_in(client) -> bool:
    return client.get("/admin/").status_code == 200


def test_wrong_passwords_lock_the_account_out_even_for_the_right_one(
    client, user, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "guess").status_code == 200  # the form again
        assert not signed_in(client)
    locked = sign_in(client, "guess")
    assert locked.status_code == 429
    refused = sign_in(client, PASSWORD)
    assert refused.status_code == 429
    assert "too many" in refused.content.decode().lower()
    assert not signed_in(client)


def test_a_made_up_forwarded_address_does_not_escape_the_lockout(
    client, user, settings
):
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "guess", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    assert (
        sign_in(client, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.99").status_code
        == 429
    )


def test_behind_a_trusted_proxy_only_the_guessers_address_is_locked(
    client, user, settings
):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    guesser = {"HTTP_X_FORWARDED_FOR": "203.0.113.7", **proxy}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "guess", **guesser)
    assert sign_in(client, PASSWORD, **guesser).status_code == 429
    # The real user, behind the same proxy, signs in.
    owner = {"HTTP_X_FORWARDED_FOR": "203.0.113.8", **proxy}
    assert sign_in(client, PASSWORD, **owner).status_code == 302
    assert signed_in(client)


def test_a_right_password_before_the_limit_starts_the_count_afresh(
    client, user, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "guess")
    assert sign_in(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "guess")
    assert sign_in(client, PASSWORD).status_code == 302
