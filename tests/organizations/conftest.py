"""Fixtures of the organizations tests: a liaison, tokens, and the loaded Hainan data."""

from __future__ import annotations

import pytest

from apps.organizations.choices import Role
from apps.organizations.services import load_hainan_fixtures
from tests.factories.organizations import UserFactory, make_api_token


@pytest.fixture
def liaison(dept):
    """The liaison of the Haikou market regulation bureau (``dept``)."""
    return UserFactory(
        username="liaison", display_name="海口联络员", role=Role.DEPARTMENT_LIAISON, department=dept
    )


@pytest.fixture
def token_pair(dept):
    """A live token of ``dept`` and its full key."""
    return make_api_token(dept, name="海口登记系统")


@pytest.fixture
def other_token_pair(other_dept):
    """A live token of ``other_dept`` (Sanya) and its full key."""
    return make_api_token(other_dept, name="三亚登记系统")


@pytest.fixture
def token_client(api_client, token_pair):
    """An API client authenticated as ``dept``'s system by its token."""
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token_pair[1]}")
    return api_client


@pytest.fixture
def loaded(db):
    """The full Hainan regions and departments, loaded by the service."""
    return load_hainan_fixtures()
