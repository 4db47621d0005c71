from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from wagtail.models import Locale

from ownership.models import (
    Department,
    Employee,
    EventKind,
    Locus,
    LocusKind,
    OrganisationEvent,
)
from tests.factories import DepartmentFactory, EmployeeFactory


class TestDepartment:
    def test_tree_and_subtree(self, org):
        codes = {d.code for d in Department.objects.subtree_of(org["claims"])}
        assert codes == {"CLM", "CLM-MOT"}
        assert org["motor"].parent_code == "CLM"
        assert org["board"].parent_code is None
        assert [d.code for d in org["board"].get_children()] == ["CLM", "SAL"]

    def test_code_is_unique(self, org):
        with pytest.raises(IntegrityError):
            DepartmentFactory(code="CLM", name="Second Claims")


class TestEmployee:
    def test_active_filter_and_str(self, org):
        EmployeeFactory(department=org["sales"], external_id="E1", display_name="Ann")
        EmployeeFactory(department=org["sales"], external_id="E2", is_active=False)
        assert [e.external_id for e in Employee.objects.active()] == ["E1"]
        assert str(Employee.objects.get(external_id="E1")) == "Ann (E1)"

    def test_department_cannot_be_deleted_while_people_work_there(self, org):
        EmployeeFactory(department=org["motor"])
        from django.db.models import ProtectedError

        with pytest.raises(ProtectedError):
            Department.objects.get(code="CLM-MOT").delete()


class TestLocus:
    def test_default_loci_are_seeded_in_three_languages(self, db):
        english = Locale.objects.get(language_code="en")
        slugs = list(
            Locus.objects.filter(locale=english).values_list("slug", flat=True)
        )
        assert slugs == [
            "me",
            "team",
            "manager",
            "cco",
            "customer-service",
            "other-departments",
            "top-management",
            "nobody",
        ]
        designated = Locus.objects.filter(locale=english, kind=LocusKind.DESIGNATED)
        assert {lo.slug for lo in designated} == {"cco", "customer-service"}
        distributed = Locus.objects.filter(locale=english, kind=LocusKind.DISTRIBUTED)
        assert {lo.slug for lo in distributed} == {"me", "team"}
        cco_de = Locus.objects.get(slug="cco", locale__language_code="de")
        assert cco_de.name == "Der Chief Customer Officer"
        assert cco_de.get_translation(english).slug == "cco"
        assert Locus.objects.get(slug="me", locale__language_code="nl").name == "Ikzelf"


class TestOrganisationEvent:
    def test_latest_cco_appointment(self, db):
        OrganisationEvent.objects.create(
            date=dt.date(2025, 1, 1), kind=EventKind.CCO_APPOINTED, title="First CCO"
        )
        OrganisationEvent.objects.create(
            date=dt.date(2026, 3, 1), kind=EventKind.CCO_APPOINTED, title="New CCO"
        )
        OrganisationEvent.objects.create(
            date=dt.date(2026, 6, 1), kind=EventKind.OTHER, title="Merger"
        )
        assert OrganisationEvent.objects.latest_cco_appointment().title == "New CCO"

    def test_blank_title_is_refused(self, db):
        event = OrganisationEvent(date=dt.date(2026, 1, 1), title="   ")
        with pytest.raises(ValidationError) as exc:
            event.full_clean()
        assert "title" in exc.value.message_dict
