"""A person's client background (PRODUCT.md "Client background"): declared by the person,
or recorded by a coordinator with the person's consent and its date. Health data: who may
see an answer is in models.people.visibility."""

import datetime as dt

from models.accounts import audit
from models.clock import now, today
from models.db import database
from models.people.edge_watch import watching
from models.people.tables import SETTLE_DAYS
from models.person import Person


def unsettle_background(person: Person) -> None:
    """Before someone else records the person's answer: the published 51% figures keep
    counting the answer they counted (the one before the first change not settled yet) until
    SETTLE_DAYS from today, as for a membership change (docs/rules.md "Published figures
    that cannot be steered"). Sets the fields; the caller saves."""
    if person.background_settles_on is None or person.background_settles_on <= today():
        person.prior_background = person.client_background
    person.background_settles_on = today() + dt.timedelta(days=SETTLE_DAYS)


def set_background(person: Person, answer: str, consent_on, *, recorded_by, actor, action: str):
    """Save an answer with its date of consent, and the audit line, in one transaction.

    Withdrawing ("not said") forgets the consent; any answer keeps its date of consent.
    An answer recorded by someone else settles before the published figures count it, and
    the edge watch sees it like a membership change (issue 19, H2 by answers).
    """
    by_someone_else = recorded_by != person.id
    with database.atomic(), watching(actor if by_someone_else else None, recorded_by):
        before = {"client_background": person.client_background}
        if by_someone_else and answer != person.client_background:
            unsettle_background(person)
        person.client_background = answer
        person.background_consent_on = None if answer == "not_said" else consent_on
        person.background_recorded_by = recorded_by
        person.save()
        audit.record(
            actor,
            action,
            person,
            person=person,
            before=before,
            after={"client_background": answer, "consent_on": person.background_consent_on},
        )


def set_sharing(person: Person, share: bool, *, actor):
    """Whom the person lets know their answer: only the privacy right (False) or also the
    coordinators of their projects (True); with the audit line (the choice, not the answer),
    in one transaction."""
    with database.atomic():
        before = {"share_background": person.share_background}
        person.share_background = share
        # Saying yes (again) chooses the coordinators of the person's projects now; a
        # coordinator who comes later sees the answer only after the next yes (issue 19, M1).
        person.background_shared_at = now() if share else None
        person.share_chosen_on = today()
        person.save()
        audit.record(
            actor,
            "person.background_share",
            person,
            person=person,
            before=before,
            after={"share_background": share},
        )


def asks_share(person: Person | None, *, held: bool) -> bool:
    """Whether to ask the person, once, whether the coordinators of their projects may know
    their answer (issue 22; docs/rules.md "Consent, asked once"): they gave an answer (yes or
    no), never chose, and their account is not held (while held, sharing would show an
    earlier answer to whoever made the link)."""
    return (
        person is not None
        and not held
        and person.client_background in ("yes", "no")
        and person.share_chosen_on is None
        and not person.share_background
    )
