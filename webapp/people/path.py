"""A person's path: "Mijn pad" and the person page (memberships, steps over time, goals,
development conversations, client background), and what the person or a coordinator
writes on them."""

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse

from models.people import Person
from models.people.background import asks_share, set_background, set_sharing
from models.people.path import (
    give_own_answer,
    held_note_shown,
    path_of,
    record_conversation,
    save_goals,
)
from models.people.visibility import (
    knows_own_answer,
    may_write_about,
    sees_background,
    unchosen_coordinators,
)
from models.records.removal import may_remove
from webapp.access import SIGNED_IN, Routes
from webapp.forms import bind, safe_next
from webapp.i18n import _
from webapp.people.forms import (
    BackgroundForm,
    ConversationForm,
    GoalsForm,
    RecordBackgroundForm,
    ShareForm,
    ShareQuestionForm,
)
from webapp.people.permissions import PERSON_COORDINATOR, PERSON_VIEWER
from webapp.people.words import BACKGROUND_LABELS, GROUP_LABELS, KIND_LABELS, STATUS_LABELS
from webapp.templating import render

routes = Routes()


def all_ended(path: dict) -> bool:
    """Whether every membership of the person has ended (they are in no project now)."""
    return all(m.status == "ended" for m in path["memberships"])


def person_context(viewer, person: Person, **forms) -> dict:
    """Everything the person page and "Mijn pad" show, in a fixed number of queries;
    `forms` replace the empty forms (a form posted with errors)."""
    is_self = viewer.person_id == person.id
    # An account opened through someone else's link shows no earlier answer until the
    # person gives it again (models/accounts/links.py).
    held = is_self and not knows_own_answer(viewer)
    path = path_of(person)
    coordinator = may_write_about(viewer, person.id)
    return {
        "person": person,
        "is_self": is_self,
        **path,
        "can_change": {
            m.project_id for m in path["memberships"] if viewer.is_coordinator(m.project_id)
        },
        "can_add_conversation": coordinator,
        # The removal flow also reaches someone in no project any more (may_see_person).
        "can_remove": (coordinator or all_ended(path)) and may_remove(viewer, person.id),
        "can_record_background": coordinator,
        "sees_background": sees_background(viewer, person),
        "background_held": held,
        # The note about it shows once per hold, with what to do (issue 22).
        "held_note": held and held_note_shown(person),
        # Issue 19, M1: coordinators who came after the person's yes do not see the answer.
        "new_coordinators": is_self and not held and unchosen_coordinators(person),
        "goals_form": GoalsForm(obj=person) if is_self else None,
        "background_form": BackgroundForm(
            data={"answer": None if held else person.client_background}
        )
        if is_self
        else None,
        # While held, sharing would show an earlier answer to coordinators (maybe the very
        # one who made the link): the choice comes back once the person gave their answer.
        "share_form": ShareForm(data={"share": "also" if person.share_background else "only"})
        if is_self and not held
        else None,
        # Asked once, after the person gave an answer (issue 22): "nee" is the default.
        "share_question": ShareQuestionForm(data={"next": "/my-path#background"})
        if is_self and asks_share(person, held=held)
        else None,
        "record_form": RecordBackgroundForm() if coordinator else None,
        "conversation_form": ConversationForm() if coordinator else None,
        "kind_labels": KIND_LABELS,
        "status_labels": STATUS_LABELS,
        "labels": GROUP_LABELS,
        "background_labels": BACKGROUND_LABELS,
        **forms,
    }


def _person_page(request, viewer, person, status=200, **forms):
    context = person_context(viewer, person, **forms)
    return render(request, "people/person.html", context, status_code=status)


def _me(viewer) -> Person:
    person = Person.get_or_none(Person.id == viewer.person_id)
    if person is None:
        raise HTTPException(404)
    return person


@routes.get("/my-path", permission=SIGNED_IN)
def my_path(request: Request, viewer):
    """Mijn pad: my steps over time, tasks, goals, conversations and my client background."""
    return _person_page(request, viewer, _me(viewer))


@routes.get("/people/{person_id:int}", permission=PERSON_VIEWER)
def person_page(request: Request, viewer):
    """A person's page: memberships, path, goals and conversations."""
    return _person_page(request, viewer, request.state.target)


