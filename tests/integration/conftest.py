"""The API's token fixtures, for the integration tests that read a report
through the API as well as its page."""

from tests.api.conftest import client_for, make_key  # noqa: F401 - fixtures
