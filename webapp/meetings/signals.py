"""Signals: ideas and problems from members, each with a visible answer from a coordinator."""

from starlette.requests import Request

from models.accounts.trust import is_held
from models.clock import now
from models.meetings.signals import add_signal, answer_signal, shows_author, signals_of
from webapp.access import Routes, project_member
from webapp.forms import bind, page_params
from webapp.meetings.forms import AnswerForm, SignalForm
from webapp.meetings.permissions import SIGNAL_COORDINATOR, the_project
from webapp.meetings.words import page, see_other

routes = Routes()


def show_signals(request, viewer, project, form=None, answer_forms=None, status_code=200):
    """The project's signals page, with the forms as posted when one was refused."""
    is_coordinator = viewer.is_coordinator(project.id)
    moment = now()
    return page(
        request,
        "meetings/signals.html",
        {
            "project": project,
            "signals": signals_of(project.id, **page_params(request.query_params)),
            "form": form or SignalForm(),
            "answer_forms": answer_forms or {},
            "answer_form": AnswerForm,
            "is_coordinator": is_coordinator,
            "age_days": lambda s: (moment - s.created_at).days,
            "show_name": lambda s: shows_author(viewer, s, is_coordinator),
            "held": is_held(viewer),
        },
        status_code=status_code,
    )


@routes.get("/projects/{project_id:int}/signals", permission=project_member())
def signal_list(request: Request, viewer):
    """Ideas and problems from members, each with a visible answer."""
    return show_signals(request, viewer, the_project(request))


@routes.post("/projects/{project_id:int}/signals", permission=project_member())
def signal_add(request: Request, viewer):
    """Share an idea or a problem, optionally without showing your name to other members."""
    project = the_project(request)
    form = bind(SignalForm, request)
    if not form.validate():
        return show_signals(request, viewer, project, form=form, status_code=400)
    add_signal(
        project.id,
        form.kind.data,
        form.text.data.strip(),
        actor=viewer,
        anonymous=bool(form.anonymous.data),
    )
    return see_other(f"/projects/{project.id}/signals")


@routes.post("/signals/{signal_id:int}/answer", permission=SIGNAL_COORDINATOR)
def signal_answer(request: Request, viewer):
    """Answer a signal and set its status; "on the agenda" puts it on the next meeting."""
    signal = request.state.target
    form = bind(AnswerForm, request)
    if not form.validate():
        refused = {signal.id: form}
        return show_signals(request, viewer, signal.project, answer_forms=refused, status_code=400)
    answer_signal(signal, form.status.data, form.answer.data, actor=viewer)
    return see_other(f"/projects/{signal.project_id}/signals")
