"""API tokens: authentication, the create_api_token command and the admin pages."""

from __future__ import annotations

import datetime as dt
import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import ApiToken
from api.services import api_token_create, api_token_revoke
from ownership.models import AuditEntry, Department
from tests.api.conftest import assert_error
from tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/departments/"


class TestAuthentication:
    @pytest.mark.parametrize("keyword", ["Token", "Bearer", "token", "bearer"])
    def test_token_and_bearer(self, org, make_key, client_for, keyword):
        assert (
            client_for(make_key("organisation:read"), keyword).get(URL).status_code
            == 200
        )

    def test_unknown_and_malformed_keys(self, org, client_for, make_key):
        assert_error(client_for("co_nonsense").get(URL), 401, "invalid_token")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION="Token two parts")
        assert_error(client.get(URL), 401, "malformed_token")
        client.credentials(HTTP_AUTHORIZATION="Token")
        assert_error(client.get(URL), 401, "malformed_token")
        client.credentials(HTTP_AUTHORIZATION="Token " + "x" * 5000)
        assert_error(client.get(URL), 401, "invalid_token")
        # Another scheme is no credentials at all.
        client.credentials(HTTP_AUTHORIZATION="Basic aGFuYTpzZWNyZXQ=")
        assert_error(client.get(URL), 401, "not_authenticated")

    def test_expired_token(self, org, hr_analyst, client_for):
        token, key = api_token_create(
            user=hr_analyst,
            name="short-lived",
            scopes=["organisation:read"],
            expires_at=timezone.now() + dt.timedelta(hours=1),
        )
        client = client_for(key)
        assert client.get(URL).status_code == 200
        ApiToken.objects.filter(pk=token.pk).update(
            expires_at=timezone.now() - dt.timedelta(seconds=1)
        )
        response = client.get(URL)
        assert_error(response, 401, "token_expired")
        assert response["WWW-Authenticate"].startswith("Token")

    def test_revoked_token(self, org, hr_analyst, client_for):
        token, key = api_token_create(
            user=hr_analyst, name="t", scopes=["organisation:read"]
        )
        client = client_for(key)
        assert client.get(URL).status_code == 200
        api_token_revoke(token=token, actor=hr_analyst)
        assert_error(client.get(URL), 401, "token_revoked")

    def test_inactive_owner(self, org, hr_analyst, make_key, client_for):
        client = client_for(make_key("organisation:read"))
        hr_analyst.is_active = False
        hr_analyst.save()
        assert_error(client.get(URL), 401, "user_inactive")

    def test_only_a_hash_is_stored(self, org, hr_analyst):
        token, key = api_token_create(
            user=hr_analyst, name="t", scopes=["results:read"]
        )
        assert key.startswith("co_") and len(key) >= 40
        token.refresh_from_db()
        assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
        assert token.prefix == key[:10]
        stored = [
            str(getattr(token, f.attname)) for f in ApiToken._meta.concrete_fields
        ]
        assert all(key not in value for value in stored)
        assert not any(key in e.detail for e in AuditEntry.objects.all())

    def test_last_used_is_recorded(self, org, hr_analyst, client_for):
        token, key = api_token_create(
            user=hr_analyst, name="t", scopes=["organisation:read"]
        )
        assert token.last_used_at is None
        client_for(key).get(URL)
        token.refresh_from_db()
        assert token.last_used_at is not None

    def test_session_auth_for_logged_in_admin_users(
        self, wave, hr_analyst, superuser, employee_user
    ):
        client = APIClient()
        client.force_login(hr_analyst)
        assert client.get(f"/api/v1/waves/{wave.pk}/heatmap/").status_code == 200
        assert client.get(URL).status_code == 200
        # Sessions never submit responses (that is for tools with a token).
        assert_error(
            client.post("/api/v1/responses/", {}, format="json"), 403, "missing_scope"
        )
        client.force_login(superuser)
        assert client.get(f"/api/v1/waves/{wave.pk}/comments/").status_code == 200
        client.force_login(employee_user)
        assert_error(client.get(URL), 403, "missing_scope")
        assert_error(
            client.get(f"/api/v1/waves/{wave.pk}/heatmap/"), 403, "missing_scope"
        )

    def test_session_posts_need_csrf(self, org, hr_analyst):
        client = APIClient(enforce_csrf_checks=True)
        client.force_login(hr_analyst)
        response = client.post("/api/v1/responses/", {}, format="json")
        assert response.status_code == 403
        assert "CSRF" in response.json()["errors"][0]["message"]

    def test_a_token_owner_who_is_not_hr_still_has_the_tokens_scope(
        self, wave, employee_user, make_key, client_for
    ):
        # A token carries its own scopes: the owner's role does not widen or
        # narrow them (HR analysts decide what a token may do).
        client = client_for(make_key("results:read", user=employee_user))
        assert client.get(f"/api/v1/waves/{wave.pk}/heatmap/").status_code == 200


