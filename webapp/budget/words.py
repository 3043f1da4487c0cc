"""The budget's screen texts used by several routes: labels of kinds and states, the plain
sentence about a budget line, lengths of time, and problems in files and amounts."""

import datetime as dt

from models.budget.tables import CLAIM_KINDS, CLAIM_STATUSES, ENTRY_KINDS, PLAN_STATUSES
from models.rules.csvfile import Problem
from models.rules.errors import RuleError
from webapp.i18n import _, labelled, lazy_gettext, ngettext
from webapp.templating import show_money

KIND_LABELS = labelled(
    ENTRY_KINDS,
    {
        "income": lazy_gettext("Money in"),
        "spending": lazy_gettext("Money out"),
        "reimbursement": lazy_gettext("reimbursement"),
        "reversal": lazy_gettext("Correction"),
    },
)
CLAIM_KIND_LABELS = labelled(
    CLAIM_KINDS,
    {
        "travel_public": lazy_gettext("Travel by public transport"),
        "travel_km": lazy_gettext("Travel by car or bike (per km)"),
        "printing": lazy_gettext("Printing"),
        "phone": lazy_gettext("Phone"),
        "childcare": lazy_gettext("Childcare"),
        "other": lazy_gettext("Other costs"),
    },
)
CLAIM_STATUS_LABELS = labelled(
    CLAIM_STATUSES,
    {
        "submitted": lazy_gettext("Submitted"),
        "approved": lazy_gettext("Approved"),
        "paid": lazy_gettext("Paid"),
        "rejected": lazy_gettext("Not approved"),
        "withdrawn": lazy_gettext("Withdrawn"),
    },
)
# When two people act on one claim at once, the one who came second is told in plain words.
TOO_LATE = {
    "decide": lazy_gettext(
        "Someone else already decided this claim, or it was withdrawn. Nothing was changed."
    ),
    "pay": lazy_gettext("This claim is not waiting to be paid. Nothing was changed."),
    "withdraw": lazy_gettext(
        "This claim was already decided, so it can no longer be withdrawn. Nothing was changed."
    ),
}


PLAN_STATUS_LABELS = labelled(
    PLAN_STATUSES,
    {
        "proposed": lazy_gettext("Waiting for a coordinator"),
        "applied": lazy_gettext("Applied"),
        "rejected": lazy_gettext("Not approved"),
        "withdrawn": lazy_gettext("Withdrawn"),
    },
)
# Why a picked decision cannot back a change of a planned amount (models/meetings/register.py).
NOT_BACKING = {
    "unknown": lazy_gettext("Choose a decision from the list. Nothing was changed."),
    "not_decided": lazy_gettext(
        "This decision was not decided with consensus or confirmed, so it cannot change a "
        "planned amount. Choose another decision. Nothing was changed."
    ),
    "other_project": lazy_gettext(
        "This decision belongs to another project. Choose a decision of the project of this "
        "sub-budget. Nothing was changed."
    ),
}
SAME_AMOUNT = lazy_gettext("This is already the planned amount. Nothing was changed.")
ALREADY_PROPOSED = lazy_gettext(
    "You already proposed this amount; it waits for a coordinator. Nothing was changed."
)
PLAN_TOO_LATE = lazy_gettext("Someone else already decided this proposal. Nothing was changed.")


LINE_NUMBER = lazy_gettext("line %(id)s")


def ledger_words() -> dict:
    """What every ledger line says the same way, translated once per page (the ledger
    macro): the kinds' labels and "line %(id)s" (filled in with Jinja's `format`)."""
    return {"kinds": {kind: str(label) for kind, label in KIND_LABELS.items()},
            "line": str(LINE_NUMBER)}  # fmt: skip


def money_words() -> dict[str, str]:
    """The four words beside a budget line's numbers (templates/budget/_macros.html
    numbers), translated once per page: four translations for every line shown were an
    eighth of /budget's CPU."""
    return {
        "planned": _("Planned"),
        "spent": _("Spent"),
        "received": _("Received"),
        "left": _("Left"),
    }


def line_sentence(name: str, totals) -> str:
    """One plain sentence about a budget line."""
    if totals.planned == 0 and totals.spent == 0 and totals.received == 0:
        return _("Nothing is planned or booked for %(name)s yet.", name=name)
    if totals.remaining > totals.planned:  # more came in than went out (issue 22)
        return _(
            "More came in than was spent for %(name)s: %(left)s is left, %(more)s more than "
            "the %(planned)s planned.",
            left=show_money(totals.remaining),
            more=show_money(totals.remaining - totals.planned),
            planned=show_money(totals.planned),
            name=name,
        )
    if totals.remaining >= 0 and totals.received:
        return _(
            "There is %(left)s left of %(planned)s planned and %(received)s received for %(name)s.",
            left=show_money(totals.remaining),
            planned=show_money(totals.planned),
            received=show_money(totals.received),
            name=name,
        )
    if totals.remaining >= 0:
        return _(
            "There is %(left)s left of %(planned)s for %(name)s.",
            left=show_money(totals.remaining),
            planned=show_money(totals.planned),
            name=name,
        )
    return _(
        "%(over)s more has been spent than the %(planned)s planned for %(name)s.",
        over=show_money(-totals.remaining),
        planned=show_money(totals.planned),
        name=name,
    )


def duration(delta: dt.timedelta) -> str:
    """A plain length of time: "less than a minute", "3 hours", "2 days"."""
    minutes = max(0, int(delta.total_seconds() // 60))
    if minutes < 1:
        return _("less than a minute")
    if minutes < 60:
        return ngettext("%(num)s minute", "%(num)s minutes", minutes)
    hours = minutes // 60
    if hours < 48:
        return ngettext("%(num)s hour", "%(num)s hours", hours)
    return ngettext("%(num)s day", "%(num)s days", hours // 24)


def rule_error(error: RuleError) -> str:
    """A refused amount or booking in the viewer's language."""
    return _(error.template).format(**error.params)


def problem_text(problem: Problem) -> str:
    """A problem in a budget file in the viewer's language: "Regel 3, kolom amount: …"."""
    message = _(problem.template).format(**problem.params) if problem.template else problem.message
    if problem.line is None:
        return message
    if problem.column:
        return _("Line %(line)s, column %(column)s: ", line=problem.line, column=problem.column) + (
            message
        )
    return _("Line %(line)s: ", line=problem.line) + message
