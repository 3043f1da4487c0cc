"""Meetings and consensus: the project's meetings and rota, a meeting's agenda, proposals and
stances, live minutes, actions, signals, successes, the decision register and calendars."""

import contextlib

from peewee import JOIN, fn
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from wtforms import (
    BooleanField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
    validators,
)

from models import audit
from models import meeting_ops as ops
from models.clock import now, today
from models.db import database
from models.meetings import (
    Action,
    AgendaItem,
    Attendance,
    Meeting,
    Minutes,
    MinutesNote,
    Proposal,
    Signal,
    Stance,
    Success,
    TurnSwap,
)
from models.organisation import Project
from models.people import Membership
from models.person import Person
from webapp.access import SIGNED_IN, Routes, project_coordinator, project_member
from webapp.forms import BoundedDateField, BoundedIntegerField, TafelForm, bind, posted_id
from webapp.i18n import _, lazy_gettext
from webapp.meeting_rules import (
    ACTION_OWNER,
    AGENDA_CHAIR,
    MEETING_CHAIR,
    MEETING_COORDINATOR,
    MEETING_MEMBER,
    MEETING_RUNNER,
    MINUTES_APPROVER,
    MINUTES_MEMBER,
    MINUTES_WRITER,
    PROPOSAL_CHAIR,
    PROPOSAL_MEMBER,
    SIGNAL_COORDINATOR,
    SWAP_ASKED,
    viewer_parts,
)
from webapp.meeting_text import STANCES, words
from webapp.templating import render, show_number

routes = Routes()


def _see_other(url: str) -> Response:
    return RedirectResponse(url, status_code=303)


def page(request, name, ctx, **kwargs):
    """Render with the meeting words available."""
    return render(request, name, {**words(), **ctx}, **kwargs)


def person_name(person) -> str:
    """A person's display name, or "former member" once erased."""
    if person is None:
        return ""
    return person.display_name or _("former member")


def members_of(project_id: int, statuses=("active",)) -> list[Person]:
    """The project's members (people), by name, in one query."""
    return list(
        Person.select(Person)
        .join(Membership, on=(Membership.person == Person.id))
        .where((Membership.project == project_id) & Membership.status.in_(statuses))
        .order_by(Person.display_name)
    )


def meeting_or_404(meeting_id: int) -> Meeting:
    """A meeting with its project and people (one query)."""
    chair, taker, duo = Person.alias(), Person.alias(), Person.alias()
    meeting = (
        Meeting.select(Meeting, Project, chair, taker, duo)
        .join(Project, on=(Meeting.project == Project.id))
        .join_from(Meeting, chair, JOIN.LEFT_OUTER, on=(Meeting.chair == chair.id), attr="chair")
        .join_from(
            Meeting,
            taker,
            JOIN.LEFT_OUTER,
            on=(Meeting.minute_taker == taker.id),
            attr="minute_taker",
        )
        .join_from(
            Meeting, duo, JOIN.LEFT_OUTER, on=(Meeting.chair_duo == duo.id), attr="chair_duo"
        )
        .where(Meeting.id == meeting_id)
        .first()
    )
    if meeting is None:
        raise HTTPException(404)
    return meeting


def meetings_with_people(query):
    """Meetings with chair, minute-taker and duo joined (one query)."""
    chair, taker, duo = Person.alias(), Person.alias(), Person.alias()
    return (
        query.select_extend(chair, taker, duo)
        .join_from(Meeting, chair, JOIN.LEFT_OUTER, on=(Meeting.chair == chair.id), attr="chair")
        .join_from(
            Meeting,
            taker,
            JOIN.LEFT_OUTER,
            on=(Meeting.minute_taker == taker.id),
            attr="minute_taker",
        )
        .join_from(
            Meeting, duo, JOIN.LEFT_OUTER, on=(Meeting.chair_duo == duo.id), attr="chair_duo"
        )
    )


def project_or_404(project_id: int) -> Project:
    project = Project.get_or_none(Project.id == project_id)
    if project is None:
        raise HTTPException(404)
    return project


def coming_rota(project_id: int, limit: int = 6) -> list[Meeting]:
    """The next planned meetings with their chair and minute-taker."""
    query = (
        Meeting.select(Meeting)
        .where((Meeting.project == project_id) & (Meeting.state == "planned"))
        .order_by(Meeting.date, Meeting.id)
        .limit(limit)
    )
    return list(meetings_with_people(query))


def project_panel(project_id: int) -> dict:
    """The coming rota and the successes, for the project page (three queries)."""
    return {
        "rota": coming_rota(project_id, limit=3),
        "successes": list(
            Success.select()
            .where(Success.project == project_id)
            .order_by(Success.date.desc(), Success.id.desc())
            .limit(5)
        ),
        "open_signals": Signal.select()
        .where((Signal.project == project_id) & Signal.answered_at.is_null())
        .count(),
    }


# --- forms ----------------------------------------------------------------------------


class PlanForm(TafelForm):
    start = BoundedDateField(
        lazy_gettext("First meeting"),
        [validators.InputRequired(message=lazy_gettext("Choose a date."))],
    )
    count = BoundedIntegerField(
        lazy_gettext("How many meetings"),
        [
            validators.InputRequired(message=lazy_gettext("Give a number.")),
            validators.NumberRange(1, 24, message=lazy_gettext("Choose between 1 and 24.")),
        ],
        default=6,
    )
    time = TimeField(lazy_gettext("Time"), [validators.Optional()])
    place = StringField(lazy_gettext("Place"), [validators.Length(max=200)])


class AgendaForm(TafelForm):
    title = StringField(
        lazy_gettext("Title"),
        [
            validators.InputRequired(message=lazy_gettext("Write a short title.")),
            validators.Length(max=200, message=lazy_gettext("Use at most 200 characters.")),
        ],
    )
    explanation = TextAreaField(
        lazy_gettext("Short explanation"),
        [validators.Length(max=2000, message=lazy_gettext("Use at most 2000 characters."))],
    )
    time_box = BoundedIntegerField(
        lazy_gettext("Time needed in minutes (optional)"),
        [
            validators.Optional(),
            validators.NumberRange(1, 240, message=lazy_gettext("Choose between 1 and 240.")),
        ],
    )


class ProposalForm(TafelForm):
    text = TextAreaField(
        lazy_gettext("Proposal"),
        [
            validators.InputRequired(message=lazy_gettext("Write the proposal.")),
            validators.Length(max=4000, message=lazy_gettext("Use at most 4000 characters.")),
        ],
    )