class TestService:
    def test_validation(self, org, hr_analyst):
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError) as exc:
            api_token_create(user=hr_analyst, name="", scopes=["nope"])
        assert set(exc.value.message_dict) == {"name", "scopes"}
        with pytest.raises(ValidationError):
            api_token_create(user=hr_analyst, name="t", scopes=[])
        with pytest.raises(ValidationError):
            api_token_create(
                user=hr_analyst,
                name="t",
                scopes=["results:read"],
                expires_at=timezone.now() - dt.timedelta(days=1),
            )

    def test_department_scope_never_widens_when_departments_go(
        self, wave, org, hr_analyst, client_for
    ):
        temporary = DepartmentFactory(code="TMP", name="Project", parent=org["board"])
        token, key = api_token_create(
            user=hr_analyst, name="t", scopes=["results:read"], departments=[temporary]
        )
        Department.objects.get(code="TMP").delete()
        token.refresh_from_db()
        assert token.results_scope().everything is False
        body = client_for(key).get(f"/api/v1/waves/{wave.pk}/response-rates/").json()
        assert [r["department"]["code"] for r in body["rows"]] == [None]


class TestCommand:
    def run(self, *args) -> str:
        out = StringIO()
        call_command("create_api_token", *args, stdout=out)
        return out.getvalue()

    def test_prints_the_key_alone_on_its_last_line(self, org, hr_analyst, client_for):
        output = self.run(
            "--user",
            "hana.hr",
            "--scope",
            "results:read",
            "--scope",
            "organisation:read",
            "--department",
            "CLM",
            "--expires",
            "2099-12-31",
            "--name",
            "Power BI",
        )
        key = output.strip().splitlines()[-1]
        assert key.startswith("co_") and " " not in key
        token = ApiToken.objects.get()
        assert token.name == "Power BI"
        assert token.scopes == ["results:read", "organisation:read"]
        assert [d.code for d in token.departments.all()] == ["CLM"]
        assert timezone.localtime(token.expires_at).date() == dt.date(2100, 1, 1)
        codes = [d["code"] for d in client_for(key).get(URL).json()["results"]]
        assert codes == ["CLM", "CLM-MOT"]
        entry = AuditEntry.objects.get(action="api-token-create")
        assert entry.channel == "command" and "Power BI" in entry.detail

    def test_defaults(self, org, hr_analyst):
        self.run("--user", "hana.hr", "--scope", "responses:write")
        token = ApiToken.objects.get()
        assert token.all_departments and token.expires_at is None
        assert "hana.hr" in token.name

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (["--user", "nobody", "--scope", "results:read"], "no user 'nobody'"),
            (["--user", "hana.hr", "--scope", "results:write"], "Unknown scope"),
            (
                ["--user", "hana.hr", "--scope", "results:read", "--department", "XX"],
                "Unknown department code 'XX'",
            ),
            (
                ["--user", "hana.hr", "--scope", "results:read", "--expires", "soon"],
                "YYYY-MM-DD",
            ),
            (
                [
                    "--user",
                    "hana.hr",
                    "--scope",
                    "results:read",
                    "--expires",
                    "2000-01-01",
                ],
                "past",
            ),
        ],
    )
    def test_clear_errors(self, org, hr_analyst, args, message):
        with pytest.raises(CommandError, match=message):
            self.run(*args)
        assert not ApiToken.objects.exists()


