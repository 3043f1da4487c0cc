"""People and growth: person pages, "Mijn pad", memberships with the what-if check, the
coordinator overview, development conversations, client background and the ladder."""

import datetime as dt

from peewee import JOIN, fn
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    validators,
)

from models import audit
from models.clock import today
from models.db import database
from models.growth import Conversation, StepChange, change_membership, start_membership
from models.organisation import Project
from models.people import LAYERS, ROLE_CATEGORIES, STATUSES, Membership, RoleStep
from models.person import BACKGROUND_ANSWERS, Person
from models.representation import representation_report, simulate
from models.rules.representation import ORGANISATION
from webapp.access import (
    ADMIN,
    SIGNED_IN,
    Routes,
    Rule,
    project_coordinator,
    project_of,
    url_id,
)
from webapp.forms import BoundedDateField, BoundedIntegerField, TafelForm, bind
from webapp.i18n import _, lazy_gettext
from webapp.routes.representation import DIMENSION_LABELS, GROUP_LABELS
from webapp.templating import render

routes = Routes()

STATUS_LABELS = {
    "active": lazy_gettext("Active"),
    "paused": lazy_gettext("Pause"),
    "ended": lazy_gettext("Ended"),
}
BACKGROUND_LABELS = {
    "yes": lazy_gettext("Yes"),
    "no": lazy_gettext("No"),
    "not_said": lazy_gettext("I'd rather not say"),
}
BACKGROUND_QUESTION = lazy_gettext(
    "Do you have experience as a client in care yourself, for example mental health care, "
    "addiction care or shelter?"
)
# Neutral words for every kind of change (WORDS.md: stepping back is not failing).
KIND_LABELS = {
    "start": lazy_gettext("Started"),
    "up": lazy_gettext("A step up"),
    "back": lazy_gettext("A step back"),
    "pause": lazy_gettext("Pause"),
    "return": lazy_gettext("Back from a pause"),
    "end": lazy_gettext("Stopped"),
    "layer": lazy_gettext("Other layer"),
}
STALE_CONVERSATION_DAYS = 183  # PRODUCT.md: last development conversation older than 6 months
RECENT_DAYS = 92  # "changes in the last 3 months"


# --- who may see a person -------------------------------------------------------------------


def person_param(request: Request) -> int | None:
    """The person named by the URL's {person_id}, when they exist."""
    person_id = url_id(request, "person_id")
    return person_id if Person.select().where(Person.id == person_id).exists() else None


def coordinates_person(viewer, person_id: int) -> bool:
    """Coordinates the organisation, or a project the person is or was in."""
    if viewer.is_org_coordinator:
        return True
    if not viewer.coordinates:
        return False
    return (
        Membership.select()
        .where(
            (Membership.person == person_id) & (Membership.project.in_(list(viewer.coordinates)))
        )
        .exists()
    )


# The person themselves, their coordinators, administrators (Nothing hidden about a person:
# what coordinators write, the person reads.)
PERSON_VIEWER = Rule(
    "the person or their coordinator",
    lambda v, p: v.person_id == p or v.is_admin or coordinates_person(v, p),
    project=person_param,
)
PERSON_COORDINATOR = Rule(
    "a coordinator of the person",
    lambda v, p: v.person_id != p and coordinates_person(v, p),
    project=person_param,
)
ORGANISATION_OVERVIEW = Rule(
    "organisation coordinator or administrator", lambda v, p: v.is_org_coordinator or v.is_admin
)
MEMBERSHIP_COORDINATOR = project_coordinator(project_of(Membership, "membership_id"))


def membership_owner(request: Request):
    """(person id, project id) of the membership in the URL, or None."""
    return (
        Membership.select(Membership.person, Membership.project)
        .where(Membership.id == url_id(request, "membership_id"))
        .tuples()
        .first()
    )


# The person chooses their own opt-ins; their coordinators may record them too.
MEMBERSHIP_SELF_OR_COORDINATOR = Rule(
    "the member or a coordinator of the project",
    lambda v, owner: v.person_id == owner[0] or v.is_coordinator(owner[1]),
    project=membership_owner,
)


# --- what-if --------------------------------------------------------------------------------


