"""The sentence of each kind of news (models/news; the kinds are listed in docs/news.md), in
plain words, for the news page and "my data". A sentence shows only the line's own params:
a project's name, a date, an amount, an outcome; never a name."""

import datetime as dt

from webapp.i18n import gettext as _
from webapp.i18n import ngettext
from webapp.templating import show_date, show_moment, show_money

OUTCOMES = {
    "consent": lambda: _("agreed"),
    "blocked": lambda: _("blocked; it goes to the next meeting"),
    "more_time": lambda: _("someone needs more time; it goes to the next meeting"),
    "no_quorum": lambda: _("too few people gave their stance; it goes to the next meeting"),
    "no_consensus": lambda: _("a third or more stood aside; it goes to the next meeting"),
}


def when(value) -> str:
    """An ISO date ("2026-07-01") or moment in UTC ("2026-07-01T17:30:00") as words."""
    if not isinstance(value, str) or not value:
        return "–"
    try:
        if "T" in value or " " in value:
            moment = dt.datetime.fromisoformat(value)
            if moment.tzinfo is not None:
                moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
            return show_moment(moment)
        return show_date(dt.date.fromisoformat(value))
    except ValueError:
        return "–"


def _cents(value) -> str:
    return show_money(value) if isinstance(value, int) and not isinstance(value, bool) else "–"


def _text(value) -> str:
    return value if isinstance(value, str) and value else "–"


def sentence(kind: str, params: dict) -> str:
    """What happened, in one sentence in the viewer's language."""
    project = _text(params.get("project"))
    if kind == "swap_accepted":
        return _("Your request to swap your turn at %(project)s on %(date)s was accepted.") % {
            "project": project,
            "date": when(params.get("when")),
        }
    if kind == "swap_declined":
        return _("Your request to swap your turn at %(project)s on %(date)s was declined.") % {
            "project": project,
            "date": when(params.get("when")),
        }
    if kind == "claim_approved":
        return _("Your claim of %(amount)s was approved.") % {
            "amount": _cents(params.get("amount_cents"))
        }
    if kind == "claim_paid":
        return _("Your claim of %(amount)s was paid.") % {
            "amount": _cents(params.get("amount_cents"))
        }
    if kind == "claim_rejected":
        return _("Your claim of %(amount)s was not approved. The reason is on the claim.") % {
            "amount": _cents(params.get("amount_cents"))
        }
    if kind == "signal_answered":
        return _("Your idea or problem at %(project)s got an answer.") % {"project": project}
    if kind == "meeting_moved":
        return _("The meeting of %(project)s moved from %(from)s to %(to)s.") % {
            "project": project,
            "from": when(params.get("from")),
            "to": when(params.get("to")),
        }
    if kind == "meeting_cancelled":
        reason = params.get("reason")
        if isinstance(reason, str) and reason.strip():
            return _("The meeting of %(project)s on %(date)s will not take place: %(reason)s") % {
                "project": project,
                "date": when(params.get("when")),
                "reason": reason.strip(),
            }
        return _("The meeting of %(project)s on %(date)s will not take place.") % {
            "project": project,
            "date": when(params.get("when")),
        }
    if kind == "meeting_added":
        return _("%(project)s has an extra meeting on %(date)s.") % {
            "project": project,
            "date": when(params.get("when")),
        }
    if kind == "new_turn":
        values = {"project": project, "date": when(params.get("when"))}
        if params.get("role") == "minutes":
            return _("You take the minutes at the meeting of %(project)s on %(date)s.") % values
        return _("You chair the meeting of %(project)s on %(date)s.") % values
    if kind == "proposal_closed":
        outcome = OUTCOMES.get(params.get("outcome"))
        return _("A proposal at %(project)s has closed: %(outcome)s.") % {
            "project": project,
            "outcome": outcome() if outcome else "–",
        }
    if kind == "proposal_reminder":
        hours = params.get("hours")
        hours = hours if isinstance(hours, int) and not isinstance(hours, bool) else 0
        return ngettext(
            "A proposal at %(project)s closes in %(num)s hour, on %(moment)s. "
            "You have not given your stance yet.",
            "A proposal at %(project)s closes in %(num)s hours, on %(moment)s. "
            "You have not given your stance yet.",
            hours,
            project=project,
            moment=when(params.get("closes_at")),
        )
    return _("Something happened in Tafel that concerns you.")


KINDS = (
    "swap_accepted",
    "swap_declined",
    "claim_approved",
    "claim_paid",
    "claim_rejected",
    "signal_answered",
    "meeting_moved",
    "meeting_cancelled",
    "meeting_added",
    "new_turn",
    "proposal_closed",
    "proposal_reminder",
)
"""Every kind of news the areas tell (docs/news.md); each has its own sentence above."""