class TestAdminPages:
    def test_hr_analysts_create_a_token_and_see_its_key_once(
        self, org, hr_analyst, client, client_for
    ):
        client.force_login(hr_analyst)
        assert client.get("/admin/api-tokens/new/").status_code == 200
        response = client.post(
            "/admin/api-tokens/new/",
            {
                "name": "Intranet app",
                "scopes": ["responses:write", "organisation:read"],
                "departments": [org["claims"].pk],
                "expires_on": "2099-06-30",
            },
        )
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        token = ApiToken.objects.get()
        key = response.context["key"]
        html = response.content.decode()
        assert key in html and 'data-action="w-clipboard#copy"' in html
        assert token.user == hr_analyst and not token.all_departments
        assert client_for(key).get(URL).status_code == 200

        listing = client.get("/admin/api-tokens/")
        text = listing.content.decode()
        assert listing.status_code == 200
        assert "Intranet app" in text and token.prefix in text and key not in text
        assert "responses:write" in text and "Claims (CLM)" in text
        assert "2099-07-01 00:00" in text  # valid through the chosen day
        assert AuditEntry.objects.filter(action="api-token-create", channel="admin")

    def test_form_errors(self, org, hr_analyst, client):
        client.force_login(hr_analyst)
        response = client.post(
            "/admin/api-tokens/new/", {"name": "", "expires_on": "2001-01-01"}
        )
        assert response.status_code == 200
        assert set(response.context["form"].errors) == {"name", "scopes", "expires_on"}
        assert not ApiToken.objects.exists()

    def test_revoke(self, org, hr_analyst, client, make_key, client_for):
        key = make_key("organisation:read")
        token = ApiToken.objects.get()
        client.force_login(hr_analyst)
        confirm = client.get(f"/admin/api-tokens/{token.pk}/revoke/")
        assert confirm.status_code == 200 and token.name in confirm.content.decode()
        response = client.post(f"/admin/api-tokens/{token.pk}/revoke/")
        assert response.status_code == 302
        token.refresh_from_db()
        assert token.revoked_at is not None
        assert_error(client_for(key).get(URL), 401, "token_revoked")
        assert "Revoked" in client.get("/admin/api-tokens/").content.decode()
        assert AuditEntry.objects.filter(action="api-token-revoke").count() == 1
        # Revoking again changes nothing.
        client.post(f"/admin/api-tokens/{token.pk}/revoke/")
        assert AuditEntry.objects.filter(action="api-token-revoke").count() == 1

    @pytest.mark.parametrize("who", ["department_head", "employee_user"])
    def test_others_may_not(self, org, make_key, client, request, who):
        make_key("organisation:read")
        token = ApiToken.objects.get()
        user = request.getfixturevalue(who)
        client.force_login(user)
        for url in (
            "/admin/api-tokens/",
            "/admin/api-tokens/new/",
            f"/admin/api-tokens/{token.pk}/revoke/",
        ):
            assert client.get(url).status_code in (302, 403)
        assert client.post(f"/admin/api-tokens/{token.pk}/revoke/").status_code in (
            302,
            403,
        )
        token.refresh_from_db()
        assert token.revoked_at is None

    def test_menu_item_for_hr_analysts_only(
        self, org, hr_analyst, department_head, client
    ):
        client.force_login(hr_analyst)
        page = client.get("/admin/", follow=True).content.decode()
        assert "/admin/api-tokens/" in page
        client.force_login(department_head)
        page = client.get("/admin/", follow=True).content.decode()
        assert "/admin/api-tokens/" not in page
