"""A quiet concern (docs/rules.md "A quiet concern"): someone passes a concern on to the
trusted persons without their name; a trusted person enters one they heard in person, puts
one on a project's agenda or answers it as a signal.

The routes that send a concern or read its fate are quiet: their permission leaves the
session's last-seen moment alone, and the request log writes no line for them
(webapp/request_log.py `is_quiet`).
"""

from starlette.requests import Request

from models.meetings.concern_tables import Concern
from models.meetings.concerns import (
    answer_as_signal,
    concerns_for,
    heard_choices,
    put_on_agenda,
    send_concern,
    sender_choices,
    target_projects,
)
from models.rules.errors import RuleError
from webapp.access import Routes
from webapp.forms import bind, page_params
from webapp.i18n import _
from webapp.meetings.concern_forms import (
    ConcernAgendaForm,
    ConcernForm,
    ConcernSignalForm,
    ReadingForm,
    offer_projects,
)
from webapp.meetings.permissions import (
    CONCERN_READER,
    CONCERN_SENDER,
    CONCERN_TRUSTED,
    TRUSTED,
    TRUSTED_QUIET,
)
from webapp.meetings.words import page, see_other

routes = Routes()
AGENDA, SIGNAL = "agenda-", "signal-"


def _organisation(label: str, project_id: int) -> str:
    return label if project_id else _("The trusted persons of the whole organisation")


def _send_page(request, viewer, form=None, status_code=200):
    choices = sender_choices(viewer)
    form = form or ConcernForm()
    form.offer(
        (pid, _organisation(_("The trusted persons of %(project)s", project=name), pid))
        for pid, name, _names in choices
    )
    return page(
        request,
        "meetings/concern_new.html",
        {"form": form, "choices": choices, "heard": False},
        status_code=status_code,
    )


@routes.get("/concerns/new", permission=CONCERN_SENDER)
def concern_new(request: Request, viewer):
    """Pass on a concern to the trusted persons, without your name."""
    return _send_page(request, viewer)


@routes.post("/concerns/new", permission=CONCERN_SENDER)
def concern_send(request: Request, viewer):
    """Send the concern; the reading code is shown on this one answer, never again."""
    form = bind(ConcernForm, request)
    form.offer((pid, name) for pid, name, _names in sender_choices(viewer))
    if not form.validate():
        return _send_page(request, viewer, form=form, status_code=400)
    code = send_concern(form.text.data.strip(), form.to.data or None)
    return page(request, "meetings/concern_sent.html", {"code": code, "heard": False})


def _heard_page(request, viewer, form=None, status_code=200):
    form = form or ConcernForm()
    form.offer((pid, _organisation(name, pid)) for pid, name in heard_choices(viewer))
    return page(
        request,
        "meetings/concern_new.html",
        {"form": form, "choices": None, "heard": True},
        status_code=status_code,
    )


@routes.get("/concerns/heard", permission=TRUSTED_QUIET)
def concern_heard(request: Request, viewer):
    """A trusted person writes down a concern someone told them in person."""
    return _heard_page(request, viewer)


@routes.post("/concerns/heard", permission=TRUSTED_QUIET)
def concern_heard_send(request: Request, viewer):
    form = bind(ConcernForm, request)
    form.offer(heard_choices(viewer))
    if not form.validate():
        return _heard_page(request, viewer, form=form, status_code=400)
    code = send_concern(form.text.data.strip(), form.to.data or None)
    return page(request, "meetings/concern_sent.html", {"code": code, "heard": True})


@routes.get("/concerns/read", permission=CONCERN_READER)
def concern_read(request: Request, viewer):
    """Read what became of your concern, with the reading code you were shown."""
    return page(request, "meetings/concern_read.html", {"form": ReadingForm(), "found": None})


@routes.post("/concerns/read", permission=CONCERN_READER)
def concern_read_code(request: Request, viewer):
    form = bind(ReadingForm, request)
    found = Concern.by_code(form.code.data) if form.validate() else None
    if form.code.data and not form.errors and found is None:
        form.code.errors = [_("We do not know this reading code. Check it, letter by letter.")]
    status = 200 if found is not None else 400
    context = {"form": form, "found": found}
    return page(request, "meetings/concern_read.html", context, status_code=status)


@routes.get("/concerns", permission=TRUSTED)
def concern_list(request: Request, viewer):
    """The concerns sent to the viewer as a trusted person."""
    concerns = concerns_for(viewer, **page_params(request.query_params))
    return page(request, "meetings/concerns.html", {"concerns": concerns})


def _concern_page(request, viewer, agenda_form=None, signal_form=None, error=None, status=200):
    concern = request.state.target
    projects = target_projects(viewer, concern)
    # Prefixed: the two forms on one page both have a project field (ids stay unique).
    agenda_form = agenda_form or ConcernAgendaForm(
        prefix=AGENDA, data={"title": concern.text[:200]}
    )
    signal_form = signal_form or ConcernSignalForm(prefix=SIGNAL, data={"text": concern.text})
    offer_projects(agenda_form, projects)
    offer_projects(signal_form, projects)
    context = {
        "concern": concern,
        "agenda_form": agenda_form,
        "signal_form": signal_form,
        "error": error,
    }
    return page(request, "meetings/concern.html", context, status_code=status)


@routes.get("/concerns/{concern_id:int}", permission=CONCERN_TRUSTED)
def concern_page(request: Request, viewer):
    """One concern, and the two ways to pass it on."""
    return _concern_page(request, viewer)


@routes.post("/concerns/{concern_id:int}/agenda", permission=CONCERN_TRUSTED)
def concern_agenda(request: Request, viewer):
    """Put the concern on the next meeting of a project, "via a trusted person"."""
    concern = request.state.target
    form = bind(ConcernAgendaForm, request, prefix=AGENDA)
    offer_projects(form, target_projects(viewer, concern))
    if not form.validate():
        return _concern_page(request, viewer, agenda_form=form, status=400)
    try:
        put_on_agenda(
            concern, form.project.data, form.title.data.strip(), form.explanation.data or "", viewer
        )
    except RuleError as err:
        return _concern_page(
            request,
            viewer,
            agenda_form=form,
            error=_(err.template).format(**err.params),
            status=409,
        )
    # Back to the concern, which shows its fate (the trusted person may not be in the project).
    return see_other(f"/concerns/{concern.id}")


@routes.post("/concerns/{concern_id:int}/answer", permission=CONCERN_TRUSTED)
def concern_answer(request: Request, viewer):
    """Answer the concern as a signal of a project, "via a trusted person"."""
    concern = request.state.target
    form = bind(ConcernSignalForm, request, prefix=SIGNAL)
    offer_projects(form, target_projects(viewer, concern))
    if not form.validate():
        return _concern_page(request, viewer, signal_form=form, status=400)
    try:
        answer_as_signal(
            concern,
            form.project.data,
            form.text.data.strip(),
            form.status.data,
            form.answer.data,
            viewer,
        )
    except RuleError as err:
        return _concern_page(
            request,
            viewer,
            signal_form=form,
            error=_(err.template).format(**err.params),
            status=409,
        )
    return see_other(f"/concerns/{concern.id}")
