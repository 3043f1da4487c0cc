"""Fixtures and helpers for the meetings tests: ids of demo objects by name."""

from models.meetings import Meeting, Minutes
from models.organisation import Project
from models.person import Person
from tests.conftest import MEMBER_PROJECT


def project_id(name: str = MEMBER_PROJECT) -> int:
    return Project.get(Project.name == name).id


def person_id(name: str) -> int:
    return Person.get(Person.display_name == name).id


def next_planned(name: str = MEMBER_PROJECT) -> Meeting:
    return (
        Meeting.select()
        .where((Meeting.project == project_id(name)) & (Meeting.state == "planned"))
        .order_by(Meeting.date, Meeting.id)
        .first()
    )


def meeting_with_minutes(state: str, name: str = MEMBER_PROJECT) -> Meeting:
    """The project's latest closed meeting whose minutes are in this state."""
    return (
        Meeting.select()
        .join(Minutes, on=(Minutes.meeting == Meeting.id))
        .where((Meeting.project == project_id(name)) & (Minutes.state == state))
        .order_by(Meeting.date.desc())
        .first()
    )


def approved_meeting_id() -> int:
    return meeting_with_minutes("approved").id
