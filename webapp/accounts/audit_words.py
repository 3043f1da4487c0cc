"""The audit log in plain words: each line as a sentence ("Kim zette Hanna op pauze in
Woordwerk"), with the reason or the 51% confirmation the change was saved with.

SENTENCES maps each action models/ records (grep `audit.record(`) to a translatable sentence;
its placeholders are filled from the line: %(who)s made the change, %(person)s is whom it is
about, %(project)s where, and the values named below. An action not listed gets a neutral
sentence. A client-background answer shows only to the privacy right, and never in the
sentence itself.
"""

import datetime as dt
import re

from models.words import Text
from webapp.accounts.words import RIGHT_LABELS
from webapp.i18n import _, lazy_gettext
from webapp.people.words import BACKGROUND_LABELS, GROUP_LABELS
from webapp.templating import show_date, show_money

SENTENCES = {
    # accounts
    "account.create": lazy_gettext("An account was made for %(person)s"),
    "account.reset_password": lazy_gettext("%(person)s chose a new password with a link"),
    "account.change_password": lazy_gettext("%(person)s changed their password"),
    "link.invite": lazy_gettext("%(who)s made an invite link for %(person)s"),
    "link.reset": lazy_gettext("%(who)s made a new-password link for %(person)s"),
    "right.grant": lazy_gettext("%(who)s gave %(person)s the right “%(right)s”"),
    "right.withdraw": lazy_gettext("%(who)s withdrew the right “%(right)s” from %(person)s"),
    "person.create": lazy_gettext("%(who)s added %(person)s"),
    "person.ask_removal": lazy_gettext("%(person)s asked to be removed"),
    "person.erase": lazy_gettext("%(who)s removed the data of %(person)s"),
    "person.preview_removal": lazy_gettext(
        "%(who)s looked at what removing %(person)s does to the 51%% share"
    ),
    "person.removal_start": lazy_gettext("%(who)s started the removal of %(person)s"),
    "person.removal_withdraw": lazy_gettext("%(who)s withdrew the removal of %(person)s"),
    "person.removal_cancel": lazy_gettext("%(who)s cancelled the removal of %(person)s"),
    "person.removal_confirm": lazy_gettext(
        "%(who)s confirmed the removal of %(person)s: their data is removed"
    ),
    "account.take_back": lazy_gettext("%(who)s gave %(person)s their account back"),
    "link.approve": lazy_gettext("%(who)s approved a new-password link for %(person)s"),
    "link.mine": lazy_gettext("%(person)s said they used the link made for them themselves"),
    "link.not_me": lazy_gettext("%(person)s said someone else used the link made for them"),
    # core
    "project.create": lazy_gettext("%(who)s made the project %(project)s"),
    "project.update": lazy_gettext("%(who)s changed the project %(project)s"),
    "notice.create": lazy_gettext("%(who)s posted the notice “%(title)s” in %(project)s"),
    "organisation.update": lazy_gettext("%(who)s changed the name of the organisation"),
    # the federation page (issue 24.4): another organisation of the installation
    "organisation.add": lazy_gettext("%(who)s added the organisation %(name)s"),
    "organisation.suspend": lazy_gettext("%(who)s suspended the organisation %(name)s"),
    "organisation.resume": lazy_gettext("%(who)s let the organisation %(name)s answer again"),
    # people
    "person.background": lazy_gettext("%(who)s recorded the client background of %(person)s"),
    "person.background_recorded": lazy_gettext(
        "%(who)s recorded the client background of %(person)s"
    ),
    "person.background_share": lazy_gettext(
        "%(who)s changed whether %(person)s shares their client background"
    ),
    "person.goals": lazy_gettext("%(who)s changed the goals of %(person)s"),
    "conversation.create": lazy_gettext("%(who)s recorded a conversation with %(person)s"),
    "members.import": lazy_gettext("%(who)s imported members from a file"),
    "people.check_ask": lazy_gettext("%(who)s asked for a 51%% check of a change in %(project)s"),
    "people.check_answer": lazy_gettext("%(who)s answered a 51%% check in %(project)s"),
    "people.check_use": lazy_gettext("%(who)s went on with a change after a 51%% check"),
    "vacancy.interest": lazy_gettext("%(person)s showed interest in a vacancy in %(project)s"),
    "vacancy.interest_withdraw": lazy_gettext(
        "%(person)s took back their interest in a vacancy in %(project)s"
    ),
    "members.preview_import": lazy_gettext(
        "%(who)s looked at what importing members from a file does to the 51%% share"
    ),
    "ladder.add": lazy_gettext("%(who)s added the step “%(name)s” to the ladder"),
    "ladder.update": lazy_gettext("%(who)s changed the step “%(name)s” of the ladder"),
    "membership.create": lazy_gettext("%(who)s added %(person)s to %(project)s as %(step)s"),
    "membership.start": lazy_gettext("%(who)s let %(person)s start in %(project)s"),
    "membership.up": lazy_gettext("%(who)s moved %(person)s a step up in %(project)s, to %(step)s"),
    "membership.back": lazy_gettext(
        "%(who)s moved %(person)s a step back in %(project)s, to %(step)s"
    ),
    "membership.pause": lazy_gettext("%(who)s paused %(person)s in %(project)s"),
    "membership.return": lazy_gettext("%(who)s welcomed %(person)s back in %(project)s"),
    "membership.end": lazy_gettext("%(who)s ended the membership of %(person)s in %(project)s"),
    "membership.layer": lazy_gettext(
        "%(who)s moved %(person)s to the layer %(layer)s in %(project)s"
    ),
    "membership.duo": lazy_gettext(
        "%(who)s made %(duo_partner)s the duo partner of %(person)s in %(project)s"
    ),
    "membership.duo.alone": lazy_gettext("%(who)s ended the duo of %(person)s in %(project)s"),
    "membership.turns": lazy_gettext(
        "%(who)s changed whether %(person)s takes turns chairing and taking minutes in %(project)s"
    ),
    "membership.preview_change": lazy_gettext(
        "%(who)s looked at what a change for %(person)s does to the 51%% share"
    ),
    "membership.preview_new": lazy_gettext(
        "%(who)s looked at what a new member does to the 51%% share in %(project)s"
    ),
    "vacancy.preview_fill": lazy_gettext(
        "%(who)s looked at what filling a vacancy does to the 51%% share in %(project)s"
    ),
    "vacancy.create": lazy_gettext("%(who)s opened the vacancy “%(title)s” in %(project)s"),
    "vacancy.committee_add": lazy_gettext(
        "%(who)s added %(person)s to the hiring committee in %(project)s"
    ),
    "vacancy.committee_remove": lazy_gettext(
        "%(who)s took %(person)s off the hiring committee in %(project)s"
    ),
    "vacancy.fill": lazy_gettext("%(who)s gave the vacancy in %(project)s to %(person)s"),
    # meetings
    "meetings.plan": lazy_gettext("%(who)s planned meetings in %(project)s"),
    "meeting.start": lazy_gettext("%(who)s started a meeting in %(project)s"),
    "meeting.close": lazy_gettext("%(who)s closed a meeting in %(project)s"),
    "meeting.move": lazy_gettext("%(who)s moved a meeting in %(project)s"),
    "meeting.cancel": lazy_gettext("%(who)s cancelled a meeting in %(project)s"),
    "meeting.add": lazy_gettext("%(who)s added an extra meeting in %(project)s"),
    "rota.plan": lazy_gettext(
        "%(who)s planned %(chair)s as chair and %(minute_taker)s as minute-taker in %(project)s"
    ),
    "rota.override": lazy_gettext(
        "%(who)s chose %(chair)s as chair and %(minute_taker)s as minute-taker by hand"
        " in %(project)s"
    ),
    "rota.duo": lazy_gettext("%(who)s chose %(chair_duo)s to chair together in %(project)s"),
    "rota.duo.alone": lazy_gettext("%(who)s chose to chair alone in %(project)s"),
    "rota.swap": lazy_gettext(
        "%(who)s swapped a turn in %(project)s: %(new)s takes over from %(old)s"
    ),
    "minutes.approve": lazy_gettext("%(who)s approved the minutes in %(project)s"),
    "signal.answer": lazy_gettext("%(who)s answered a signal in %(project)s"),
    # A quiet concern: only what the trusted person did, never who raised it (no line is
    # written when a concern is sent).
    "concern.agenda": lazy_gettext(
        "%(who)s put a concern on the agenda in %(project)s, via a trusted person"
    ),
    "concern.answer": lazy_gettext(
        "%(who)s answered a concern as a signal in %(project)s, via a trusted person"
    ),
    "proposal.open": lazy_gettext("%(who)s made a proposal in %(project)s: “%(text)s”"),
    "proposal.amend": lazy_gettext("%(who)s changed a proposal in %(project)s: “%(text)s”"),
    "decision.close": lazy_gettext("%(who)s closed a proposal in %(project)s"),
    "decision.confirm": lazy_gettext("%(who)s confirmed a provisional decision in %(project)s"),
    "decision.reopen": lazy_gettext(
        "%(who)s put a provisional decision on the agenda again in %(project)s"
    ),
    # Only that a stance was given: never which one, its reason or for whom (models/meetings).
    "stance.take": lazy_gettext("%(who)s gave a stance on a proposal in %(project)s"),
    "action.create": lazy_gettext(
        "%(who)s made the action “%(description)s” for %(owner)s in %(project)s"
    ),
    "action.status": lazy_gettext("%(who)s changed the state of an action in %(project)s"),
    # budget
    # An amount is said without its sign: the sentence says which way the money went
    # (docs/words.md "Money"). The ".out" variants are for money going out.
    "budget.entry.book": lazy_gettext("%(who)s booked %(amount)s received in the ledger"),
    "budget.entry.book.out": lazy_gettext("%(who)s booked %(amount)s spent in the ledger"),
    "budget.entry.reverse": lazy_gettext(
        "%(who)s booked %(amount)s back in the ledger, as a correction"
    ),
    "budget.entry.import": lazy_gettext("%(who)s imported a booking of %(amount)s received"),
    "budget.entry.import.out": lazy_gettext("%(who)s imported a booking of %(amount)s spent"),
    "budget.claim.submit": lazy_gettext("%(who)s handed in a claim of %(amount)s"),
    "budget.claim.approve": lazy_gettext("%(who)s approved a claim"),
    "budget.claim.reject": lazy_gettext("%(who)s did not approve a claim"),
    "budget.claim.pay": lazy_gettext("%(who)s paid a claim of %(amount)s to %(person)s"),
    "budget.claim.withdraw": lazy_gettext("%(who)s withdrew a claim"),
    "budget.planned.change": lazy_gettext(
        "%(who)s changed a planned amount from %(old)s to %(new)s"
    ),
    "budget.planned.propose": lazy_gettext(
        "%(who)s proposed a planned amount of %(new)s instead of %(old)s"
    ),
    "budget.planned.approve": lazy_gettext(
        "%(who)s approved a planned amount of %(new)s instead of %(old)s"
    ),
    "budget.planned.reject": lazy_gettext(
        "%(who)s did not approve the proposed planned amount of %(new)s"
    ),
    "budget.post.create": lazy_gettext("%(who)s added the budget post “%(name)s”"),
    "budget.sub_budget.create": lazy_gettext("%(who)s made the sub-budget “%(name)s”"),
    "budget.sub_budget.update": lazy_gettext("%(who)s changed a sub-budget"),
    "budget.sub_budget.manager": lazy_gettext(
        "%(who)s made %(manager)s the manager of a sub-budget"
    ),
}
UNKNOWN = lazy_gettext("%(who)s made a change")
UNKNOWN_FOR_PERSON = lazy_gettext("%(who)s made a change for %(person)s")

