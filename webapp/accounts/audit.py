"""The audit log page: who changed what, when, with the values before and after."""

from starlette.requests import Request

from models.records.audit_log import audit_lines, person_filter, projects_to_filter
from webapp.access import ANY_COORDINATOR, Routes
from webapp.accounts.audit_words import details, sentence
from webapp.forms import date_range_message, page_params, posted_date, posted_id, search_text
from webapp.templating import render

routes = Routes()


def _date_filter(params, name: str, errors: dict):
    """The date filter `name`; a date out of range is ignored and explained next to it."""
    text = (params.get(name) or "").strip()
    day = posted_date(text)
    if text and day is None:
        errors[name] = date_range_message()
    return day


@routes.get("/audit", permission=ANY_COORDINATOR)
def audit_page(request: Request, viewer):
    """Changes to accounts, rights, people, projects, meetings and money, each as a plain
    sentence with the reason it was saved with; a page at a time, newest first. The person
    filter is a search on the name (htmx: the matches as you type, block person_matches)."""
    params = request.query_params
    person_id = posted_id(params.get("person"))
    project_id = posted_id(params.get("project"))
    search = search_text(params.get("q"), 80)
    errors = {}
    since, until = _date_filter(params, "from", errors), _date_filter(params, "to", errors)
    page = audit_lines(
        viewer,
        person_id=person_id,
        project_id=project_id,
        since=since,
        until=until,
        **page_params(params),
    )
    privacy = "privacy" in viewer.rights
    page.rows = [
        {"entry": line["entry"], "sentence": sentence(line), "details": details(line, privacy)}
        for line in page.rows
    ]
    filters = {
        "person": person_id or "",
        "project": project_id or "",
        "from": since.isoformat() if since else "",
        "to": until.isoformat() if until else "",
    }
    return render(
        request,
        "accounts/audit.html",
        {
            "entries": page,
            "projects": projects_to_filter(),
            "search": search,
            **person_filter(viewer, person_id, search),
            "filters": filters,
            "others": {k: v for k, v in filters.items() if k != "person" and v},
            "errors": errors,
        },
        block="person_matches",
    )