def describe_changes(viewer, changes) -> list[dict]:
    """The what-if groups as a viewer may see them: counts only for the privacy right; for
    others pass/fail of groups whose result changes (small groups stay "small group")."""
    shown = []
    for change in changes:
        if not viewer.has_privacy_right and not (change.result_changes or change.falls_below):
            continue
        shown.append(
            {
                "scope": change.scope,
                "organisation": change.scope == ORGANISATION,
                "dimension": DIMENSION_LABELS[change.dimension],
                "group": GROUP_LABELS[change.group],
                "before": change.before,
                "after": change.after,
                "falls_below": change.falls_below,
            }
        )
    return shown


def below_note(changes) -> str:
    """The audit note for a confirmed fall below 51% (which groups; never who)."""
    fallen = [f"{c.scope}/{c.dimension}/{c.group}" for c in changes if c.falls_below]
    return ("confirmed below 51%: " + ", ".join(fallen)) if fallen else ""


def confirm_page(request, viewer, *, title, action, fields, changes, error=None, status=200):
    """The confirming screen: each group whose result changes, before and after."""
    return render(
        request,
        "people/confirm.html",
        {
            "title": title,
            "action": action,
            "fields": fields,
            "changes": describe_changes(viewer, changes),
            "needs_confirmation": any(c.falls_below for c in changes),
            "error": error,
            "counts": viewer.has_privacy_right,
        },
        status_code=status,
    )


def decide(request, viewer, form, changes, *, title, action, fields):
    """None when the change may be saved now; else the confirming screen to show first."""
    if not changes:
        return None
    if form.confirmed.data != "1":
        return confirm_page(
            request, viewer, title=title, action=action, fields=fields, changes=changes
        )
    if any(c.falls_below for c in changes) and not form.accept_below.data:
        return confirm_page(
            request,
            viewer,
            title=title,
            action=action,
            fields=fields,
            changes=changes,
            error=_("Tick the box to confirm that a group falls below 51%."),
            status=400,
        )
    return None


# --- forms ----------------------------------------------------------------------------------


def layer_choices():
    return [(key, str(GROUP_LABELS[key])) for key in LAYERS]


def step_choices():
    categories = {key: str(GROUP_LABELS[key]) for key in ROLE_CATEGORIES}
    return [
        (s.id, f"{s.name} ({categories.get(s.category, s.category)})") for s in RoleStep.ladder()
    ]


class WhatIfForm(TafelForm):
    confirmed = HiddenField(default="")
    accept_below = BooleanField(lazy_gettext("Confirm"))