# The stored 51% confirmations (models/people/whatif.py below_note), in plain words.
SURELY_BELOW = "confirmed below 51%: "
MAYBE_BELOW = "confirmed might fall below 51% (private answers): "
EVERY_ANSWER = "counted every answer"  # models.people.whatif.EVERY_ANSWER


class _Values(dict):
    """A sentence's values: a missing one shows as "someone" rather than failing."""

    def __missing__(self, key):
        return _("someone")


def _shown(value) -> str:
    return Text.translate(str(value)) if isinstance(value, Text) else str(value)


def _person(names: dict, person_id) -> str:
    if not person_id:
        return _("nobody")
    return _shown(names.get(("person", person_id), _("former member")))


def sentence(line: dict) -> str:
    """The line as one plain sentence in the viewer's language."""
    e, before, after, names = line["entry"], line["before"], line["after"], line["names"]
    values = _Values()
    if e.actor_account and e.actor_account.who:
        values["who"] = _shown(e.actor_account.who.shown_name)
    else:
        values["who"] = _("former member") if e.actor_id else _("Tafel")
    if e.person_id:
        values["person"] = _shown(e.subject.shown_name) if e.subject else _("former member")
    if e.project_id and e.about:
        values["project"] = e.about.name
    elif "project" in after:
        values["project"] = _shown(names.get(("project", after["project"]), _("someone")))
    else:
        values["project"] = _("the organisation")
    for key in ("title", "name", "text", "description", "step"):
        if isinstance(after.get(key), str):
            values[key] = after[key]
    for key in ("chair", "chair_duo", "minute_taker", "duo_partner", "owner", "manager"):
        if key in after:
            values[key] = _person(names, after[key])
    if "right" in after or "right" in before:
        right = after.get("right") or before.get("right")
        values["right"] = str(RIGHT_LABELS.get(right, right))
    if "layer" in after:
        values["layer"] = str(GROUP_LABELS.get(after["layer"], after["layer"])).lower()
    if isinstance(after.get("amount_cents"), int):
        values["amount"] = show_money(abs(after["amount_cents"]))
    if "planned_cents" in after:
        values["old"] = show_money(before.get("planned_cents"))
        values["new"] = show_money(after["planned_cents"])
    if "proposed_cents" in after:
        values["new"] = show_money(after["proposed_cents"])
    action = e.action
    if action in {"budget.entry.book", "budget.entry.import"}:
        if isinstance(after.get("amount_cents"), int) and after["amount_cents"] < 0:
            action += ".out"
    if action == "rota.swap":
        field = next(iter(after), None)
        values["old"] = _person(names, before.get(field))
        values["new"] = _person(names, after.get(field))
    if action in {"rota.duo", "membership.duo"}:
        key = "chair_duo" if action == "rota.duo" else "duo_partner"
        if not after.get(key):
            action += ".alone"
    template = SENTENCES.get(action, UNKNOWN_FOR_PERSON if e.person_id else UNKNOWN)
    return str(template) % values


