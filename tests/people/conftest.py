"""Helpers and fixtures for the people tests."""

import re

from models.accounts import Account, Grant
from models.db import database
from models.organisation import Project
from models.people import Membership, Person

ANSWER_WORDS = ("Ja", "Nee", "Zeg ik liever niet")


def grant(username: str, right: str) -> None:
    """Give a demo account a right (e.g. the privacy right)."""
    with database.connection_context():
        Grant.create(account=Account.get(Account.username == username), right=right)


def person_id(name: str) -> int:
    with database.connection_context():
        return Person.get(Person.display_name == name).id


def membership_id(name: str, project_name: str) -> int:
    with database.connection_context():
        return (
            Membership.select(Membership.id)
            .join(Project)
            .switch(Membership)
            .join(Person)
            .where((Person.display_name == name) & (Project.name == project_name))
            .scalar()
        )


def without_forms(html: str) -> str:
    """The page without its forms (where answer words are choices, not answers)."""
    return re.sub(r"<form.*?</form>", "", html, flags=re.S)


def background_section(html: str) -> str:
    match = re.search(r'<section aria-labelledby="background">(.*?)</section>', html, re.S)
    return match.group(1) if match else ""