class MembershipChangeForm(WhatIfForm):
    step = SelectField(lazy_gettext("Step"), coerce=int)
    layer = SelectField(lazy_gettext("Layer"))
    status = RadioField(lazy_gettext("Status"))
    note = TextAreaField(
        lazy_gettext("Note (optional)"),
        [validators.Length(max=2000, message=lazy_gettext("Use at most 2000 characters."))],
    )

    # PRODUCT.md "Duo functions": two people share one role and count as two people. An
    # absent field keeps the partner (the one-click way back sends no partner).
    duo_partner = SelectField(lazy_gettext("Duo partner"), coerce=int, validate_choice=False)

    def __init__(self, *args, person_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.person_id = person_id
        self.step.choices = step_choices()
        self.layer.choices = layer_choices()
        self.status.choices = [(key, str(STATUS_LABELS[key])) for key in STATUSES]
        self.duo_partner.choices = [(0, _("No duo partner"))] + [
            (p.id, p.display_name)
            for p in Person.select(Person.id, Person.display_name)
            .where(Person.display_name.is_null(False) & (Person.id != person_id))
            .order_by(Person.display_name)
        ]

    def validate_duo_partner(self, field):
        if field.data is None or field.data == 0:
            return
        if field.data not in {value for value, _label in field.choices}:
            raise validators.ValidationError(_("Choose a person."))


class MembershipNewForm(WhatIfForm):
    person = SelectField(lazy_gettext("Person"), coerce=int)
    new_person = StringField(
        lazy_gettext("Or a new person: display name"),
        [validators.Length(max=80, message=lazy_gettext("Use at most 80 characters."))],
    )
    step = SelectField(lazy_gettext("Step"), coerce=int)
    layer = SelectField(lazy_gettext("Layer"))
    since = BoundedDateField(
        lazy_gettext("Start date"),
        [validators.InputRequired(message=lazy_gettext("Choose a date."))],
        default=today,
    )
    tasks = TextAreaField(
        lazy_gettext("Tasks"),
        [validators.Length(max=2000, message=lazy_gettext("Use at most 2000 characters."))],
    )
    chair = BooleanField(lazy_gettext("I want to chair"))
    minutes = BooleanField(lazy_gettext("I want to take minutes"))

    def __init__(self, *args, project_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        taken = Membership.select(Membership.person).where(Membership.project == project_id)
        self.person.choices = [(0, _("Choose a person"))] + [
            (p.id, p.display_name)
            for p in Person.select(Person.id, Person.display_name)
            .where(Person.display_name.is_null(False) & Person.id.not_in(taken))
            .order_by(Person.display_name)
        ]
        self.step.choices = step_choices()
        self.layer.choices = layer_choices()

    def validate_new_person(self, field):
        field.data = (field.data or "").strip()
        if not field.data and not self.person.data:
            raise validators.ValidationError(_("Choose a person or write a new name."))
        if field.data and Person.select().where(Person.display_name == field.data).exists():
            raise validators.ValidationError(_("Someone already has this name; choose them."))


class GoalsForm(TafelForm):
    dream = TextAreaField(
        lazy_gettext("What is your dream?"),
        [validators.Length(max=2000, message=lazy_gettext("Use at most 2000 characters."))],
    )
    learn = TextAreaField(
        lazy_gettext("What do you want to learn?"),
        [validators.Length(max=2000, message=lazy_gettext("Use at most 2000 characters."))],
    )
    wants_paid_work = BooleanField(lazy_gettext("I would like paid work"))


class BackgroundForm(TafelForm):
    answer = RadioField(BACKGROUND_QUESTION)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.answer.choices = [(key, str(BACKGROUND_LABELS[key])) for key in BACKGROUND_ANSWERS]


class RecordBackgroundForm(BackgroundForm):
    consent = BooleanField(
        lazy_gettext("This person told me their answer and agreed that I record it."),
        [validators.InputRequired(message=lazy_gettext("Record only with their consent."))],
    )
    consent_on = BoundedDateField(
        lazy_gettext("Date of consent"),
        [validators.InputRequired(message=lazy_gettext("Choose a date."))],
        default=today,
    )


class ConversationForm(TafelForm):
    on = BoundedDateField(
        lazy_gettext("Date"),
        [validators.InputRequired(message=lazy_gettext("Choose a date."))],
        default=today,
    )
    participants = StringField(
        lazy_gettext("Who took part"),
        [validators.Length(max=500, message=lazy_gettext("Use at most 500 characters."))],
    )
    notes = TextAreaField(
        lazy_gettext("Notes (the person can read these)"),
        [validators.Length(max=5000, message=lazy_gettext("Use at most 5000 characters."))],
    )


class StepForm(TafelForm):
    name = StringField(
        lazy_gettext("Name"),
        [
            validators.InputRequired(message=lazy_gettext("Give the step a name.")),
            validators.Length(max=80, message=lazy_gettext("Use at most 80 characters.")),
        ],
    )
    position = BoundedIntegerField(
        lazy_gettext("Place on the ladder"),
        [validators.InputRequired(message=lazy_gettext("Write a number."))],
        minimum=1,
        maximum=999,
    )
    category = SelectField(lazy_gettext("Role category"))
    description = TextAreaField(
        lazy_gettext("Typical tasks"),
        [validators.Length(max=2000, message=lazy_gettext("Use at most 2000 characters."))],
    )

    def __init__(self, *args, step_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.step_id = step_id
        self.category.choices = [(key, str(GROUP_LABELS[key])) for key in ROLE_CATEGORIES]

    def validate_name(self, field):
        field.data = (field.data or "").strip()
        taken = RoleStep.select().where(RoleStep.name == field.data)
        if self.step_id:
            taken = taken.where(RoleStep.id != self.step_id)
        if taken.exists():
            raise validators.ValidationError(_("Another step already has this name."))


# --- loading --------------------------------------------------------------------------------


def person_or_404(person_id: int) -> Person:
    person = Person.get_or_none(Person.id == person_id)
    if person is None:
        raise HTTPException(404)
    return person


def memberships_of(person_id: int):
    """A person's memberships with project and step (one query)."""
    Partner = Person.alias()
    return list(
        Membership.select(Membership, Project, RoleStep, Partner)
        .join(Project)
        .switch(Membership)
        .join(RoleStep)
        .switch(Membership)
        .join(Partner, JOIN.LEFT_OUTER, on=(Membership.duo_partner == Partner.id))
        .where(Membership.person == person_id)
        .order_by(Membership.status, Project.name)
    )


def way_back(changes) -> dict:
    """Per membership, the latest change when it can be undone in one action (a step back
    or a pause): {membership_id: change}."""
    latest = {}
    for change in changes:  # newest first
        latest.setdefault(change.membership_id, change)
    return {
        mid: c
        for mid, c in latest.items()
        if c.kind in ("back", "up", "pause", "layer") and c.from_step_id
    }


def person_context(viewer, person: Person) -> dict:
    """Everything the person page and "Mijn pad" show, in a fixed number of queries."""
    is_self = viewer.person_id == person.id
    memberships = memberships_of(person.id)
    changes = list(StepChange.path_of(person.id))
    conversations = list(
        Conversation.select()
        .where(Conversation.person == person.id)
        .order_by(Conversation.on.desc(), Conversation.id.desc())
    )
    coordinator = not is_self and coordinates_person(viewer, person.id)
    background = BackgroundForm(data={"answer": person.client_background})
    return {
        "person": person,
        "is_self": is_self,
        "memberships": memberships,
        "changes": changes,
        "way_back": way_back(changes),
        "conversations": conversations,
        "can_change": {m.project_id for m in memberships if viewer.is_coordinator(m.project_id)},
        "can_add_conversation": coordinator,
        "can_record_background": coordinator,
        # Health data: only the person and holders of the privacy right see the answer.
        "sees_background": is_self or viewer.has_privacy_right,
        "goals_form": GoalsForm(obj=person) if is_self else None,
        "background_form": background if is_self else None,
        "record_form": RecordBackgroundForm() if coordinator else None,
        "conversation_form": ConversationForm() if coordinator else None,
        "kind_labels": KIND_LABELS,
        "status_labels": STATUS_LABELS,
        "labels": GROUP_LABELS,
        "background_labels": BACKGROUND_LABELS,
    }


# --- person pages -----------------------------------------------------------------------


@routes.get("/my-path", rule=SIGNED_IN)
def my_path(request: Request, viewer):
    """Mijn pad: my steps over time, tasks, goals, conversations and my client background."""
    person = person_or_404(viewer.person_id)
    return render(request, "people/person.html", person_context(viewer, person))


@routes.get("/people/{person_id:int}", rule=PERSON_VIEWER)
def person_page(request: Request, viewer):
    """A person's page: memberships, path, goals and conversations."""
    person = person_or_404(request.path_params["person_id"])
    return render(request, "people/person.html", person_context(viewer, person))


def _goal_values(person):
    return {
        "dream": person.dream,
        "learn": person.learn,
        "wants_paid_work": person.wants_paid_work,
    }


@routes.post("/my-path/goals", rule=SIGNED_IN)
def goals_update(request: Request, viewer):
    """Save my own goals: my dream, what I want to learn, whether I want paid work."""
    person = person_or_404(viewer.person_id)
    form = bind(GoalsForm, request)
    if not form.validate():
        context = person_context(viewer, person)
        context["goals_form"] = form
        return render(request, "people/person.html", context, status_code=400)
    with database.atomic():
        before = _goal_values(person)
        person.dream = (form.dream.data or "").strip()
        person.learn = (form.learn.data or "").strip()
        person.wants_paid_work = bool(form.wants_paid_work.data)
        person.save()
        audit.record(
            viewer.account_id,
            "person.goals",
            person,
            person=person,
            before=before,
            after=_goal_values(person),
        )
    return RedirectResponse("/my-path#goals", status_code=303)


def _set_background(viewer, person, answer, consent_on, action):
    before = {"client_background": person.client_background}
    person.client_background = answer
    # Withdrawing ("not said") forgets the consent; any answer keeps its date of consent.
    person.background_consent_on = None if answer == "not_said" else consent_on
    person.background_recorded_by = viewer.person_id
    person.save()
    audit.record(
        viewer.account_id,
        action,
        person,
        person=person,
        before=before,
        after={"client_background": answer, "consent_on": person.background_consent_on},
    )


@routes.post("/my-path/background", rule=SIGNED_IN)
def background_update(request: Request, viewer):
    """Declare, change or withdraw my own client background."""
    person = person_or_404(viewer.person_id)
    form = bind(BackgroundForm, request)
    if not form.validate():
        context = person_context(viewer, person)
        context["background_form"] = form
        return render(request, "people/person.html", context, status_code=400)
    with database.atomic():
        _set_background(viewer, person, form.answer.data, today(), "person.background")
    return RedirectResponse("/my-path#background", status_code=303)


@routes.post("/people/{person_id:int}/background", rule=PERSON_COORDINATOR)
def background_record(request: Request, viewer):
    """Record a person's client background with their consent (the date is kept)."""
    person = person_or_404(request.path_params["person_id"])
    form = bind(RecordBackgroundForm, request)
    if not form.validate():
        context = person_context(viewer, person)
        context["record_form"] = form
        return render(request, "people/person.html", context, status_code=400)
    with database.atomic():
        _set_background(
            viewer, person, form.answer.data, form.consent_on.data, "person.background_recorded"
        )
    return RedirectResponse(f"/people/{person.id}?saved=background", status_code=303)


@routes.post("/people/{person_id:int}/conversations", rule=PERSON_COORDINATOR)
def conversation_create(request: Request, viewer):
    """Write down a development conversation; the person can read it."""
    person = person_or_404(request.path_params["person_id"])
    form = bind(ConversationForm, request)
    if not form.validate():
        context = person_context(viewer, person)
        context["conversation_form"] = form
        return render(request, "people/person.html", context, status_code=400)
    with database.atomic():
        conversation = Conversation.create(
            person=person,
            on=form.on.data,
            participants=(form.participants.data or "").strip(),
            notes=(form.notes.data or "").strip(),
            recorded_by=viewer.person_id,
        )
        audit.record(
            viewer.account_id,
            "conversation.create",
            conversation,
            person=person,
            after={"on": conversation.on, "participants": conversation.participants},
        )
    return RedirectResponse(f"/people/{person.id}#conversations", status_code=303)


# --- memberships ------------------------------------------------------------------------


def membership_or_404(membership_id: int) -> Membership:
    row = (
        Membership.select(Membership, Person, Project, RoleStep)
        .join(Person, on=(Membership.person == Person.id))
        .switch(Membership)
        .join(Project)
        .switch(Membership)
        .join(RoleStep)
        .where(Membership.id == membership_id)
        .first()
    )
    if row is None:
        raise HTTPException(404)
    return row


def _membership_values(m) -> dict:
    return {"step": m.step.name, "layer": m.layer, "status": m.status}


@routes.get("/memberships/{membership_id:int}/change", rule=MEMBERSHIP_COORDINATOR)
def membership_edit(request: Request, viewer):
    """The form to change a membership's step, layer or status."""
    membership = membership_or_404(request.path_params["membership_id"])
    form = MembershipChangeForm(
        data={
            "step": membership.step_id,
            "layer": membership.layer,
            "status": membership.status,
            "duo_partner": membership.duo_partner_id or 0,
        },
        person_id=membership.person_id,
    )
    return render(
        request, "people/membership_change.html", {"form": form, "membership": membership}
    )


@routes.post("/memberships/{membership_id:int}/change", rule=MEMBERSHIP_COORDINATOR)
def membership_change(request: Request, viewer):
    """Change a membership: first the what-if, then save and record the change."""
    membership = membership_or_404(request.path_params["membership_id"])
    form = MembershipChangeForm(formdata=request.state.form, person_id=membership.person_id)
    if not form.validate():
        return render(
            request,
            "people/membership_change.html",
            {"form": form, "membership": membership},
            status_code=400,
        )
    step = RoleStep.get_by_id(form.step.data)
    note = (form.note.data or "").strip()
    partner = membership.duo_partner_id if form.duo_partner.data is None else form.duo_partner.data

    def apply():
        current = Membership.get_by_id(membership.id)
        change = change_membership(
            current,
            step=step,
            layer=form.layer.data,
            status=form.status.data,
            recorded_by=viewer.person_id,
            note=note,
        )
        if (current.duo_partner_id or 0) != (partner or 0):
            current.duo_partner = partner or None
            current.save()
            if (
                partner
                and not Membership.select()
                .where((Membership.person == partner) & (Membership.project == current.project_id))
                .exists()
            ):
                # A duo counts as two people: the partner joins at the same step and layer.
                start_membership(
                    partner,
                    current.project_id,
                    step=step,
                    layer=form.layer.data,
                    recorded_by=viewer.person_id,
                    note=_("Duo with %(name)s", name=membership.person.display_name),
                )
            return change or "duo"
        return change

    changes = simulate(apply)
    waiting = decide(
        request,
        viewer,
        form,
        changes,
        title=_(
            "Change %(name)s in %(project)s",
            name=membership.person.display_name,
            project=membership.project.name,
        ),
        action=f"/memberships/{membership.id}/change",
        fields={
            "step": step.id,
            "layer": form.layer.data,
            "status": form.status.data,
            "note": note,
            "duo_partner": partner or 0,
        },
    )
    if waiting is not None:
        return waiting
    with database.atomic():
        before = _membership_values(membership)
        change = apply()
        if before["status"] != form.status.data:
            # PRODUCT.md "Rotation": a pause or an end re-plans the meetings not started.
            from models.meeting_ops import replan_rota

            replan_rota(membership.project_id, actor=viewer.account_id)
        if change is not None:
            audit.record(
                viewer.account_id,
                "membership.duo" if change == "duo" else f"membership.{change.kind}",
                membership,
                project=membership.project_id,
                person=membership.person_id,
                before={**before, "duo_partner": membership.duo_partner_id},
                after={
                    "step": step.name,
                    "layer": form.layer.data,
                    "status": form.status.data,
                    "duo_partner": partner,
                },
                note=below_note(changes),
            )
    return RedirectResponse(f"/people/{membership.person_id}", status_code=303)


def _new_form_page(request, project, form, status=200):
    return render(
        request,
        "people/membership_new.html",
        {"form": form, "project": project},
        status_code=status,
    )


@routes.get("/projects/{project_id:int}/memberships/new", rule=project_coordinator())
def membership_new(request: Request, viewer):
    """The form to add someone to the project."""
    project = Project.get_by_id(request.path_params["project_id"])
    return _new_form_page(request, project, MembershipNewForm(project_id=project.id))


@routes.post("/projects/{project_id:int}/memberships/new", rule=project_coordinator())
def membership_create(request: Request, viewer):
    """Add someone to the project: first the what-if, then save."""
    project = Project.get_by_id(request.path_params["project_id"])
    form = MembershipNewForm(formdata=request.state.form, project_id=project.id)
    if not form.validate():
        return _new_form_page(request, project, form, status=400)
    step = RoleStep.get_by_id(form.step.data)
    new_name = form.new_person.data

    def apply():
        person = (
            Person.create(display_name=new_name) if new_name else Person.get_by_id(form.person.data)
        )
        membership = start_membership(
            person,
            project,
            step=step,
            layer=form.layer.data,
            since=form.since.data,
            recorded_by=viewer.person_id,
            tasks=(form.tasks.data or "").strip(),
            chair_since=form.since.data if form.chair.data else None,
            minutes_since=form.since.data if form.minutes.data else None,
        )
        return person, membership

    changes = simulate(apply)
    fields = {
        "person": form.person.data,
        "new_person": new_name,
        "step": step.id,
        "layer": form.layer.data,
        "since": form.since.data.isoformat(),
        "tasks": form.tasks.data or "",
    }
    if form.chair.data:
        fields["chair"] = "y"
    if form.minutes.data:
        fields["minutes"] = "y"
    waiting = decide(
        request,
        viewer,
        form,
        changes,
        title=_("Add someone to %(project)s", project=project.name),
        action=f"/projects/{project.id}/memberships/new",
        fields=fields,
    )
    if waiting is not None:
        return waiting
    with database.atomic():
        person, membership = apply()
        audit.record(
            viewer.account_id,
            "membership.create",
            membership,
            project=project,
            person=person,
            after={"step": step.name, "layer": membership.layer, "status": membership.status},
            note=below_note(changes),
        )
    return RedirectResponse(f"/people/{person.id}", status_code=303)


# --- the coordinator overview ----------------------------------------------------------


def overview_lists(project_id: int | None) -> dict:
    """Who is where, recent changes, who wants to grow, stale conversations: one query each."""
    in_scope = Membership.status != "ended"
    if project_id is not None:
        in_scope &= Membership.project == project_id
    at_step = list(
        Membership.select(Membership, Person, Project, RoleStep)
        .join(Person, on=(Membership.person == Person.id))
        .switch(Membership)
        .join(Project)
        .switch(Membership)
        .join(RoleStep)
        .where(in_scope)
        .order_by(RoleStep.position, Person.display_name, Project.name)
    )
    FromStep, ToStep = RoleStep.alias(), RoleStep.alias()
    since = today() - dt.timedelta(days=RECENT_DAYS)
    recent = (
        StepChange.select(StepChange, Membership, Person, Project, FromStep, ToStep)
        .join(Membership)
        .join(Person, on=(Membership.person == Person.id))
        .switch(Membership)
        .join(Project)
        .switch(StepChange)
        .join(FromStep, JOIN.LEFT_OUTER, on=(StepChange.from_step == FromStep.id))
        .switch(StepChange)
        .join(ToStep, JOIN.LEFT_OUTER, on=(StepChange.to_step == ToStep.id))
        .where(StepChange.on >= since)
        .order_by(StepChange.on.desc(), StepChange.id.desc())
    )
    if project_id is not None:
        recent = recent.where(Membership.project == project_id)
    people_in_scope = Membership.select(Membership.person).where(in_scope)
    growing = list(
        Person.select(Person.id, Person.display_name, Person.wants_paid_work, Person.learn)
        .where(
            Person.id.in_(people_in_scope)
            & ((Person.wants_paid_work == True) | (Person.learn != ""))  # noqa: E712
        )
        .order_by(Person.display_name)
    )
    last_talk = fn.MAX(Conversation.on)
    stale_before = today() - dt.timedelta(days=STALE_CONVERSATION_DAYS)
    stale = list(
        Person.select(Person.id, Person.display_name, last_talk.alias("last_talk"))
        .join(Conversation, JOIN.LEFT_OUTER, on=(Conversation.person == Person.id))
        .where(Person.id.in_(people_in_scope))
        .group_by(Person.id, Person.display_name)
        .having(last_talk.is_null() | (last_talk < stale_before))
        .order_by(Person.display_name)
    )
    return {"at_step": at_step, "recent": list(recent), "growing": growing, "stale": stale}


def _overview(request, viewer, project):
    results = representation_report(project)
    context = overview_lists(project.id if project else None)
    context.update(
        {
            "project": project,
            "failures": [r for r in results if not r.passes],
            "kind_labels": KIND_LABELS,
            "status_labels": STATUS_LABELS,
            "labels": GROUP_LABELS,
        }
    )
    return render(request, "people/overview.html", context)


@routes.get("/projects/{project_id:int}/people", rule=project_coordinator())
def project_people(request: Request, viewer):
    """The coordinator overview of a project: steps, changes, growth, conversations."""
    project = Project.get_by_id(request.path_params["project_id"])
    return _overview(request, viewer, project)


@routes.get("/people", rule=ORGANISATION_OVERVIEW)
def organisation_people(request: Request, viewer):
    """The coordinator overview of the whole organisation."""
    return _overview(request, viewer, None)


# --- the ladder -------------------------------------------------------------------------


def _ladder_page(request, forms, new_form, status=200):
    return render(
        request,
        "people/ladder.html",
        {"forms": forms, "new_form": new_form, "labels": GROUP_LABELS},
        status_code=status,
    )


def _ladder_forms():
    return [
        (step, StepForm(obj=step, step_id=step.id, prefix=f"s{step.id}-"))
        for step in RoleStep.ladder()
    ]


@routes.get("/ladder", rule=ADMIN)
def ladder(request: Request, viewer):
    """The organisation's ladder: steps in order, each in a role category."""
    return _ladder_page(request, _ladder_forms(), StepForm(prefix="new-"))


def _step_values(step):
    return {
        "name": step.name,
        "position": step.position,
        "category": step.category,
        "description": step.description,
    }


@routes.post("/ladder", rule=ADMIN)
def ladder_add(request: Request, viewer):
    """Add a step to the ladder."""
    form = StepForm(formdata=request.state.form, prefix="new-")
    if not form.validate():
        return _ladder_page(request, _ladder_forms(), form, status=400)
    with database.atomic():
        step = RoleStep.create(
            name=form.name.data,
            position=form.position.data,
            category=form.category.data,
            description=(form.description.data or "").strip(),
        )
        audit.record(viewer.account_id, "ladder.add", step, after=_step_values(step))
    return RedirectResponse("/ladder", status_code=303)


@routes.post("/ladder/{step_id:int}", rule=ADMIN)
def ladder_update(request: Request, viewer):
    """Change a step of the ladder."""
    step = RoleStep.get_or_none(RoleStep.id == request.path_params["step_id"])
    if step is None:
        raise HTTPException(404)
    form = StepForm(formdata=request.state.form, step_id=step.id, prefix=f"s{step.id}-")
    if not form.validate():
        forms = [(s, form if s.id == step.id else f) for s, f in _ladder_forms()]
        return _ladder_page(request, forms, StepForm(prefix="new-"), status=400)
    with database.atomic():
        before = _step_values(step)
        step.name = form.name.data
        step.position = form.position.data
        step.category = form.category.data
        step.description = (form.description.data or "").strip()
        step.save()
        audit.record(
            viewer.account_id, "ladder.update", step, before=before, after=_step_values(step)
        )
    return RedirectResponse("/ladder", status_code=303)


# --- import -----------------------------------------------------------------------------


def show_problem(problem) -> str:
    """One import problem in the viewer's language, with its line and column."""
    from webapp.i18n import catalog

    text = problem.message
    if problem.template:
        text = catalog().gettext(problem.template).format(**problem.params)
    where = []
    if problem.line is not None:
        where.append(_("Line %(line)s", line=problem.line))
    if problem.column:
        where.append(_("column %(name)s", name=problem.column))
    return f"{', '.join(where)}: {text}" if where else text


@routes.get("/people/import", rule=ORGANISATION_OVERVIEW)
def members_import_form(request: Request, viewer):
    """The upload form for members.csv."""
    return render(request, "people/import.html", {"problems": [], "counts": None})


@routes.post("/people/import", rule=ORGANISATION_OVERVIEW)
def members_import(request: Request, viewer):
    """Import members.csv: all or nothing, every problem named with its line."""
    from models.rules.csvfile import CsvError
    from webapp.people_exchange import import_members

    upload = request.state.form.get("file")
    if upload is None or isinstance(upload, str) or not upload.filename:
        problems = [_("Choose a CSV file.")]
        return render(
            request,
            "people/import.html",
            {"problems": problems, "counts": None},
            status_code=400,
        )
    try:
        counts = import_members(upload.file.read(), viewer.account_id, viewer.person_id)
    except CsvError as error:
        return render(
            request,
            "people/import.html",
            {"problems": [show_problem(p) for p in error.problems], "counts": None},
            status_code=400,
        )
    return render(request, "people/import.html", {"problems": [], "counts": counts})


@routes.post("/memberships/{membership_id:int}/turns", rule=MEMBERSHIP_SELF_OR_COORDINATOR)
def membership_turns(request: Request, viewer):
    """Opt in or out of chairing and minute-taking; meetings not started are re-planned."""
    from models.meeting_ops import replan_rota

    membership = Membership.get_by_id(request.path_params["membership_id"])
    form = request.state.form
    wants = {"chair_since": form.get("chair") == "y", "minutes_since": form.get("minutes") == "y"}
    with database.atomic():
        before = {k: getattr(membership, k) for k in wants}
        for field, wanted in wants.items():
            # PRODUCT.md "Rotation": the opt-in date decides the order among newcomers.
            if wanted and getattr(membership, field) is None:
                setattr(membership, field, today())
            elif not wanted:
                setattr(membership, field, None)
        membership.save()
        after = {k: getattr(membership, k) for k in wants}
        if after != before:
            replan_rota(membership.project_id, actor=viewer.account_id)
            audit.record(
                viewer.account_id,
                "membership.turns",
                membership,
                project=membership.project_id,
                person=membership.person_id,
                before=before,
                after=after,
            )
    target = (
        "/my-path"
        if viewer.person_id == membership.person_id
        else (f"/people/{membership.person_id}")
    )
    return RedirectResponse(target, status_code=303)