def details(line: dict, privacy: bool) -> list[str]:
    """What the change was saved with, in plain words: the reason, the duo, the decision,
    the 51% confirmation. The groups of a 51% confirmation show only with the privacy right
    (they may rest on private answers); others read that it was confirmed."""
    e, after, names = line["entry"], line["after"], line["names"]
    shown = []
    if e.action == "rota.override" and after.get("chair_duo"):
        shown.append(
            _("Chairs together with: %(name)s") % {"name": _person(names, after["chair_duo"])}
        )
    if isinstance(after.get("reason"), str) and after["reason"]:
        shown.append(_("Reason: %(reason)s") % {"reason": after["reason"]})
    if isinstance(after.get("statement"), str) and after["statement"]:
        shown.append(_("Decision: %(text)s") % {"text": after["statement"]})
    if isinstance(after.get("decision"), str) and after["decision"]:
        text = _dates_shown(after["decision"])
        shown.append(_("Decision of the meeting: %(text)s") % {"text": text})
    if isinstance(after.get("answer"), str) and after["answer"] and e.action == "signal.answer":
        shown.append(_("Answer: %(text)s") % {"text": after["answer"]})
    if privacy and after.get("client_background") in BACKGROUND_LABELS:
        answer = str(BACKGROUND_LABELS[after["client_background"]])
        shown.append(_("Client background now: %(answer)s") % {"answer": answer})
    note = e.note or ""
    if SURELY_BELOW in note or MAYBE_BELOW in note:
        shown.extend(_confirmations(note, privacy))
    elif note and note not in {"import", "budget.csv"}:
        shown.append(_("Reason: %(reason)s") % {"reason": note})
    return shown


ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def _dates_shown(text: str) -> str:
    """Tafel's own dates inside a stored text ("Title (Project, 2026-06-17)", the decision
    as the audit line keeps it) in the reader's language: never an ISO date in a sentence."""

    def shown(match) -> str:
        try:
            return show_date(dt.date(*(int(part) for part in match.groups())))
        except ValueError:
            return match.group(0)

    return ISO_DATE.sub(shown, text)