@routes.post("/my-path/goals", permission=SIGNED_IN)
def goals_update(request: Request, viewer):
    """Save my own goals: my dream, what I want to learn, whether I want paid work."""
    person = _me(viewer)
    form = bind(GoalsForm, request)
    if not form.validate():
        return _person_page(request, viewer, person, status=400, goals_form=form)
    save_goals(
        person,
        dream=form.dream.data or "",
        learn=form.learn.data or "",
        wants_paid_work=bool(form.wants_paid_work.data),
        actor=viewer.account_id,
    )
    return RedirectResponse("/my-path#goals", status_code=303)


@routes.post("/my-path/background", permission=SIGNED_IN)
def background_update(request: Request, viewer):
    """Declare, change or withdraw my own client background."""
    person = _me(viewer)
    form = bind(BackgroundForm, request)
    if not form.validate():
        return _person_page(request, viewer, person, status=400, background_form=form)
    give_own_answer(viewer, form.answer.data)
    return RedirectResponse("/my-path#background", status_code=303)


@routes.post("/my-path/background/share", permission=SIGNED_IN)
def background_share(request: Request, viewer):
    """Choose who may know my answer: only the people who guard privacy, or also the
    coordinators of my projects (their what-if and warnings then count my answer)."""
    person = _me(viewer)
    form = bind(ShareForm, request)
    valid = form.validate()
    if valid and form.share.data == "also" and not knows_own_answer(viewer):
        form.share.errors = [_("First give your answer again above. Then choose who may know it.")]
        valid = False
    if not valid:
        return _person_page(request, viewer, person, status=400, share_form=form)
    set_sharing(person, form.share.data == "also", actor=viewer.account_id)
    return RedirectResponse("/my-path#background", status_code=303)


@routes.get("/my-path/share", permission=SIGNED_IN)
def share_question(request: Request, viewer):
    """The one question after logging in (issue 22): may the coordinators of your projects
    know your answer? Only while it was never answered; else on to where the person went."""
    person = _me(viewer)
    next_url = safe_next(request.query_params.get("next"))
    if not asks_share(person, held=viewer.background_held):
        return RedirectResponse(next_url, status_code=303)
    form = ShareQuestionForm(data={"next": next_url})
    return render(request, "people/share_question.html", {"form": form})


@routes.post("/my-path/share", permission=SIGNED_IN)
def share_answer(request: Request, viewer):
    """Save the answer to the one question (either way it is not asked again)."""
    person = _me(viewer)
    form = bind(ShareQuestionForm, request)
    next_url = safe_next(form.next.data, "/my-path")
    if not asks_share(person, held=viewer.background_held):
        return RedirectResponse(next_url, status_code=303)
    if not form.validate():
        return render(request, "people/share_question.html", {"form": form}, status_code=400)
    set_sharing(person, form.share.data == "yes", actor=viewer.account_id)
    return RedirectResponse(next_url, status_code=303)


@routes.post("/people/{person_id:int}/background", permission=PERSON_COORDINATOR)
def background_record(request: Request, viewer):
    """Record a person's client background with their consent (the date is kept)."""
    person = request.state.target
    form = bind(RecordBackgroundForm, request)
    if not form.validate():
        return _person_page(request, viewer, person, status=400, record_form=form)
    set_background(
        person,
        form.answer.data,
        form.consent_on.data,
        recorded_by=viewer.person_id,
        actor=viewer.account_id,
        action="person.background_recorded",
    )
    return RedirectResponse(f"/people/{person.id}?saved=background", status_code=303)


@routes.post("/people/{person_id:int}/conversations", permission=PERSON_COORDINATOR)
def conversation_create(request: Request, viewer):
    """Write down a development conversation; the person can read it."""
    person = request.state.target
    form = bind(ConversationForm, request)
    if not form.validate():
        return _person_page(request, viewer, person, status=400, conversation_form=form)
    record_conversation(
        person,
        on=form.on.data,
        participants=form.participants.data or "",
        notes=form.notes.data or "",
        recorded_by=viewer.person_id,
        actor=viewer.account_id,
    )
    return RedirectResponse(f"/people/{person.id}#conversations", status_code=303)
