"""Signals: an idea or a problem from a member, optionally without their name shown to other
members; every signal gets a visible answer, and "on the agenda" puts it on the next meeting
(PRODUCT.md "Ideas and problems")."""

import contextlib

from peewee import JOIN, fn

from models.accounts import audit
from models.accounts.trust import is_held
from models.actor import Actor
from models.clock import now
from models.db import database
from models.meetings.agenda import add_agenda_item
from models.meetings.errors import Locked, account_of
from models.meetings.news_told import tell_signal_answered
from models.meetings.project_tables import Signal
from models.meetings.tables import Meeting
from models.organisation import Project
from models.paging import Page, keyset_page
from models.person import Person


def signals_of(project_id: int, **where_on) -> Page:
    """A page of a project's signals with their authors, unanswered first, newest first
    (`where_on`: after, before; models/paging.py)."""
    author = Person.alias()
    query = (
        Signal.select(Signal, author)
        .join_from(Signal, author, JOIN.LEFT_OUTER, on=(Signal.author == author.id), attr="author")
        .where(Signal.project == project_id)
    )
    # All keys descending: "not answered" (true) before "answered", then newest first.
    keys = lambda s: [s.answered_at.is_null(), s.created_at, s.id]  # noqa: E731
    return keyset_page(query, keys, Signal, **where_on)


def shows_author(actor: Actor, signal: Signal, coordinator: bool) -> bool:
    """Whether the actor sees who sent the signal: always when it was sent with a name; one
    sent without a name, to its author and the project's coordinators. Not while someone
    else's link holds the actor's account (models/accounts/trust.py `is_held`): then a signal
    sent without a name shows no name, the author's own and to a coordinator too, so its
    maker cannot tell which ones the person sent (issue 19)."""
    if not signal.anonymous:
        return True
    if is_held(actor):
        return False
    return coordinator or (actor.person_id is not None and signal.author_id == actor.person_id)


def add_signal(
    project_id: int, kind: str, text: str, actor: Actor | None = None, anonymous=False
) -> Signal:
    """The actor shares an idea or a problem (one transaction). No audit line: a signal sent
    without a name must not be traceable to its author through the audit log."""
    with database.atomic():
        return Signal.create(
            project=project_id,
            kind=kind,
            text=text,
            author=actor.person_id if actor else None,
            anonymous=anonymous,
        )


def answer_signal(signal: Signal, status: str, answer: str, actor: Actor | None = None) -> None:
    """The actor answers a signal and sets its status, with the audit line, in one
    transaction; "on_agenda" adds it to the next planned meeting's agenda (unless that
    meeting started this very moment)."""
    person_id = actor.person_id if actor else None
    with database.atomic():
        before = {"status": signal.status, "answer": signal.answer}
        if status == "on_agenda" and signal.status != "on_agenda":
            upcoming = (
                Meeting.select()
                .where((Meeting.project == signal.project_id) & (Meeting.state == "planned"))
                .order_by(Meeting.date, Meeting.id)
                .first()
            )
            if upcoming is not None:
                with contextlib.suppress(Locked):  # it started this very moment: no item
                    add_agenda_item(
                        upcoming.id,
                        signal.text[:200],
                        explanation=answer,
                        added_by=person_id,
                        source="signal",
                    )
        signal.status = status
        signal.answer = answer
        signal.answered_at = now()
        signal.answered_by = person_id
        signal.save()
        tell_signal_answered(signal)
        audit.record(
            account_of(actor),
            "signal.answer",
            signal,
            project=signal.project_id,
            after={"status": signal.status, "answer": signal.answer},
            before=before,
        )


def unanswered_by_project(project_ids) -> list[tuple[int, str, int]]:
    """(project id, name, how many) of the signals waiting for an answer, per project, in
    these projects (None: every project); one query."""
    if project_ids is not None and not project_ids:
        return []
    query = (
        Signal.select(Project.id, Project.name, fn.COUNT(Signal.id))
        .join(Project, on=(Signal.project == Project.id))
        .where(Signal.answered_at.is_null())
        .group_by(Project.id, Project.name)
        .order_by(Project.name)
    )
    if project_ids is not None:
        query = query.where(Signal.project.in_(list(project_ids)))
    return list(query.tuples())
