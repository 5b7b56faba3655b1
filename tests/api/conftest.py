import pytest

from residenthub.api import keys
from residenthub.api.models import Scope


@pytest.fixture
def api_key(db):
    """A client key with the Open311 scope: (ApiKey, raw key)."""
    return keys.create_key("FixMyStreet", [Scope.OPEN311])
