"""The audit log page: who changed what, when, with the values before and after."""

from starlette.requests import Request

from models.accounts.audit_log import audit_lines, filter_choices
from webapp.access import ANY_COORDINATOR, Routes
from webapp.accounts.audit_words import details, sentence
from webapp.forms import date_range_message, posted_date, posted_id
from webapp.templating import render

routes = Routes()


def _date_filter(params, name: str, errors: dict):
    """The date filter `name`; a date out of range is ignored and explained next to it."""
    text = (params.get(name) or "").strip()
    day = posted_date(text)
    if text and day is None:
        errors[name] = date_range_message()
    return day


@routes.get("/audit", rule=ANY_COORDINATOR)
def audit_page(request: Request, viewer):
    """Changes to accounts, rights, people, projects, meetings and money, each as a plain
    sentence with the reason it was saved with."""
    params = request.query_params
    person_id = posted_id(params.get("person"))
    project_id = posted_id(params.get("project"))
    errors = {}
    since, until = _date_filter(params, "from", errors), _date_filter(params, "to", errors)
    page = posted_id(params.get("page")) or 1
    entries, more = audit_lines(
        viewer.rights,
        viewer.coordinates,
        person_id=person_id,
        project_id=project_id,
        since=since,
        until=until,
        page=page,
    )
    privacy = "privacy" in viewer.rights
    lines = [
        {"entry": line["entry"], "sentence": sentence(line), "details": details(line, privacy)}
        for line in entries
    ]
    people, projects = filter_choices()
    filters = {
        "person": person_id or "",
        "project": project_id or "",
        "from": since.isoformat() if since else "",
        "to": until.isoformat() if until else "",
    }
    query_string = "&".join(f"{k}={v}" for k, v in filters.items() if v)
    return render(
        request,
        "accounts/audit.html",
        {
            "entries": lines,
            "people": people,
            "projects": projects,
            "filters": filters,
            "errors": errors,
            "page": page,
            "more": more,
            "query_string": query_string,
        },
    )