class StanceForm(TafelForm):
    kind = RadioField(
        lazy_gettext("What do you think?"),
        choices=[(k, "") for k in STANCES],
        validators=[validators.InputRequired(message=lazy_gettext("Choose an answer."))],
    )
    reason = TextAreaField(
        lazy_gettext("Your reason"),
        [validators.Length(max=2000, message=lazy_gettext("Use at most 2000 characters."))],
    )
    person = SelectField(lazy_gettext("For whom"), coerce=int, validate_choice=False, default=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [(k, f"{icon} {label}") for k, (icon, label) in STANCES.items()]

    def validate_reason(self, field):
        field.data = (field.data or "").strip()
        if self.kind.data == "concern" and not field.data:
            raise validators.ValidationError(_("Write what your concern is."))
        if self.kind.data == "block" and not field.data:
            raise validators.ValidationError(_("Write why it may not go ahead."))


class CloseForm(TafelForm):
    statement = TextAreaField(
        lazy_gettext("Outcome in a few words"),
        [
            validators.InputRequired(message=lazy_gettext("Write a short outcome statement.")),
            validators.Length(max=2000, message=lazy_gettext("Use at most 2000 characters.")),
        ],
    )


class ActionForm(TafelForm):
    description = TextAreaField(
        lazy_gettext("What will be done"),
        [
            validators.InputRequired(message=lazy_gettext("Write what will be done.")),
            validators.Length(max=1000, message=lazy_gettext("Use at most 1000 characters.")),
        ],
    )
    owner = SelectField(lazy_gettext("Who does it"), coerce=int, validate_choice=False)
    duo_owner = SelectField(
        lazy_gettext("Together with (optional)"), coerce=int, validate_choice=False, default=0
    )
    due = BoundedDateField(lazy_gettext("Ready by (optional)"), [validators.Optional()])
    proposal = SelectField(
        lazy_gettext("Comes from decision (optional)"), coerce=int, validate_choice=False, default=0
    )


class ActionStatusForm(TafelForm):
    status = SelectField(
        lazy_gettext("Status"),
        choices=[("open", ""), ("doing", ""), ("done", ""), ("dropped", "")],
    )
    reason = TextAreaField(
        lazy_gettext("Why is it dropped?"),
        [validators.Length(max=1000, message=lazy_gettext("Use at most 1000 characters."))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = [(k, str(v)) for k, v in words()["action_words"].items()]

    def validate_reason(self, field):
        field.data = (field.data or "").strip()
        if self.status.data == "dropped" and not field.data:
            raise validators.ValidationError(_("Write why the action is dropped."))


class OverrideForm(TafelForm):
    chair = SelectField(lazy_gettext("Chair"), coerce=int, validate_choice=False)
    chair_duo = SelectField(
        lazy_gettext("Chairs together with (duo, optional)"),
        coerce=int,
        validate_choice=False,
        default=0,
    )
    minute_taker = SelectField(lazy_gettext("Minute-taker"), coerce=int, validate_choice=False)
    reason = TextAreaField(
        lazy_gettext("Why do you change the rota?"),
        [
            validators.InputRequired(message=lazy_gettext("Write the reason.")),
            validators.Length(max=1000, message=lazy_gettext("Use at most 1000 characters.")),
        ],
    )


class DuoForm(TafelForm):
    chair_duo = SelectField(
        lazy_gettext("Chair together with"), coerce=int, validate_choice=False, default=0
    )


class SwapForm(TafelForm):
    role = SelectField(lazy_gettext("Which turn"), choices=[("chair", ""), ("minutes", "")])
    asked_to = SelectField(lazy_gettext("Ask"), coerce=int, validate_choice=False)


# The longest minutes Tafel keeps: a longer text is refused whole, never cut.
MINUTES_LENGTH = 100_000
OUT_OF_DATE = "Nothing was saved: copy your text, reload the page and put it back."


class MinutesForm(TafelForm):
    text = TextAreaField(lazy_gettext("Minutes text"))
    # The version the writer started from (a hidden field): a stale one is a conflict.
    version = BoundedIntegerField(
        lazy_gettext("Version"),
        [validators.InputRequired(message=lazy_gettext("This page is out of date."))],
        message=lazy_gettext("This page is out of date."),
    )

    def validate_text(self, field):
        field.data = field.data or ""
        if len(field.data) > MINUTES_LENGTH:
            raise validators.ValidationError(
                _(
                    "Use at most %(maximum)s characters; this text has %(length)s. "
                    "Nothing was saved.",
                    maximum=show_number(MINUTES_LENGTH),
                    length=show_number(len(field.data)),
                )
            )


class NoteForm(TafelForm):
    text = TextAreaField(
        lazy_gettext("Your note"),
        [
            validators.InputRequired(message=lazy_gettext("Write your note.")),
            validators.Length(max=4000, message=lazy_gettext("Use at most 4000 characters.")),
        ],
    )


class SignalForm(TafelForm):
    kind = RadioField(
        lazy_gettext("Is it an idea or a problem?"),
        choices=[("idea", ""), ("problem", "")],
        default="idea",
    )
    text = TextAreaField(
        lazy_gettext("Tell us"),
        [
            validators.InputRequired(message=lazy_gettext("Write your idea or problem.")),
            validators.Length(max=4000, message=lazy_gettext("Use at most 4000 characters.")),
        ],
    )
    anonymous = BooleanField(lazy_gettext("Do not show my name to other members"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [(k, str(v)) for k, v in words()["signal_kinds"].items()]


class AnswerForm(TafelForm):
    status = SelectField(lazy_gettext("Status"), choices=[])
    answer = TextAreaField(
        lazy_gettext("Answer"),
        [
            validators.InputRequired(message=lazy_gettext("Write an answer.")),
            validators.Length(max=4000, message=lazy_gettext("Use at most 4000 characters.")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = [(k, str(v)) for k, v in words()["signal_statuses"].items()]

    def validate_answer(self, field):
        field.data = (field.data or "").strip()
        if self.status.data == "not_possible" and len(field.data) < 10:
            raise validators.ValidationError(_("Explain in a sentence why it is not possible."))


class SuccessForm(TafelForm):
    text = StringField(
        lazy_gettext("What went well?"),
        [
            validators.InputRequired(message=lazy_gettext("Write what went well.")),
            validators.Length(max=300, message=lazy_gettext("Use at most 300 characters.")),
        ],
    )


# --- the project's meetings -----------------------------------------------------------


def _meetings_page(request, viewer, project, plan_form=None, success_form=None, status_code=200):
    meetings = list(
        meetings_with_people(Meeting.select(Meeting).where(Meeting.project == project.id)).order_by(
            Meeting.date.desc(), Meeting.id.desc()
        )
    )
    coming = sorted((m for m in meetings if m.state != "closed"), key=lambda m: (m.date, m.id))
    past = [m for m in meetings if m.state == "closed"]
    swaps = _open_swaps_for(viewer, [m.id for m in coming])
    return page(
        request,
        "meetings/list.html",
        {
            "project": project,
            "coming": coming,
            "past": past,
            "swaps": swaps,
            "can_plan": viewer.is_coordinator(project.id),
            "plan_form": plan_form or PlanForm(data={"start": ops.default_start(project.id)}),
            "success_form": success_form or SuccessForm(),
            "successes": project_panel(project.id)["successes"],
            "person_name": person_name,
        },
        status_code=status_code,
    )


def _open_swaps_for(viewer, meeting_ids) -> list[TurnSwap]:
    if not viewer.person_id or not meeting_ids:
        return []
    asker = Person.alias()
    return list(
        TurnSwap.select(TurnSwap, Meeting, asker)
        .join(Meeting, on=(TurnSwap.meeting == Meeting.id))
        .join_from(TurnSwap, asker, on=(TurnSwap.asked_by == asker.id), attr="asked_by")
        .where(
            TurnSwap.meeting.in_(meeting_ids)
            & (TurnSwap.asked_to == viewer.person_id)
            & (TurnSwap.state == "asked")
        )
    )


@routes.get("/projects/{project_id:int}/meetings", rule=project_member())
def meeting_list(request: Request, viewer):
    """The project's meetings: the coming ones with the rota, and the past ones."""
    project = project_or_404(request.path_params["project_id"])
    return _meetings_page(request, viewer, project)


@routes.post("/projects/{project_id:int}/meetings/plan", rule=project_coordinator())
def meeting_plan(request: Request, viewer):
    """Plan monthly meetings and assign the rota."""
    project = project_or_404(request.path_params["project_id"])
    form = bind(PlanForm, request)
    if not form.validate():
        return _meetings_page(request, viewer, project, plan_form=form, status_code=400)
    with database.atomic():
        ops.plan_meetings(
            project.id,
            form.count.data,
            form.start.data,
            time=form.time.data,
            place=(form.place.data or "").strip(),
            actor=viewer.account_id,
        )
    return _see_other(f"/projects/{project.id}/meetings")


@routes.post("/projects/{project_id:int}/successes", rule=project_member())
def success_add(request: Request, viewer):
    """Add a success to celebrate."""
    project = project_or_404(request.path_params["project_id"])
    form = bind(SuccessForm, request)
    if not form.validate():
        return _meetings_page(request, viewer, project, success_form=form, status_code=400)
    with database.atomic():
        Success.create(project=project, text=form.text.data.strip(), added_by=viewer.person_id)
    return _see_other(f"/projects/{project.id}/meetings")


# --- a meeting ------------------------------------------------------------------------


def previous_meeting(meeting: Meeting) -> Meeting | None:
    return (
        Meeting.select(Meeting.id, Meeting.date)
        .where(
            (Meeting.project == meeting.project_id)
            & (
                (Meeting.date < meeting.date)
                | ((Meeting.date == meeting.date) & (Meeting.id < meeting.id))
            )
        )
        .order_by(Meeting.date.desc(), Meeting.id.desc())
        .first()
    )


def carried_over(meeting: Meeting) -> dict:
    """Open actions from earlier meetings and provisional decisions of the previous one."""
    owner, duo = Person.alias(), Person.alias()
    earlier = Meeting.select(Meeting.id).where(
        (Meeting.project == meeting.project_id)
        & (
            (Meeting.date < meeting.date)
            | ((Meeting.date == meeting.date) & (Meeting.id < meeting.id))
        )
    )
    actions = list(
        Action.select(Action, owner, duo)
        .join_from(Action, owner, JOIN.LEFT_OUTER, on=(Action.owner == owner.id), attr="owner")
        .join_from(Action, duo, JOIN.LEFT_OUTER, on=(Action.duo_owner == duo.id), attr="duo_owner")
        .where(
            (Action.project == meeting.project_id)
            & Action.status.in_(("open", "doing"))
            & (Action.meeting.is_null() | Action.meeting.in_(earlier))
        )
        .order_by(Action.due, Action.id)
    )
    before = previous_meeting(meeting)
    provisional, minutes_to_approve = [], None
    if before is not None:
        minutes_to_approve = (
            Minutes.select(Minutes.id, Minutes.state)
            .where((Minutes.meeting == before.id) & (Minutes.state == "shared"))
            .first()
        )
        provisional = list(
            Proposal.select(Proposal)
            .join(AgendaItem, on=(Proposal.agenda_item == AgendaItem.id))
            .where((AgendaItem.meeting == before.id) & (Proposal.outcome == "provisional"))
            .order_by(Proposal.id)
        )
    return {
        "open_actions": actions,
        "provisional": provisional,
        "previous": before,
        "minutes_to_approve": minutes_to_approve,
    }


def _meeting_page(request, viewer, meeting_id, forms=None, status_code=200):
    meeting = meeting_or_404(meeting_id)
    parts = viewer_parts()
    adder = Person.alias()
    items = list(
        AgendaItem.select(AgendaItem, adder)
        .join_from(
            AgendaItem,
            adder,
            JOIN.LEFT_OUTER,
            on=(AgendaItem.added_by == adder.id),
            attr="added_by",
        )
        .where(AgendaItem.meeting == meeting.id)
        .order_by(AgendaItem.position, AgendaItem.id)
    )
    proposals: dict[int, list] = {}
    for p in (
        Proposal.select()
        .join(AgendaItem, on=(Proposal.agenda_item == AgendaItem.id))
        .where(AgendaItem.meeting == meeting.id)
        .order_by(Proposal.id)
    ):
        proposals.setdefault(p.agenda_item_id, []).append(p)
    attendance = {
        a.person_id: a.status
        for a in Attendance.select(Attendance.person, Attendance.status).where(
            Attendance.meeting == meeting.id
        )
    }
    members = members_of(meeting.project_id)
    owner, duo = Person.alias(), Person.alias()
    actions = list(
        Action.select(Action, owner, duo)
        .join_from(Action, owner, JOIN.LEFT_OUTER, on=(Action.owner == owner.id), attr="owner")
        .join_from(Action, duo, JOIN.LEFT_OUTER, on=(Action.duo_owner == duo.id), attr="duo_owner")
        .where(Action.meeting == meeting.id)
        .order_by(Action.id)
    )
    minutes = Minutes.select(Minutes.state).where(Minutes.meeting == meeting.id).first()
    member_choices = [(0, _("Nobody"))] + [(p.id, person_name(p)) for p in members]
    forms = forms or {}
    is_chair = viewer.is_coordinator(meeting.project_id) or "chair" in parts
    is_runner = is_chair or "minutes" in parts
    agenda_form = forms.get("agenda") or AgendaForm()
    action_form = forms.get("action") or ActionForm()
    action_form.owner.choices = member_choices[1:]
    action_form.duo_owner.choices = member_choices
    decided = [p for ps in proposals.values() for p in ps if p.state == "closed"]
    action_form.proposal.choices = [(0, _("None"))] + [(p.id, p.text[:60]) for p in decided]
    override_form = forms.get("override") or OverrideForm(
        data={
            "chair": meeting.chair_id or 0,
            "chair_duo": meeting.chair_duo_id or 0,
            "minute_taker": meeting.minute_taker_id or 0,
        }
    )
    override_form.chair.choices = member_choices
    override_form.chair_duo.choices = member_choices
    override_form.minute_taker.choices = member_choices
    duo_form = forms.get("duo") or DuoForm(data={"chair_duo": meeting.chair_duo_id or 0})
    duo_form.chair_duo.choices = [(0, _("Nobody: I chair alone"))] + [
        (p.id, person_name(p))
        for p in members
        if p.id not in (meeting.chair_id, meeting.minute_taker_id)
    ]
    swap_form = forms.get("swap") or SwapForm()
    swap_form.role.choices = [(k, str(v)) for k, v in words()["role_words"].items()]
    swap_form.asked_to.choices = [
        (p.id, person_name(p)) for p in members if p.id != viewer.person_id
    ]
    my_role = None
    if viewer.person_id == meeting.chair_id:
        my_role = "chair"
    elif viewer.person_id == meeting.minute_taker_id:
        my_role = "minutes"
    return page(
        request,
        "meetings/meeting.html",
        {
            "meeting": meeting,
            "project": meeting.project,
            "items": items,
            "proposals": proposals,
            "attendance": attendance,
            "members": members,
            "actions": actions,
            "minutes": minutes,
            "carried": carried_over(meeting),
            "swaps": _open_swaps_for(viewer, [meeting.id]),
            "agenda_form": agenda_form,
            "proposal_form": forms.get("proposal") or ProposalForm(),
            "proposal_item": forms.get("proposal_item"),
            "action_form": action_form,
            "override_form": override_form,
            "swap_form": swap_form,
            "duo_form": duo_form,
            "is_chair": is_chair,
            "is_runner": is_runner,
            "is_coordinator": viewer.is_coordinator(meeting.project_id),
            "my_role": my_role,
            "my_attendance": attendance.get(viewer.person_id),
            "is_member": viewer.is_member(meeting.project_id),
            "person_name": person_name,
            "message": forms.get("message"),
        },
        status_code=status_code,
    )


@routes.get("/meetings/{meeting_id:int}", rule=MEETING_MEMBER)
def meeting_page(request: Request, viewer):
    """A meeting: agenda, who chairs and takes minutes, attendance, proposals and actions."""
    return _meeting_page(request, viewer, request.path_params["meeting_id"])


def _meeting(request) -> Meeting:
    meeting = Meeting.get_or_none(Meeting.id == request.path_params["meeting_id"])
    if meeting is None:
        raise HTTPException(404)
    return meeting


@routes.post("/meetings/{meeting_id:int}/apologies", rule=MEETING_MEMBER)
def meeting_apologies(request: Request, viewer):
    """Send apologies for a meeting (or take them back); the rota is planned again."""
    meeting = _meeting(request)
    if not viewer.is_member(meeting.project_id) or not viewer.person_id:
        raise HTTPException(400)
    if meeting.state != "planned":
        return _meeting_page(
            request,
            viewer,
            meeting.id,
            {"message": _("The meeting has started; apologies are no longer needed.")},
            status_code=409,
        )
    take_back = request.state.form.get("take_back") == "1"
    with database.atomic():
        ops.set_attendance(
            meeting,
            viewer.person_id,
            "absent" if take_back else "apologies",
            actor=viewer.account_id,
        )
        if take_back:
            Attendance.delete().where(
                (Attendance.meeting == meeting.id) & (Attendance.person == viewer.person_id)
            ).execute()
            ops.replan_rota(meeting.project_id, actor=viewer.account_id)
    return _see_other(f"/meetings/{meeting.id}")


@routes.post("/meetings/{meeting_id:int}/attendance", rule=MEETING_RUNNER)
def meeting_attendance(request: Request, viewer):
    """Record who is present; those not ticked (and without apologies) are not there."""
    meeting = _meeting(request)
    present = {posted_id(v) for v in request.state.form.getlist("present")} - {None}
    members = {p.id for p in members_of(meeting.project_id)}
    if meeting.state == "closed":
        return _meeting_page(
            request, viewer, meeting.id, {"message": _("The meeting is closed.")}, status_code=409
        )
    with database.atomic():
        existing = {
            a.person_id: a for a in Attendance.select().where(Attendance.meeting == meeting.id)
        }
        for person_id in members:
            row = existing.get(person_id)
            if person_id in present:
                status = "present"
            elif row is not None and row.status == "apologies":
                continue
            else:
                status = "absent"
            if row is None:
                Attendance.create(meeting=meeting.id, person=person_id, status=status)
            elif row.status != status:
                row.status, row.updated_at = status, now()
                row.save()
        if meeting.state == "planned":
            ops.replan_rota(meeting.project_id, actor=viewer.account_id)
    return _see_other(f"/meetings/{meeting.id}")


@routes.post("/meetings/{meeting_id:int}/agenda", rule=MEETING_MEMBER)
def agenda_add(request: Request, viewer):
    """Add an agenda item; any member can, until the meeting starts."""
    meeting = _meeting(request)
    form = bind(AgendaForm, request)
    if meeting.state != "planned":
        return _meeting_page(
            request,
            viewer,
            meeting.id,
            {"agenda": form, "message": _("The meeting has started; the agenda is fixed.")},
            status_code=409,
        )
    if not form.validate():
        return _meeting_page(request, viewer, meeting.id, {"agenda": form}, status_code=400)
    try:
        with database.atomic():
            ops.add_agenda_item(
                meeting.id,
                form.title.data.strip(),
                explanation=(form.explanation.data or "").strip(),
                time_box=form.time_box.data,
                added_by=viewer.person_id,
            )
    except ops.Locked:  # the chair started the meeting while this was on its way
        return _meeting_page(
            request,
            viewer,
            meeting.id,
            {"agenda": form, "message": _("The meeting has started; the agenda is fixed.")},
            status_code=409,
        )
    return _see_other(f"/meetings/{meeting.id}#agenda")


@routes.post("/agenda/{item_id:int}/move", rule=AGENDA_CHAIR)
def agenda_move(request: Request, viewer):
    """Move an agenda item one place up or down."""
    item = AgendaItem.get_or_none(AgendaItem.id == request.path_params["item_id"])
    if item is None:
        raise HTTPException(404)
    direction = request.state.form.get("direction")
    if direction not in ("up", "down"):
        raise HTTPException(400)
    with database.atomic():
        if ops.lock_meeting(item.meeting_id).state == "closed":
            raise HTTPException(409)
        items = list(
            AgendaItem.select()
            .where(AgendaItem.meeting == item.meeting_id)
            .order_by(AgendaItem.position, AgendaItem.id)
        )
        index = next(i for i, it in enumerate(items) if it.id == item.id)
        other = index - 1 if direction == "up" else index + 1
        if 0 <= other < len(items):
            items[index], items[other] = items[other], items[index]
        for position, it in enumerate(items, 1):
            if it.position != position:
                it.position = position
                it.save()
    target = f"/meetings/{item.meeting_id}"
    if request.headers.get("hx-request"):
        return _meeting_page(request, viewer, item.meeting_id)
    return _see_other(target + "#agenda")


@routes.post("/meetings/{meeting_id:int}/start", rule=MEETING_CHAIR)
def meeting_start(request: Request, viewer):
    """Start the meeting: the agenda and the rota are fixed from now on."""
    meeting = _meeting(request)
    with database.atomic():
        meeting = ops.lock_meeting(meeting.id)  # agenda items added meanwhile are in, or refused
        if meeting.state == "planned":
            meeting.state, meeting.started_at = "started", now()
            meeting.save()
            audit.record(viewer.account_id, "meeting.start", meeting, project=meeting.project_id)
    return _see_other(f"/meetings/{meeting.id}")


@routes.post("/meetings/{meeting_id:int}/close", rule=MEETING_CHAIR)
def meeting_close(request: Request, viewer):
    """Close the meeting."""
    meeting = _meeting(request)
    with database.atomic():
        meeting = ops.lock_meeting(meeting.id)
        if meeting.state == "started":
            meeting.state, meeting.closed_at = "closed", now()
            meeting.save()
            audit.record(viewer.account_id, "meeting.close", meeting, project=meeting.project_id)
    return _see_other(f"/meetings/{meeting.id}")


@routes.post("/meetings/{meeting_id:int}/rota", rule=MEETING_COORDINATOR)
def rota_override(request: Request, viewer):
    """A coordinator sets chair, duo and minute-taker by hand, with a reason (audit log)."""
    meeting = _meeting(request)
    form = bind(OverrideForm, request)
    ok = form.validate()
    chair, duo, taker = (
        form.chair.data or None,
        form.chair_duo.data or None,
        form.minute_taker.data or None,
    )
    if ok and chair and chair == taker:
        form.minute_taker.errors = [_("The minute-taker cannot also be the chair.")]
        ok = False
    if ok and duo and duo in (chair, taker):
        form.chair_duo.errors = [_("Choose someone else to chair together with.")]
        ok = False
    members = {p.id for p in members_of(meeting.project_id)}
    if ok and any(p and p not in members for p in (chair, duo, taker)):
        form.chair.errors = [_("Choose active members of the project.")]
        ok = False
    if ok and meeting.state == "closed":
        form.chair.errors = [_("The meeting is closed.")]
        ok = False
    if not ok:
        return _meeting_page(request, viewer, meeting.id, {"override": form}, status_code=400)
    with database.atomic():
        before = {
            "chair": meeting.chair_id,
            "chair_duo": meeting.chair_duo_id,
            "minute_taker": meeting.minute_taker_id,
        }
        meeting.chair, meeting.chair_duo, meeting.minute_taker = chair, duo, taker
        meeting.rota_fixed = True
        meeting.save()
        audit.record(
            viewer.account_id,
            "rota.override",
            meeting,
            project=meeting.project_id,
            before=before,
            after={"chair": chair, "chair_duo": duo, "minute_taker": taker},
            note=form.reason.data.strip(),
        )
        ops.replan_rota(meeting.project_id, actor=viewer.account_id)
    return _see_other(f"/meetings/{meeting.id}")


@routes.post("/meetings/{meeting_id:int}/duo", rule=MEETING_CHAIR)
def chair_duo(request: Request, viewer):
    """The chair chooses a buddy to chair together with (a duo chair), or chairs alone."""
    meeting = _meeting(request)
    form = bind(DuoForm, request)
    ok = form.validate()
    duo = form.chair_duo.data or None
    members = {p.id for p in members_of(meeting.project_id)}
    if ok and duo and (duo not in members or duo in (meeting.chair_id, meeting.minute_taker_id)):
        form.chair_duo.errors = [_("Choose someone else to chair together with.")]
        ok = False
    if ok and meeting.state == "closed":
        form.chair_duo.errors = [_("The meeting is closed.")]
        ok = False
    if not ok:
        return _meeting_page(request, viewer, meeting.id, {"duo": form}, status_code=400)
    with database.atomic():
        before = {"chair_duo": meeting.chair_duo_id}
        meeting.chair_duo = duo
        meeting.save()
        audit.record(
            viewer.account_id,
            "rota.duo",
            meeting,
            project=meeting.project_id,
            before=before,
            after={"chair_duo": duo},
        )
    return _see_other(f"/meetings/{meeting.id}")


@routes.post("/meetings/{meeting_id:int}/swap", rule=MEETING_MEMBER)
def swap_ask(request: Request, viewer):
    """Ask another member to swap turns (or take over a turn); they accept or decline."""
    meeting = _meeting(request)
    form = bind(SwapForm, request)
    ok = form.validate()
    role = form.role.data
    mine = meeting.chair_id if role == "chair" else meeting.minute_taker_id
    if ok and (mine != viewer.person_id or meeting.state != "planned"):
        form.role.errors = [_("You can only swap your own turn at a meeting that has not started.")]
        ok = False
    members = {p.id for p in members_of(meeting.project_id)}
    if ok and (form.asked_to.data not in members or form.asked_to.data == viewer.person_id):
        form.asked_to.errors = [_("Choose another active member of the project.")]
        ok = False
    if not ok:
        return _meeting_page(request, viewer, meeting.id, {"swap": form}, status_code=400)
    column = Meeting.chair if role == "chair" else Meeting.minute_taker
    theirs = (
        Meeting.select(Meeting.id)
        .where(
            (Meeting.project == meeting.project_id)
            & (Meeting.state == "planned")
            & (Meeting.id != meeting.id)
            & (column == form.asked_to.data)
        )
        .order_by(Meeting.date)
        .first()
    )
    with database.atomic():
        TurnSwap.create(
            meeting=meeting.id,
            role=role,
            asked_by=viewer.person_id,
            asked_to=form.asked_to.data,
            other_meeting=theirs.id if theirs else None,
        )
    return _see_other(f"/meetings/{meeting.id}")


@routes.post("/swaps/{swap_id:int}/answer", rule=SWAP_ASKED)
def swap_answer(request: Request, viewer):
    """Accept or decline a swap; accepting changes both turns and keeps them fixed."""
    swap = TurnSwap.get_or_none(TurnSwap.id == request.path_params["swap_id"])
    if swap is None:
        raise HTTPException(404)
    answer = request.state.form.get("answer")
    if answer not in ("accept", "decline") or swap.state != "asked":
        raise HTTPException(400)
    meeting = Meeting.get_by_id(swap.meeting_id)
    field = "chair" if swap.role == "chair" else "minute_taker"
    with database.atomic():
        if answer == "decline":
            swap.state = "declined"
            swap.save()
            return _see_other(f"/meetings/{meeting.id}")
        changes = [(meeting, swap.asked_by_id, swap.asked_to_id)]
        if swap.other_meeting_id:
            other = Meeting.get_by_id(swap.other_meeting_id)
            if other.state == "planned" and getattr(other, field + "_id") == swap.asked_to_id:
                changes.append((other, swap.asked_to_id, swap.asked_by_id))
        for m, _old, new in changes:
            if m.state != "planned" or getattr(m, field + "_id") != _old:
                raise HTTPException(409)
            clash = m.minute_taker_id if field == "chair" else m.chair_id
            if clash == new:
                return _meeting_page(
                    request,
                    viewer,
                    meeting.id,
                    {"message": _("This swap would make one person both chair and minute-taker.")},
                    status_code=409,
                )
        for m, old, new in changes:
            setattr(m, field, new)
            m.rota_fixed = True
            m.save()
            audit.record(
                viewer.account_id,
                "rota.swap",
                m,
                project=m.project_id,
                before={field: old},
                after={field: new},
            )
        swap.state = "accepted"
        swap.save()
        ops.replan_rota(meeting.project_id, actor=viewer.account_id)
    return _see_other(f"/meetings/{meeting.id}")


# --- proposals and stances --------------------------------------------------------------


@routes.post("/agenda/{item_id:int}/proposals", rule=AGENDA_CHAIR)
def proposal_open(request: Request, viewer):
    """Open a proposal on an agenda item."""
    item = AgendaItem.get_or_none(AgendaItem.id == request.path_params["item_id"])
    if item is None:
        raise HTTPException(404)
    meeting = Meeting.get_by_id(item.meeting_id)
    form = bind(ProposalForm, request)
    if meeting.state == "closed":
        return _meeting_page(
            request, viewer, meeting.id, {"message": _("The meeting is closed.")}, status_code=409
        )
    if not form.validate():
        return _meeting_page(
            request,
            viewer,
            meeting.id,
            {"proposal": form, "proposal_item": item.id},
            status_code=400,
        )
    with database.atomic():
        proposal = Proposal.create(
            project=meeting.project_id,
            agenda_item=item.id,
            text=form.text.data.strip(),
            opened_by=viewer.person_id,
        )
        audit.record(
            viewer.account_id,
            "proposal.open",
            proposal,
            project=meeting.project_id,
            after={"text": proposal.text},
        )
    return _see_other(f"/proposals/{proposal.id}")


def _proposal_context(request, viewer, proposal_id, forms=None):
    proposal = (
        Proposal.select(Proposal, AgendaItem, Meeting, Project)
        .join(AgendaItem, on=(Proposal.agenda_item == AgendaItem.id))
        .join(Meeting, on=(AgendaItem.meeting == Meeting.id))
        .join(Project, on=(Meeting.project == Project.id))
        .where(Proposal.id == proposal_id)
        .first()
    )
    if proposal is None:
        raise HTTPException(404)
    meeting = proposal.agenda_item.meeting
    parts = viewer_parts()
    current = ops.current_stances([proposal.id]).get(proposal.id, {})
    members = members_of(proposal.project_id)
    is_chair = viewer.is_coordinator(proposal.project_id) or "chair" in parts
    can_record = is_chair or "minutes" in parts
    versions = list(
        Proposal.select()
        .where(Proposal.agenda_item == proposal.agenda_item_id)
        .order_by(Proposal.version, Proposal.id)
    )
    recorder = Person.alias()
    history = []
    if is_chair or can_record:
        history = list(
            Stance.select(Stance, Person, recorder)
            .join(Person, on=(Stance.person == Person.id))
            .join_from(
                Stance,
                recorder,
                JOIN.LEFT_OUTER,
                on=(Stance.recorded_by == recorder.id),
                attr="recorded_by",
            )
            .where(Stance.proposal == proposal.id)
            .order_by(Stance.id)
        )
    kinds = [s.kind for s in current.values()]
    from models.rules import consensus

    forms = forms or {}
    stance_form = forms.get("stance") or StanceForm(
        data={"kind": current[viewer.person_id].kind} if viewer.person_id in current else None
    )
    stance_form.person.choices = [(0, _("Myself"))] + [(p.id, person_name(p)) for p in members]
    return {
        "proposal": proposal,
        "meeting": meeting,
        "project": meeting.project,
        "current": current,
        "mine": current.get(viewer.person_id),
        "members": members,
        "not_yet": [p for p in members if p.id not in current],
        "counts": consensus.tally(kinds),
        "more_time": kinds.count("more_time"),
        "quorum": consensus.default_quorum(len(members)),
        "is_chair": is_chair,
        "can_record": can_record,
        "can_take": any(p.id == viewer.person_id for p in members),
        "versions": versions,
        "history": history,
        "stance_form": stance_form,
        "close_form": forms.get("close") or CloseForm(),
        "amend_form": forms.get("amend") or ProposalForm(data={"text": proposal.text}),
        "blockers": [s for s in current.values() if s.kind == "block"],
        "person_name": person_name,
        "message": forms.get("message"),
    }


def _proposal_page(request, viewer, proposal_id, forms=None, status_code=200, block=None):
    ctx = _proposal_context(request, viewer, proposal_id, forms)
    return page(request, "meetings/proposal.html", ctx, status_code=status_code, block=block)


@routes.get("/proposals/{proposal_id:int}", rule=PROPOSAL_MEMBER)
def proposal_page(request: Request, viewer):
    """A proposal: take a stance; the chair sees the tally and closes it."""
    return _proposal_page(request, viewer, request.path_params["proposal_id"])


@routes.get("/proposals/{proposal_id:int}/tally", rule=PROPOSAL_MEMBER)
def proposal_tally(request: Request, viewer):
    """The live tally (htmx polls this every few seconds; without htmx: the whole page)."""
    return _proposal_page(request, viewer, request.path_params["proposal_id"], block="tally")


@routes.post("/proposals/{proposal_id:int}/stance", rule=PROPOSAL_MEMBER)
def proposal_stance(request: Request, viewer):
    """Take or change a stance; the minute-taker or chair can record one for someone."""
    proposal = Proposal.get_by_id(request.path_params["proposal_id"])
    form = bind(StanceForm, request)
    ok = form.validate()
    ctx_parts = viewer_parts()
    can_record = viewer.is_coordinator(proposal.project_id) or bool(
        {"chair", "minutes"} & set(ctx_parts)
    )
    person_id = form.person.data or viewer.person_id
    members = {p.id for p in members_of(proposal.project_id)}
    if ok and person_id != viewer.person_id and not can_record:
        form.person.errors = [_("Only the minute-taker can record a stance for someone else.")]
        ok = False
    if ok and person_id not in members:
        form.person.errors = [_("Only active members of the project take a stance.")]
        ok = False
    closed = {"message": _("This proposal is closed; stances can no longer change.")}
    if ok and proposal.state != "open":
        return _proposal_page(request, viewer, proposal.id, closed, status_code=409)
    if not ok:
        return _proposal_page(request, viewer, proposal.id, {"stance": form}, status_code=400)
    try:
        with database.atomic():
            ops.take_stance(
                proposal,
                person_id,
                form.kind.data,
                form.reason.data,
                recorded_by=viewer.person_id if person_id != viewer.person_id else None,
            )
    except ops.Locked:  # closed while this stance was on its way: closing wins
        return _proposal_page(request, viewer, proposal.id, closed, status_code=409)
    return _see_other(f"/proposals/{proposal.id}")


@routes.post("/proposals/{proposal_id:int}/close", rule=PROPOSAL_CHAIR)
def proposal_close(request: Request, viewer):
    """Close the proposal: the outcome follows the consensus rule; the chair adds a statement."""
    proposal = Proposal.get_by_id(request.path_params["proposal_id"])
    form = bind(CloseForm, request)
    already = {"message": _("This proposal is already closed.")}
    if proposal.state != "open":
        return _proposal_page(request, viewer, proposal.id, already, status_code=409)
    if not form.validate():
        return _proposal_page(request, viewer, proposal.id, {"close": form}, status_code=400)
    try:
        with database.atomic():
            ops.close_proposal(proposal, form.statement.data.strip(), actor=viewer.account_id)
    except ops.Locked:  # someone else closed it a moment earlier
        return _proposal_page(request, viewer, proposal.id, already, status_code=409)
    return _see_other(f"/proposals/{proposal.id}")


@routes.post("/proposals/{proposal_id:int}/amend", rule=PROPOSAL_CHAIR)
def proposal_amend(request: Request, viewer):
    """After a block: a new version (amended, or the same text for a new round)."""
    proposal = Proposal.get_by_id(request.path_params["proposal_id"])
    form = bind(ProposalForm, request)
    if proposal.state != "closed":
        return _proposal_page(
            request,
            viewer,
            proposal.id,
            {"message": _("Close this proposal first.")},
            status_code=409,
        )
    if not form.validate():
        return _proposal_page(request, viewer, proposal.id, {"amend": form}, status_code=400)
    with database.atomic():
        new = Proposal.create(
            project=proposal.project_id,
            agenda_item=proposal.agenda_item_id,
            text=form.text.data.strip(),
            version=ops.next_version(proposal.agenda_item_id),
            previous=proposal.id,
            opened_by=viewer.person_id,
        )
        audit.record(
            viewer.account_id,
            "proposal.amend",
            new,
            project=proposal.project_id,
            before={"id": proposal.id, "text": proposal.text},
            after={"text": new.text, "version": new.version},
        )
    return _see_other(f"/proposals/{new.id}")


# --- the decision register --------------------------------------------------------------


def decisions_query(project_id: int | None = None, search: str = ""):
    """Closed proposals with their meeting and project, oldest first."""
    query = (
        Proposal.select(Proposal, AgendaItem, Meeting, Project)
        .join(AgendaItem, on=(Proposal.agenda_item == AgendaItem.id))
        .join(Meeting, on=(AgendaItem.meeting == Meeting.id))
        .join(Project, on=(Meeting.project == Project.id))
        .where(Proposal.state == "closed")
    )
    if project_id is not None:
        query = query.where(Proposal.project == project_id)
    if search:
        query = query.where(
            fn.LOWER(Proposal.text).contains(search.lower())
            | fn.LOWER(Proposal.statement).contains(search.lower())
            | fn.LOWER(AgendaItem.title).contains(search.lower())
        )
    return query


@routes.get("/projects/{project_id:int}/decisions", rule=project_member())
def decision_register(request: Request, viewer):
    """Everything the project decided, newest first, searchable."""
    project = project_or_404(request.path_params["project_id"])
    search = (request.query_params.get("q") or "").strip()[:100]
    decisions = list(
        decisions_query(project.id, search)
        .order_by(Proposal.decided_on.desc(), Proposal.id.desc())
        .limit(300)
    )
    return page(
        request,
        "meetings/decisions.html",
        {
            "project": project,
            "decisions": decisions,
            "search": search,
            "can_download": viewer.is_coordinator(project.id),
        },
    )


def _csv_download(text: str, name: str) -> Response:
    return Response(
        text.encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@routes.get("/projects/{project_id:int}/decisions.csv", rule=project_coordinator())
def decisions_download(request: Request, viewer):
    """decisions.csv for this project (DATA-EXCHANGE.md); ?excel=1 for Excel."""
    from webapp.meetings_cli import DECISION_COLUMNS, decision_rows, write_csv

    project = project_or_404(request.path_params["project_id"])
    excel = request.query_params.get("excel") == "1"
    text = write_csv(DECISION_COLUMNS, decision_rows(project.id), excel=excel)
    return _csv_download(text, "decisions.csv")


@routes.get("/projects/{project_id:int}/rota.csv", rule=project_coordinator())
def rota_download(request: Request, viewer):
    """rota.csv for this project (DATA-EXCHANGE.md); ?excel=1 for Excel."""
    from webapp.meetings_cli import ROTA_COLUMNS, rota_rows, write_csv

    project = project_or_404(request.path_params["project_id"])
    excel = request.query_params.get("excel") == "1"
    return _csv_download(write_csv(ROTA_COLUMNS, rota_rows(project.id), excel=excel), "rota.csv")


# --- minutes ----------------------------------------------------------------------------


def starting_text(meeting: Meeting) -> str:
    """A first draft: who was there, the agenda, the decisions and the actions."""
    attendance = {}
    for a in (
        Attendance.select(Attendance, Person)
        .join(Person, on=(Attendance.person == Person.id))
        .where(Attendance.meeting == meeting.id)
        .order_by(Person.display_name)
    ):
        attendance.setdefault(a.status, []).append(person_name(a.person))
    lines = [
        _("Present: %(names)s", names=", ".join(attendance.get("present", [])) or "-"),
        _("Sent apologies: %(names)s", names=", ".join(attendance.get("apologies", [])) or "-"),
        "",
    ]
    items = list(
        AgendaItem.select()
        .where(AgendaItem.meeting == meeting.id)
        .order_by(AgendaItem.position, AgendaItem.id)
    )
    proposals: dict[int, list] = {}
    for p in Proposal.select().where(
        Proposal.agenda_item.in_([i.id for i in items]) & (Proposal.state == "closed")
    ):
        proposals.setdefault(p.agenda_item_id, []).append(p)
    outcome_words = words()["outcome_words"]
    for number, item in enumerate(items, 1):
        lines.append(f"{number}. {item.title}")
        for p in proposals.get(item.id, []):
            lines.append(
                _(
                    "Decision: %(outcome)s. %(statement)s",
                    outcome=outcome_words[p.outcome],
                    statement=p.statement,
                )
            )
        lines.append("")
    actions = list(
        Action.select(Action, Person)
        .join(Person, JOIN.LEFT_OUTER, on=(Action.owner == Person.id), attr="owner")
        .where(Action.meeting == meeting.id)
    )
    if actions:
        lines.append(_("Actions:"))
        lines.extend(f"- {a.description} ({person_name(a.owner)})" for a in actions)
    return "\n".join(lines).strip() + "\n"


def approving_proposals(meeting: Meeting) -> list[Proposal]:
    """Decided proposals of later meetings, which may be the one approving these minutes."""
    return list(
        Proposal.select(Proposal, AgendaItem, Meeting)
        .join(AgendaItem, on=(Proposal.agenda_item == AgendaItem.id))
        .join(Meeting, on=(AgendaItem.meeting == Meeting.id))
        .where(
            (Proposal.project == meeting.project_id)
            & (Proposal.outcome == "consensus")
            & (Meeting.date > meeting.date)
        )
        .order_by(Meeting.date, Proposal.id)
        .limit(20)
    )


def _minutes_page(request, viewer, meeting_id, forms=None, status_code=200, block=None):
    meeting = meeting_or_404(meeting_id)
    parts = viewer_parts()
    minutes = Minutes.get_or_none(Minutes.meeting == meeting.id)
    notes = []
    if minutes is not None:
        notes = list(
            MinutesNote.select(MinutesNote, Person)
            .join(Person, JOIN.LEFT_OUTER, on=(MinutesNote.author == Person.id), attr="author")
            .where(MinutesNote.minutes == minutes.id)
            .order_by(MinutesNote.id)
        )
    forms = forms or {}
    can_approve = (
        minutes is not None
        and minutes.state == "shared"
        and (viewer.is_coordinator(meeting.project_id) or "next_chair" in parts)
    )
    can_write = viewer.is_coordinator(meeting.project_id) or bool({"chair", "minutes"} & parts)
    text = minutes.text if minutes else ""
    if can_write and not text and (minutes is None or minutes.state != "approved"):
        text = starting_text(meeting)
    return page(
        request,
        "meetings/minutes.html",
        {
            "meeting": meeting,
            "project": meeting.project,
            "minutes": minutes,
            "state": minutes.state if minutes else "draft",
            "version": minutes.version if minutes else 0,
            "text": forms.get("text", text),
            "conflict": forms.get("conflict"),
            "notes": notes,
            "can_write": can_write and (minutes is None or minutes.state != "approved"),
            "can_share": can_write and (minutes is not None and minutes.state == "draft"),
            "can_approve": can_approve,
            "approving_proposals": approving_proposals(meeting) if can_approve else [],
            "note_form": forms.get("note") or NoteForm(),
            "person_name": person_name,
            "message": forms.get("message"),
            "minutes_form": forms.get("minutes_form"),
            "saved": forms.get("saved"),
        },
        status_code=status_code,
        block=block,
    )


@routes.get("/meetings/{meeting_id:int}/minutes", rule=MINUTES_MEMBER)
def minutes_page(request: Request, viewer):
    """The minutes: written live by the minute-taker, read and commented on by members."""
    return _minutes_page(request, viewer, request.path_params["meeting_id"])


@routes.post("/meetings/{meeting_id:int}/minutes", rule=MINUTES_WRITER)
def minutes_save(request: Request, viewer):
    """Save the minutes on top of the version the writer started from.

    A stale version never overwrites: both texts are shown so the writer can merge them.
    """
    meeting_id = request.path_params["meeting_id"]
    form = bind(MinutesForm, request)
    text = form.text.data or ""
    is_htmx = request.headers.get("hx-request") == "true"
    if not form.validate():
        return _minutes_not_saved(request, viewer, meeting_id, form, is_htmx)
    try:
        with database.atomic():
            minutes = ops.save_minutes(meeting_id, text, form.version.data, viewer.person_id)
    except ops.Locked:
        return _minutes_page(
            request,
            viewer,
            meeting_id,
            {"message": _("These minutes are approved and cannot be changed. Add a correction.")},
            status_code=409,
        )
    except ops.Conflict as conflict:
        response = _minutes_page(
            request,
            viewer,
            meeting_id,
            {"text": text, "conflict": conflict.minutes},
            status_code=200 if is_htmx else 409,
            block="editor",
        )
        if is_htmx:
            response.headers["HX-Retarget"] = "#editor"
            response.headers["HX-Reswap"] = "innerHTML"
        return response
    if is_htmx:
        return page(
            request,
            "meetings/_saved.html",
            {"version": minutes.version, "saved_at": minutes.updated_at},
        )
    return _see_other(f"/meetings/{meeting_id}/minutes")


def _minutes_not_saved(request, viewer, meeting_id, form, is_htmx):
    """Refused minutes: the reason next to the text (or in the autosave status), text kept."""
    if is_htmx:
        if form.text.errors:
            message = form.text.errors[0]
        else:
            message = f"{form.version.errors[0]} {_(OUT_OF_DATE)}"
        return page(request, "meetings/_not_saved.html", {"message": message})
    return _minutes_page(
        request,
        viewer,
        meeting_id,
        {"text": form.text.data or "", "minutes_form": form},
        status_code=400,
    )


@routes.post("/meetings/{meeting_id:int}/minutes/share", rule=MINUTES_WRITER)
def minutes_share(request: Request, viewer):
    """Share the draft with the members so they can comment."""
    meeting_id = request.path_params["meeting_id"]
    with database.atomic():
        minutes = Minutes.get_or_none(Minutes.meeting == meeting_id)
        if minutes is None or minutes.state != "draft":
            return _minutes_page(
                request,
                viewer,
                meeting_id,
                {"message": _("Only draft minutes can be shared.")},
                status_code=409,
            )
        Minutes.update(state="shared", shared_at=now()).where(
            (Minutes.id == minutes.id) & (Minutes.state == "draft")
        ).execute()
    return _see_other(f"/meetings/{meeting_id}/minutes")


@routes.post("/meetings/{meeting_id:int}/minutes/approve", rule=MINUTES_APPROVER)
def minutes_approve(request: Request, viewer):
    """Approve shared minutes at a later meeting: "no objections" by the chair, or a decided
    proposal to approve them. Approved minutes never change after this."""
    meeting_id = request.path_params["meeting_id"]
    meeting = Meeting.get_by_id(meeting_id)
    raw_proposal = request.state.form.get("proposal") or ""
    proposal_id = posted_id(raw_proposal)
    how = "no_objections"
    if raw_proposal:
        approving = (
            Proposal.select(Proposal.id)
            .join(AgendaItem, on=(Proposal.agenda_item == AgendaItem.id))
            .join(Meeting, on=(AgendaItem.meeting == Meeting.id))
            .where(
                (Proposal.id == proposal_id)
                & (Proposal.project == meeting.project_id)
                & (Proposal.outcome == "consensus")
                & (Meeting.date > meeting.date)
            )
            .first()
        )
        if approving is None:
            return _minutes_page(
                request,
                viewer,
                meeting_id,
                {"message": _("Choose a proposal of a later meeting that was decided.")},
                status_code=400,
            )
        how = f"proposal:{approving.id}"
    with database.atomic():
        minutes = Minutes.get_or_none(Minutes.meeting == meeting_id)
        if minutes is None or minutes.state != "shared":
            return _minutes_page(
                request,
                viewer,
                meeting_id,
                {"message": _("Only shared minutes can be approved.")},
                status_code=409,
            )
        Minutes.update(state="approved", approved_at=now(), approved_how=how).where(
            (Minutes.id == minutes.id) & (Minutes.state == "shared")
        ).execute()
        audit.record(
            viewer.account_id,
            "minutes.approve",
            minutes,
            project=meeting.project_id,
            after={"version": minutes.version, "how": how},
        )
    return _see_other(f"/meetings/{meeting_id}/minutes")


@routes.post("/meetings/{meeting_id:int}/minutes/notes", rule=MINUTES_MEMBER)
def minutes_note(request: Request, viewer):
    """A comment on shared minutes, or a dated correction to approved ones."""
    meeting_id = request.path_params["meeting_id"]
    form = bind(NoteForm, request)
    minutes = Minutes.get_or_none(Minutes.meeting == meeting_id)
    if minutes is None or minutes.state == "draft":
        return _minutes_page(
            request,
            viewer,
            meeting_id,
            {"note": form, "message": _("You can add notes once the minutes are shared.")},
            status_code=409,
        )
    if not form.validate():
        return _minutes_page(request, viewer, meeting_id, {"note": form}, status_code=400)
    with database.atomic():
        MinutesNote.create(
            minutes=minutes.id,
            kind="correction" if minutes.state == "approved" else "comment",
            text=form.text.data.strip(),
            author=viewer.person_id,
        )
    return _see_other(f"/meetings/{meeting_id}/minutes#notes")


@routes.get("/meetings/{meeting_id:int}/print", rule=MEETING_MEMBER)
def meeting_print(request: Request, viewer):
    """Agenda and minutes on paper."""
    meeting = meeting_or_404(request.path_params["meeting_id"])
    items = list(
        AgendaItem.select()
        .where(AgendaItem.meeting == meeting.id)
        .order_by(AgendaItem.position, AgendaItem.id)
    )
    minutes = Minutes.get_or_none(Minutes.meeting == meeting.id)
    notes = []
    if minutes is not None:
        notes = list(MinutesNote.select().where(MinutesNote.minutes == minutes.id))
    return page(
        request,
        "meetings/print.html",
        {
            "meeting": meeting,
            "project": meeting.project,
            "items": items,
            "minutes": minutes,
            "notes": notes,
            "person_name": person_name,
        },
    )


# --- actions ----------------------------------------------------------------------------


@routes.post("/meetings/{meeting_id:int}/actions", rule=MEETING_RUNNER)
def action_add(request: Request, viewer):
    """Add an action with an owner (or duo) and an optional due date."""
    meeting = _meeting(request)
    form = bind(ActionForm, request)
    ok = form.validate()
    members = {p.id for p in members_of(meeting.project_id)}
    if ok and form.owner.data not in members:
        form.owner.errors = [_("Choose who does it.")]
        ok = False
    if ok and form.duo_owner.data and form.duo_owner.data not in members:
        form.duo_owner.errors = [_("Choose an active member of the project.")]
        ok = False
    proposal_id = form.proposal.data or None
    if (
        ok
        and proposal_id
        and not Proposal.select()
        .where((Proposal.id == proposal_id) & (Proposal.project == meeting.project_id))
        .exists()
    ):
        form.proposal.errors = [_("Choose a decision of this project.")]
        ok = False
    if not ok:
        return _meeting_page(request, viewer, meeting.id, {"action": form}, status_code=400)
    with database.atomic():
        action = Action.create(
            project=meeting.project_id,
            meeting=meeting.id,
            proposal=proposal_id,
            description=form.description.data.strip(),
            owner=form.owner.data,
            duo_owner=form.duo_owner.data or None,
            due=form.due.data,
        )
        audit.record(
            viewer.account_id,
            "action.create",
            action,
            project=meeting.project_id,
            after={"description": action.description, "owner": action.owner_id},
        )
    return _see_other(f"/meetings/{meeting.id}#actions")


@routes.get("/actions/mine", rule=SIGNED_IN)
def my_actions(request: Request, viewer):
    """The actions I (or my duo) take on, open ones first."""
    actions = []
    if viewer.person_id:
        actions = list(
            Action.select(Action, Project)
            .join(Project, on=(Action.project == Project.id))
            .where((Action.owner == viewer.person_id) | (Action.duo_owner == viewer.person_id))
            .order_by(
                Action.status.in_(("done", "dropped")), Action.due.is_null(), Action.due, Action.id
            )
        )
    return page(
        request,
        "meetings/my_actions.html",
        {"actions": actions, "status_form": ActionStatusForm, "today": today()},
    )


@routes.post("/actions/{action_id:int}/status", rule=ACTION_OWNER)
def action_status(request: Request, viewer):
    """Change an action's status; dropping needs a reason."""
    action = Action.get_by_id(request.path_params["action_id"])
    form = bind(ActionStatusForm, request)
    if not form.validate():
        return page(
            request,
            "meetings/action_status.html",
            {"action": action, "form": form},
            status_code=400,
        )
    with database.atomic():
        before = {"status": action.status}
        action.status = form.status.data
        action.reason = form.reason.data if form.status.data == "dropped" else ""
        action.updated_at = now()
        action.save()
        audit.record(
            viewer.account_id,
            "action.status",
            action,
            project=action.project_id,
            before=before,
            after={"status": action.status, "reason": action.reason},
        )
    return _see_other("/actions/mine")


# --- signals ----------------------------------------------------------------------------


def _signals_page(request, viewer, project, form=None, answer_forms=None, status_code=200):
    author = Person.alias()
    signals = list(
        Signal.select(Signal, author)
        .join_from(Signal, author, JOIN.LEFT_OUTER, on=(Signal.author == author.id), attr="author")
        .where(Signal.project == project.id)
        .order_by(Signal.answered_at.is_null(False), Signal.created_at.desc(), Signal.id.desc())
    )
    is_coordinator = viewer.is_coordinator(project.id)
    moment = now()
    return page(
        request,
        "meetings/signals.html",
        {
            "project": project,
            "signals": signals,
            "form": form or SignalForm(),
            "answer_forms": answer_forms or {},
            "answer_form": AnswerForm,
            "is_coordinator": is_coordinator,
            "age_days": lambda s: (moment - s.created_at).days,
            "show_name": lambda s: (
                not s.anonymous or is_coordinator or s.author_id == viewer.person_id
            ),
            "person_name": person_name,
        },
        status_code=status_code,
    )


@routes.get("/projects/{project_id:int}/signals", rule=project_member())
def signal_list(request: Request, viewer):
    """Ideas and problems from members, each with a visible answer."""
    project = project_or_404(request.path_params["project_id"])
    return _signals_page(request, viewer, project)


@routes.post("/projects/{project_id:int}/signals", rule=project_member())
def signal_add(request: Request, viewer):
    """Share an idea or a problem, optionally without showing your name to other members."""
    project = project_or_404(request.path_params["project_id"])
    form = bind(SignalForm, request)
    if not form.validate():
        return _signals_page(request, viewer, project, form=form, status_code=400)
    with database.atomic():
        Signal.create(
            project=project,
            kind=form.kind.data,
            text=form.text.data.strip(),
            author=viewer.person_id,
            anonymous=bool(form.anonymous.data),
        )
    return _see_other(f"/projects/{project.id}/signals")


@routes.post("/signals/{signal_id:int}/answer", rule=SIGNAL_COORDINATOR)
def signal_answer(request: Request, viewer):
    """Answer a signal and set its status; "on the agenda" puts it on the next meeting."""
    signal = Signal.get_by_id(request.path_params["signal_id"])
    project = Project.get_by_id(signal.project_id)
    form = bind(AnswerForm, request)
    if not form.validate():
        return _signals_page(
            request, viewer, project, answer_forms={signal.id: form}, status_code=400
        )
    with database.atomic():
        before = {"status": signal.status, "answer": signal.answer}
        if form.status.data == "on_agenda" and signal.status != "on_agenda":
            upcoming = (
                Meeting.select()
                .where((Meeting.project == project.id) & (Meeting.state == "planned"))
                .order_by(Meeting.date, Meeting.id)
                .first()
            )
            if upcoming is not None:
                with contextlib.suppress(ops.Locked):  # it started this very moment: no item
                    with database.atomic():
                        ops.add_agenda_item(
                            upcoming.id,
                            signal.text[:200],
                            explanation=form.answer.data,
                            added_by=viewer.person_id,
                            source="signal",
                        )
        signal.status = form.status.data
        signal.answer = form.answer.data
        signal.answered_at = now()
        signal.answered_by = viewer.person_id
        signal.save()
        audit.record(
            viewer.account_id,
            "signal.answer",
            signal,
            project=project.id,
            before=before,
            after={"status": signal.status, "answer": signal.answer},
        )
    return _see_other(f"/projects/{project.id}/signals")


# --- calendar ---------------------------------------------------------------------------


def _ics(meetings, name: str) -> Response:
    from webapp.meeting_calendar import calendar_for

    body = calendar_for(meetings, name)
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="tafel.ics"'},
    )


@routes.get("/projects/{project_id:int}/calendar.ics", rule=project_member())
def project_calendar(request: Request, viewer):
    """The project's coming meetings as a calendar feed."""
    project = project_or_404(request.path_params["project_id"])
    meetings = list(
        Meeting.select(Meeting, Project)
        .join(Project, on=(Meeting.project == Project.id))
        .where((Meeting.project == project.id) & (Meeting.state != "closed"))
        .order_by(Meeting.date)
    )
    return _ics(meetings, project.name)


@routes.get("/meetings/{meeting_id:int}/calendar.ics", rule=MEETING_MEMBER)
def meeting_calendar(request: Request, viewer):
    """One meeting, to add to your own calendar."""
    meeting = meeting_or_404(request.path_params["meeting_id"])
    return _ics([meeting], meeting.project.name)
