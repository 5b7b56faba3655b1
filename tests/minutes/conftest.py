import datetime as dt

import pytest

from residenthub.accounts.models import Membership
from residenthub.minutes import actions, drafting, scripted
from residenthub.minutes.agenda import ParsedItem
from tests.conftest import _staff


@pytest.fixture
def clerk(db):
    """Democratic services officer: works meetings, but may not read closed (Part II) items."""
    return _staff("clerk", "democratic-services", email="clerk@council.example")


@pytest.fixture
def clerk_lead(db):
    """Democratic services team leader: one of the named roles for closed items."""
    return _staff("clerk.lead", "democratic-services", Membership.Role.TEAM_LEADER)


@pytest.fixture
def script():
    return scripted.meeting(3, items=3)


def timed_segments(script) -> list[dict]:
    return script.segments()


@pytest.fixture
def meeting(db, script, clerk):
    committee = actions.create_committee(script.committee, by=clerk)
    return actions.create_meeting(
        committee,
        script.date,
        agenda=[ParsedItem(t) for t in script.agenda],
        attendees=drafting.parse_attendees(script.attendees_text()),
        by=clerk,
    )


@pytest.fixture
def drafted(meeting, script, clerk):
    actions.save_transcript(meeting, timed_segments(script), by=clerk)
    actions.build_draft(meeting, by=clerk)
    meeting.refresh_from_db()
    return meeting


@pytest.fixture
def today():
    return dt.date(2026, 3, 30)
