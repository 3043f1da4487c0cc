"""Importing members.csv from the web: all or nothing, every problem named with its line."""

from starlette.requests import Request

from models.people.exchange import import_members
from models.rules.csvfile import CsvError
from webapp.access import ORGANISATION_MANAGER, Routes
from webapp.forms import bind
from webapp.i18n import _, catalog
from webapp.people.forms import MembersImportForm
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
    try:
        counts = import_members(form.file.data.file.read(), viewer.account_id, viewer.person_id)
    except CsvError as error:
        return _page(request, [show_problem(p) for p in error.problems], status=400)
    return _page(request, counts=counts)
