"""Importing members.csv from the web: all or nothing, every problem named with its line,
after the same 51% what-if and confirmation as the screens."""

import base64

from starlette.requests import Request

from models.people.exchange import import_members, preview_members
from models.people.whatif import below_note
from models.rules.csvfile import CsvError
from webapp.access import ORGANISATION_MANAGER, Routes
from webapp.forms import bind
from webapp.i18n import _, catalog
from webapp.people.forms import MembersImportForm
from webapp.people.whatif import confirm_first
from webapp.templating import render

routes = Routes()


def show_problem(problem) -> str:
    """One import problem in the viewer's language, with its line and column."""
    text = problem.message
    if problem.template:
        text = catalog().gettext(problem.template).format(**problem.params)
    where = []
    if problem.line is not None:
        where.append(_("Line %(line)s", line=problem.line))
    if problem.column:
        where.append(_("column %(name)s", name=problem.column))
    return f"{', '.join(where)}: {text}" if where else text


def _page(request, problems=(), counts=None, status=200):
    context = {"problems": list(problems), "counts": counts}
    return render(request, "people/import.html", context, status_code=status)


@routes.get("/people/import", rule=ORGANISATION_MANAGER)
def members_import_form(request: Request, viewer):
    """The upload form for members.csv."""
    return _page(request)


@routes.post("/people/import", rule=ORGANISATION_MANAGER)
def members_import(request: Request, viewer):
    """Import members.csv: all or nothing, every problem named with its line."""
    form = bind(MembersImportForm, request)
    if not form.validate():
        return _page(request, form.file.errors, status=400)
    raw = form.raw()
    try:
        # Issue 19, finding M4: the same 51% what-if and confirmation as the screens.
        changes = preview_members(raw, viewer)
    except CsvError as error:
        return _page(request, [show_problem(p) for p in error.problems], status=400)
    waiting = confirm_first(
        request,
        viewer,
        form,
        changes,
        title=_("Import members (CSV)"),
        action="/people/import",
        fields={"content": base64.b64encode(raw).decode("ascii")},
        preview={"action": "members.preview_import", "obj": None},
        logged={"file": "members.csv"},  # never the file: it may hold answers
    )
    if waiting is not None:
        return waiting
    try:
        counts = import_members(
            raw, viewer.account_id, viewer.person_id, note_for_log=below_note(changes, viewer)
        )
    except CsvError as error:  # the data changed meanwhile
        return _page(request, [show_problem(p) for p in error.problems], status=400)
    return _page(request, counts=counts)