def _confirmations(note: str, privacy: bool) -> list[str]:
    """The 51% confirmation of a line. Without the privacy right: that a confirmation was
    recorded, and only when the one who confirmed did not count every answer either (issue
    19, finding M5): a confirmation made with every answer counted exists or not depending
    on the answers (whether the group fell), so it is the privacy right's alone."""
    if not privacy:
        if EVERY_ANSWER in note.split("; "):
            return []
        return [_("Confirmed that a group falls, or might fall, below 51%.")]
    shown = []
    for part in note.split("; "):
        for prefix, words in (
            (SURELY_BELOW, _("Confirmed that this group falls below 51%%: %(groups)s")),
            (MAYBE_BELOW, _("Confirmed that this group might fall below 51%%: %(groups)s")),
        ):
            if part.startswith(prefix):
                groups = ", ".join(_group(g) for g in part[len(prefix) :].split(", "))
                shown.append(words % {"groups": groups})
    return shown


def _group(key: str) -> str:
    """ "Scope/layer/execution" as "Execution in Scope"."""
    rest, _slash, group = key.rpartition("/")
    scope, _slash, _dimension = rest.rpartition("/")
    label = GROUP_LABELS.get(group)
    if label is None:
        return key
    return _("%(group)s in %(scope)s") % {"group": str(label), "scope": _shown(scope)}
