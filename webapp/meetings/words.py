"""Words for meetings on the screen (WORDS.md), translated when shown, and the one way the
area's pages are rendered with them."""

from starlette.responses import RedirectResponse, Response

from models.meetings import vocabulary
from webapp.i18n import _, labelled, lazy_gettext, ngettext
from webapp.templating import render

# Stances and their plain labels. Each has an icon (templates/meetings/_icons.html: inline
# SVG, decorative, hidden from screen readers), shown beside the label.
STANCES = labelled(
    vocabulary.STANCE_CHOICES,
    {
        "agree": lazy_gettext("I agree"),
        "concern": lazy_gettext("I agree, with a concern"),
        "stand_aside": lazy_gettext("I stand aside"),
        "block": lazy_gettext("I block"),
        "more_time": lazy_gettext("I need more time"),
    },
)
STANCE_QUESTIONS = {
    "concern": lazy_gettext("What is your concern?"),
    "block": lazy_gettext("Why not?"),
}
OUTCOMES = labelled(
    vocabulary.DECISION_OUTCOMES,
    {
        "consensus": lazy_gettext("Decided"),
        "provisional": lazy_gettext("Provisionally decided"),
        "no_consensus": lazy_gettext("No agreement"),
        "blocked": lazy_gettext("Blocked"),
        "confirmed": lazy_gettext("Decided (confirmed)"),
        "more_time": lazy_gettext("More time asked"),
        "no_quorum": lazy_gettext("Too few answers"),
    },
)
OUTCOMES_EXPLAINED = labelled(
    vocabulary.DECISION_OUTCOMES,
    {
        "consensus": lazy_gettext("Everyone who took a stance can live with it."),
        "provisional": lazy_gettext(
            "Fewer people than needed took a stance. It comes back on the next agenda to confirm."
        ),
        "no_consensus": lazy_gettext("A third or more stood aside."),
        "blocked": lazy_gettext("Someone said it may not go ahead."),
        "confirmed": lazy_gettext(
            "Fewer people than needed took a stance; the next meeting confirmed the decision."
        ),
        "more_time": lazy_gettext(
            "Someone asked for more time. It goes on the next meeting's agenda."
        ),
        "no_quorum": lazy_gettext(
            "Fewer people than needed answered. It goes on the next meeting's agenda."
        ),
    },
)
MEETING_STATES = labelled(
    vocabulary.MEETING_STATES,
    {
        "planned": lazy_gettext("Planned"),
        "started": lazy_gettext("Started"),
        "closed": lazy_gettext("Closed"),
        "cancelled": lazy_gettext("Cancelled"),
    },
)
ATTENDANCE = labelled(
    vocabulary.ATTENDANCE,
    {
        "present": lazy_gettext("Present"),
        "apologies": lazy_gettext("Sent apologies"),
        "absent": lazy_gettext("Not there"),
    },
)
MINUTES_STATES = labelled(
    vocabulary.MINUTES_STATES,
    {
        "draft": lazy_gettext("Draft"),
        "shared": lazy_gettext("Shared"),
        "approved": lazy_gettext("Adopted"),
    },
)
ACTION_STATUSES = labelled(
    vocabulary.ACTION_STATUSES,
    {
        "open": lazy_gettext("Open"),
        "doing": lazy_gettext("Doing"),
        "done": lazy_gettext("Done"),
        "dropped": lazy_gettext("Dropped"),
    },
)
SIGNAL_KINDS = labelled(
    vocabulary.SIGNAL_KINDS, {"idea": lazy_gettext("Idea"), "problem": lazy_gettext("Problem")}
)
SIGNAL_STATUSES = labelled(
    vocabulary.SIGNAL_STATUSES,
    {
        "new": lazy_gettext("New"),
        "on_agenda": lazy_gettext("On the agenda"),
        "in_progress": lazy_gettext("In progress"),
        "done": lazy_gettext("Done"),
        "not_possible": lazy_gettext("Not possible"),
    },
)
ROLES = labelled(
    vocabulary.TURN_ROLES, {"chair": lazy_gettext("Chair"), "minutes": lazy_gettext("Minute-taker")}
)
AGENDA_SOURCES = labelled(
    vocabulary.AGENDA_SOURCES,
    {
        "member": "",
        "action": lazy_gettext("Open action"),
        "provisional": lazy_gettext("To confirm"),
        "signal": lazy_gettext("Idea or problem"),
        "between": lazy_gettext("Between meetings"),
        "trusted": lazy_gettext("Via a trusted person"),
    },
)
CONCERN_STATES = labelled(
    vocabulary.CONCERN_STATES,
    {
        "waiting": lazy_gettext("Waiting for a trusted person"),
        "on_agenda": lazy_gettext("On the agenda"),
        "answered": lazy_gettext("Answered"),
    },
)


