"""Shared fixtures: a small named cast and a tiny organisation."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.db import connection

from ownership.models import Department
from tests.factories import DepartmentFactory, EmployeeFactory, UserFactory


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "postgres" in item.keywords and connection.vendor != "postgresql":
            item.add_marker(
                pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
            )


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and report caches must not leak from one test to the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def org(db):
    """Board > Claims > Motor Claims, and Board > Sales."""
    board = DepartmentFactory(code="BOARD", name="Board")
    claims = DepartmentFactory(code="CLM", name="Claims", parent=board)
    motor = DepartmentFactory(code="CLM-MOT", name="Motor Claims", parent=claims)
    sales = DepartmentFactory(code="SAL", name="Sales", parent=board)
    # Re-read: inserting children changes the parents' stored paths and counts.
    return {
        key: Department.objects.get(pk=node.pk)
        for key, node in {
            "board": board,
            "claims": claims,
            "motor": motor,
            "sales": sales,
        }.items()
    }


@pytest.fixture
def hr_analyst(db):
    user = UserFactory(username="hana.hr")
    user.groups.add(Group.objects.get(name="HR analysts"))
    return user


@pytest.fixture
def department_head(org):
    user = UserFactory(username="head.claims")
    user.groups.add(Group.objects.get(name="Department heads"))
    EmployeeFactory(department=org["claims"], user=user)
    return user


@pytest.fixture
def employee_user(org):
    """Somebody with a login but no role."""
    user = UserFactory(username="erik.employee")
    EmployeeFactory(department=org["sales"], user=user)
    return user


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)
