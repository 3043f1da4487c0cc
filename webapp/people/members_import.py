"""Importing members.csv from the web: all or nothing, every problem named with its line,
after the same 51% what-if and confirmation as the screens; and beside the upload, the
empty template and the members export, each plain and for Excel, in the page's language
(issue 22, section 2)."""

import base64

from starlette.requests import Request
from wtforms import StringField

from models.people.exchange import import_members, preview_members
from models.people.members_file import COLUMNS, members_csv, members_template, shows_answers
from models.people.whatif import below_note
from models.rules.csvfile import CsvError
from webapp.access import ORGANISATION_MANAGER, Routes
from webapp.forms import TafelForm, bind, bind_query
from webapp.i18n import _, catalog, current_language
from webapp.people.forms import MembersImportForm
from webapp.people.whatif import confirm_first
from webapp.templating import file_download, render

routes = Routes()


class DownloadForm(TafelForm):
    # ?excel=1: the file for Dutch Excel (docs/data-exchange.md "Writing CSV").
    excel = StringField()

    def for_excel(self) -> bool:
        return self.excel.data == "1"


def show_problem(problem) -> str:
    """One import problem in the viewer's language, with its line and column."""
    text = problem.message
    if problem.template:
        text = catalog().gettext(problem.template).format(**problem.params)
    where = []
    if problem.line is not None:
        where.append(_("Line %(line)s", line=problem.line))
    if problem.column:  # as the file's header names it (models.people.exchange)
        where.append(_("column %(name)s", name=problem.column))
    return f"{', '.join(where)}: {text}" if where else text


def _page(request, viewer, problems=(), counts=None, status=200):
    context = {
        "problems": list(problems),
        "counts": counts,
        "columns": [names[1] if current_language.get() == "nl" else names[0] for names in COLUMNS],
        "with_answers": shows_answers(viewer),
    }
    return render(request, "people/import.html", context, status_code=status)


@routes.get("/people/import/template.csv", permission=ORGANISATION_MANAGER)
def members_template_download(request: Request, viewer):
    """An empty members.csv (the header row) in the page's language; ?excel=1 for Excel."""
    excel = bind_query(DownloadForm, request).for_excel()
    return file_download(members_template(current_language.get(), excel), "members-template.csv")


@routes.get("/people/export/members.csv", permission=ORGANISATION_MANAGER)
def members_download(request: Request, viewer):
    """Every membership as members.csv, in the page's language, imports back unchanged; the
    client-background answers only for the privacy right (models/people/members_file.py)."""
    excel = bind_query(DownloadForm, request).for_excel()
    return file_download(members_csv(viewer, current_language.get(), excel), "members.csv")


@routes.get("/people/import", permission=ORGANISATION_MANAGER)
def members_import_form(request: Request, viewer):
    """The upload form for members.csv."""
    return _page(request, viewer)


@routes.post("/people/import", permission=ORGANISATION_MANAGER)
def members_import(request: Request, viewer):
    """Import members.csv: all or nothing, every problem named with its line."""
    form = bind(MembersImportForm, request)
    if not form.validate():
        return _page(request, viewer, form.file.errors, status=400)
    raw = form.raw()
    try:
        # Issue 19, finding M4: the same 51% what-if and confirmation as the screens.
        changes = preview_members(raw, viewer)
    except CsvError as error:
        return _page(request, viewer, [show_problem(p) for p in error.problems], status=400)
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
        return _page(request, viewer, [show_problem(p) for p in error.problems], status=400)
    return _page(request, viewer, counts=counts)