def tally_sentence(counts) -> str:
    """A closed proposal's stances as one plain sentence: "5 people agree, 1 person agrees
    with a concern and nobody blocks." `counts` has agree, concern, stand_aside and block
    (a Proposal does). A concern or a stand-aside is named only when someone took it; agreeing
    and blocking always are, so "nobody blocks" is said out loud."""
    agree, block = counts.agree or 0, counts.block or 0
    parts = [
        ngettext("%(num)s person agrees", "%(num)s people agree", agree)
        if agree
        else _("nobody agrees")
    ]
    if counts.concern:
        parts.append(
            ngettext(
                "%(num)s person agrees with a concern",
                "%(num)s people agree with a concern",
                counts.concern,
            )
        )
    if counts.stand_aside:
        parts.append(
            ngettext(
                "%(num)s person stands aside", "%(num)s people stand aside", counts.stand_aside
            )
        )
    parts.append(
        ngettext("%(num)s person blocks", "%(num)s people block", block)
        if block
        else _("nobody blocks")
    )
    sentence = _("%(first)s and %(last)s", first=", ".join(parts[:-1]), last=parts[-1])
    return sentence[:1].upper() + sentence[1:] + "."


def decision_choices(decided: list) -> list[tuple[int, str]]:
    """The decisions an action may come from, as choices: the whole text, with its version when
    the agenda item had more than one (version 1 and 2 of a text often start the same)."""
    versions: dict[int, int] = {}
    for p in decided:
        versions[p.agenda_item_id] = versions.get(p.agenda_item_id, 0) + 1
    return [
        (
            p.id,
            _("%(text)s (version %(n)s)", text=p.text, n=p.version)
            if p.version > 1 or versions[p.agenda_item_id] > 1
            else p.text,
        )
        for p in decided
    ]


def more_time_question(people: list) -> str:
    """The chair's question before closing while someone asked to wait: "Anna asked for more
    time. Close anyway?" (the chair's tally names every stance, so the question may too)."""
    names = [str(name) for name in people]
    joined = (
        names[0]
        if len(names) == 1
        else _("%(first)s and %(last)s", first=", ".join(names[:-1]), last=names[-1])
    )
    return ngettext(
        "%(names)s asked for more time. Close anyway?",
        "%(names)s asked for more time. Close anyway?",
        len(names),
        names=joined,
    )


def words() -> dict:
    """Everything above, for templates."""
    return {
        "stance_words": STANCES,
        "stance_questions": STANCE_QUESTIONS,
        "outcome_words": OUTCOMES,
        "outcome_explained": OUTCOMES_EXPLAINED,
        "meeting_states": MEETING_STATES,
        "attendance_words": ATTENDANCE,
        "minutes_states": MINUTES_STATES,
        "action_words": ACTION_STATUSES,
        "signal_kinds": SIGNAL_KINDS,
        "signal_statuses": SIGNAL_STATUSES,
        "role_words": ROLES,
        "source_words": AGENDA_SOURCES,
        "concern_states": CONCERN_STATES,
        "tally_sentence": tally_sentence,
    }


def page(request, name: str, context: dict, **kwargs):
    """Render a meetings page (or, with `block=`, a fragment of it for htmx) with the words
    above available to its template."""
    return render(request, name, {**words(), **context}, **kwargs)


def see_other(url: str) -> Response:
    """After a change: go to the page that shows it."""
    return RedirectResponse(url, status_code=303)
