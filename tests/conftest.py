"""Shared fixtures: a small named cast and a tiny organisation."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from django.conf import settings
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
    """Rate limits, report caches and frozen questions must not leak from one
    test to the next (a rolled-back test's wave id is used again)."""
    from django.core.cache import cache

    from surveys.respond import _blank_form
    from surveys.services import frozen_questions

    cache.clear()
    frozen_questions.cache_clear()
    _blank_form.cache_clear()
    yield
    cache.clear()
    frozen_questions.cache_clear()
    _blank_form.cache_clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a test (or a request it made
    in this thread) that activated German or Dutch must not leave it on for
    the next one, whichever order the test processes run them in."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def org(db):
    """Board > Claims > Motor Claims, and Board > Sales."""
    return make_org()


def make_org() -> dict:
    """The organisation of :func:`org`, for fixtures of a wider scope."""
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


def _serialized_databases() -> dict:
    from django.db import connections

    return {
        alias: connections[alias]
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }


def _restore_migrated_data(alias: str, connection) -> None:
    """Load the data the migrations made into a flushed database.

    Content types go first, with their original ids: deserializing a Wagtail
    page looks its content type up, and a cache that no longer matches the
    database would create a duplicate under a new id.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.core import serializers
    from django.db import transaction

    contents = connection._test_serialized_contents
    rows = json.loads(contents)
    content_types = [row for row in rows if row["model"] == "contenttypes.contenttype"]
    with transaction.atomic(using=alias):
        for row in serializers.deserialize("python", content_types, using=alias):
            row.save()
    ContentType.objects.clear_cache()
    connection.creation.deserialize_db_from_string(contents)


@pytest.fixture(scope="module")
def migrated_database(django_db_setup, django_db_blocker) -> Iterator[None]:
    """A module's transactional tests start from, and leave, the database as
    migrations made it.

    For tests marked ``@pytest.mark.django_db(transaction=True,
    serialized_rollback=True)``: their data is committed for real (other
    threads and connections see it), so every test ends with a flush, and
    ``serialized_rollback`` reloads the migrations' data (locales, home page,
    loci, constructs, roles) before the next one. That reload needs an empty
    database: a plain transactional test that ran earlier leaves behind what
    its flush's ``post_migrate`` recreated (content types, permissions, roles)
    under new ids. And a transactional test that runs after the module expects
    the migrations' data, as if it ran first.
    """
    databases = _serialized_databases()
    if not databases:
        pytest.fail(
            "Tests that use migrated_database need "
            "@pytest.mark.django_db(transaction=True, serialized_rollback=True): "
            "they see only committed data and the migrations' data must be "
            "restored after each flush.",
            pytrace=False,
        )
    from django.core.management import call_command

    with django_db_blocker.unblock():
        for alias, connection in databases.items():
            call_command(
                "flush",
                verbosity=0,
                interactive=False,
                database=alias,
                reset_sequences=False,
                inhibit_post_migrate=True,
            )
            _restore_migrated_data(alias, connection)
    yield
    # The last test's flush left the database empty.
    with django_db_blocker.unblock():
        for alias, connection in databases.items():
            _restore_migrated_data(alias, connection)
