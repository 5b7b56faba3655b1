import pytest

from tests.conftest import _staff


@pytest.fixture
def ig_officer(db):
    """Officer in the information-governance team."""
    return _staff("ig.officer", "information-governance", email="ig@council.example")


@pytest.fixture
def ig_leader(db):
    from residenthub.accounts.models import Membership

    return _staff("ig.leader", "information-governance", Membership.Role.TEAM_LEADER)
