"""The public site and the admin, through real HTTP and templates."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ownership.models import AuditEntry, Department, Employee
from tests.factories import PASSWORD

GOOD = (
    "external_id,email,name,department_code,department_name,"
    "parent_department_code,customer_facing,language\n"
    "E1,ann@example.com,Ann,BOARD,Board,,no,de\n"
    "E2,bob@example.com,Bob,CLM,Claims,BOARD,yes,en\n"
)


@pytest.mark.django_db
class TestHomePage:
    def test_explains_the_platform(self, client):
        response = client.get("/")
        assert response.status_code == 200
        html = response.content.decode()
        assert "<h1>Customer Ownership</h1>" in html
        assert "somebody else" in html
        assert 'name="viewport"' in html
        assert 'href="/admin/"' in html

    @pytest.mark.parametrize("language", ["de", "nl"])
    def test_served_in_each_language(self, client, language):
        response = client.get(f"/{language}/")
        assert response.status_code == 200
        assert f'<html lang="{language}">' in response.content.decode()

    def test_unknown_page_is_404(self, client):
        assert client.get("/no-such-page/").status_code == 404


@pytest.mark.django_db
class TestAdmin:
    def test_login(self, client, hr_analyst):
        response = client.post(
            "/admin/login/", {"username": "hana.hr", "password": PASSWORD}, follow=True
        )
        assert response.status_code == 200
        assert response.wsgi_request.user == hr_analyst
        # HR reads results and edits no pages: the admin's front door leads
        # to the results home.
        assert [url for url, _status in response.redirect_chain][-2:] == [
            "/admin/",
            "/admin/results/",
        ]

    def test_wrong_password(self, client, hr_analyst):
        response = client.post(
            "/admin/login/", {"username": "hana.hr", "password": "nope"}
        )
        assert response.status_code == 200
        assert not response.wsgi_request.user.is_authenticated

    @pytest.mark.parametrize(
        "model", ["department", "employee", "locus", "organisationevent"]
    )
    def test_organisation_listings(self, client, hr_analyst, org, model):
        client.force_login(hr_analyst)
        response = client.get(f"/admin/snippets/ownership/{model}/")
        assert response.status_code == 200

    def test_department_listing_shows_the_tree(self, client, hr_analyst, org):
        client.force_login(hr_analyst)
        html = client.get("/admin/snippets/ownership/department/").content.decode()
        assert html.index("Board") < html.index("Claims") < html.index("Motor Claims")

    def test_create_department_under_a_parent(self, client, hr_analyst, org):
        client.force_login(hr_analyst)
        response = client.post(
            "/admin/snippets/ownership/department/add/",
            {
                "name": "Property Claims",
                "code": "CLM-PRP",
                "parent": org["claims"].pk,
                "is_customer_facing": "on",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        created = Department.objects.get(code="CLM-PRP")
        assert created.get_parent().code == "CLM"
        assert created.is_customer_facing
        entry = AuditEntry.objects.get(action="department-create")
        assert (entry.user, entry.channel) == (hr_analyst, "admin")
        assert entry.detail == "CLM-PRP under CLM"

    def test_move_department_and_refuse_a_cycle(self, client, hr_analyst, org):
        client.force_login(hr_analyst)
        url = f"/admin/snippets/ownership/department/edit/{org['claims'].pk}/"
        refused = client.post(
            url, {"name": "Claims", "code": "CLM", "parent": org["motor"].pk}
        )
        assert refused.status_code == 200
        assert "cannot sit under itself" in refused.content.decode()
        assert Department.objects.get(code="CLM").get_parent().code == "BOARD"
        moved = client.post(
            url, {"name": "Claims", "code": "CLM", "parent": org["sales"].pk}
        )
        assert moved.status_code == 302
        assert (
            Department.objects.get(code="CLM-MOT").get_parent().get_parent().code
            == "SAL"
        )
        assert Department.find_problems() == ([], [], [], [], [])
        entry = AuditEntry.objects.get(action="department-move")
        assert (entry.user, entry.detail) == (hr_analyst, "CLM under SAL")
        renamed = client.post(
            url, {"name": "Claims & Benefits", "code": "CLM", "parent": org["sales"].pk}
        )
        assert renamed.status_code == 302
        assert Department.objects.get(code="CLM").name == "Claims & Benefits"
        assert AuditEntry.objects.filter(action="department-change").count() == 1

    def test_duplicate_department_code_is_refused_on_the_field(
        self, client, hr_analyst, org
    ):
        client.force_login(hr_analyst)
        response = client.post(
            "/admin/snippets/ownership/department/add/",
            {"name": "Claims 2", "code": "CLM", "parent": org["board"].pk},
        )
        assert response.status_code == 200
        assert "Department with this Code already exists." in response.content.decode()
        assert Department.objects.filter(code="CLM").count() == 1

    def test_department_head_cannot_edit_the_organisation(
        self, client, department_head
    ):
        client.force_login(department_head)
        # Wagtail's own views send people without permission back to the dashboard.
        assert client.get("/admin/snippets/ownership/employee/").url == "/admin/"
        assert client.get(reverse("ownership_org_import")).status_code == 403


@pytest.mark.django_db
class TestOrgImportUpload:
    url = "/admin/organisation/import/"

    def _upload(self, client, content, **flags):
        from django.core.files.uploadedfile import SimpleUploadedFile

        data = {"file": SimpleUploadedFile("org.csv", content, "text/csv")}
        data.update({k: "on" for k, v in flags.items() if v})
        return client.post(self.url, data)

    def test_form_renders(self, client, hr_analyst):
        client.force_login(hr_analyst)
        response = client.get(self.url)
        assert response.status_code == 200
        assert "all or nothing" in response.content.decode()

    def test_dry_run_then_import(self, client, hr_analyst):
        client.force_login(hr_analyst)
        dry = self._upload(client, GOOD.encode(), dry_run=True)
        assert dry.status_code == 200
        assert "Dry run: what would change" in dry.content.decode()
        assert not Employee.objects.exists()
        done = self._upload(client, GOOD.encode())
        assert "2 employees created" in done.content.decode()
        assert Employee.objects.count() == 2

    def test_bad_file_lists_problems_and_stores_nothing(self, client, hr_analyst):
        client.force_login(hr_analyst)
        bad = GOOD + "E3,broken,Cas,CLM,Claims,BOARD,yes,fr\n"
        response = self._upload(client, bad.encode())
        html = response.content.decode()
        assert "Nothing was imported" in html
        assert "line 4, email" in html and "line 4, language" in html
        assert not Employee.objects.exists()

    def test_no_file(self, client, hr_analyst):
        client.force_login(hr_analyst)
        response = client.post(self.url, {})
        assert response.status_code == 200
        assert "This field is required." in response.content.decode()
