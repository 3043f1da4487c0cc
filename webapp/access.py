"""Who may use which route: every route declares one permission, checked here, plus CSRF.

Routes are declared with `Routes.get/post(path, permission=...)`. The wrapper loads the viewer,
applies the route's permission (anonymous viewers are sent to the login page, signed-in viewers who
may not are refused with 403), checks the CSRF token on every unsafe method, and runs the
handler in the threadpool inside one database connection. Handlers are plain functions
`handler(request, viewer) -> Response`; they never check access themselves.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, MultiDict
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route
from wtforms import Form
from wtforms.csrf.session import SessionCSRF

from models.accounts import Account, sessions
from models.actor import ANONYMOUS, Actor
from models.db import request_connection
from models.organisation import Project
from models.people import Membership
from models.rules.ids import MAX_ID
from webapp.i18n import current_language, pick_language

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# A meeting can run long with one page open: tokens stay valid 12 hours and every page
# rendered hands out a fresh one (issue "Accounts and access", CSRF).
CSRF_LIFETIME = dt.timedelta(hours=12)
MAX_UPLOAD_FIELDS = 200


# The viewer of a request is the models' typed actor (models/actor.py), built once here.
Viewer = Actor


# --- permissions (access rules) --------------------------------------------------------


@dataclass(frozen=True)
class Permission:
    """Who may use a route (an access rule, as against the domain's rules in models/rules/):
    `test(viewer, target)` decides.

    `target` finds what a request is about — a project's id (`project_param`, `project_of`)
    or the object itself (a claim, a meeting, a membership) — loading it once and leaving
    the object for the handler as `request.state.target`; it answers None for a thing that
    does not exist, which is a 404. A permission without `target` tests the viewer alone.
    """

    name: str
    test: Callable[[Viewer, object], bool]
    target: Callable[[Request], object] | None = None
    login: bool = True
    # A quiet route leaves the session's last-seen moment alone and gets no request-log line
    # (docs/rules.md "A quiet concern"): nothing may record who was active at its moment.
    quiet: bool = False

    def find_target(self, request: Request):
        """What the request is about (a 404 when it does not exist); None without `target`."""
        if self.target is None:
            return None
        found = self.target(request)
        if found is None:
            raise HTTPException(404)
        return found


def url_id(request: Request, name: str) -> int:
    """The integer id in the URL parameter `name`, or a 404."""
    try:
        return int(request.path_params[name])
    except (KeyError, TypeError, ValueError) as exc:
        raise HTTPException(404) from exc


def project_param(request: Request) -> int | None:
    """The project named by the URL's {project_id}, when it exists; the project is loaded
    once, here, and handed to the handler as `request.state.target`."""
    project = Project.get_or_none(Project.id == url_id(request, "project_id"))
    if project is None:
        return None
    request.state.target = project
    return project.id


def target(load: Callable[[int], object], param: str) -> Callable[[Request], object]:
    """A permission's `target`: the object named by the URL parameter `param`, loaded once by
    `load(id)` (with what its pages need) and handed to the handler as
    `request.state.target`; None (a 404) when there is none."""

    def find(request: Request):
        found = load(url_id(request, param))
        if found is not None:
            request.state.target = found
        return found

    return find


def project_of(model, param: str, column: str = "project") -> Callable[[Request], int | None]:
    """A permission's `target` for project permissions: the project id of the object named by a URL
    parameter (e.g. a meeting's project); the object itself goes to the handler as
    `request.state.target`."""
    project_field = getattr(model, column)
    find = target(lambda object_id: model.get_or_none(model.id == object_id), param)

    def project_id(request: Request) -> int | None:
        found = find(request)
        return None if found is None else getattr(found, project_field.name + "_id")

    return project_id


PUBLIC = Permission("everyone", lambda v, p: True, login=False)
SIGNED_IN = Permission("signed in", lambda v, p: v.signed_in)
ADMIN = Permission("administrator", lambda v, p: v.is_admin)
TREASURER = Permission("treasurer", lambda v, p: v.is_treasurer)
PRIVACY = Permission("privacy right", lambda v, p: v.has_privacy_right)
ANY_COORDINATOR = Permission("a coordinator", lambda v, p: v.is_any_coordinator or v.is_admin)
ORG_COORDINATOR = Permission("organisation coordinator", lambda v, p: v.is_org_coordinator)
# Creating projects and naming the organisation: organisation coordinators and administrators.
ORGANISATION_MANAGER = Permission(
    "organisation coordinator or administrator", lambda v, p: v.is_org_coordinator or v.is_admin
)


def project_member(find=project_param) -> Permission:
    """Members of the project, its coordinators and the organisation's coordinators."""
    return Permission("member of the project", lambda v, p: v.can_see_project(p), target=find)


def project_coordinator(find=project_param) -> Permission:
    """Coordinators of the project and of the organisation."""
    return Permission("coordinator of the project", lambda v, p: v.is_coordinator(p), target=find)


# --- the viewer ---------------------------------------------------------------------------


def load_viewer(
    request: Request, idle_minutes: int, max_hours: int = 24 * 14, touch: bool = True
) -> Viewer:
    """The viewer of a request from its session cookie, in at most four queries.

    A session ends after `idle_minutes` without a request, and `max_hours` after it began
    however active it is (a stolen or forgotten cookie does not live for ever). `touch=False`
    (a quiet route) leaves its last-seen moment as it was."""
    key = request.session.get("sid")
    if not key:
        return ANONYMOUS
    state, row = sessions.find(
        key, dt.timedelta(minutes=idle_minutes), dt.timedelta(hours=max_hours), touch=touch
    )
    if row is None:
        request.session.pop("sid", None)
        return Viewer(session_expired=True) if state == "expired" else ANONYMOUS
    return viewer_of(row.account, session_id=row.id)


def viewer_of(account: Account, session_id: int | None = None) -> Viewer:
    """The viewer of an account (loaded with its person), in two queries: its rights and
    whose links it holds (sessions.rights_of), and its projects."""
    rights, coordinates, acts_for, trusted_in = sessions.rights_of(account.id, account.person_id)
    member_of = Membership.projects_of(account.person_id)
    return Viewer(
        account_id=account.id,
        person_id=account.person_id,
        name=account.person.display_name or "",
        rights=frozenset(rights),
        member_of=frozenset(member_of),
        coordinates=frozenset(coordinates),
        language=account.language,
        session_id=session_id,
        background_held=account.background_held,
        acts_for=frozenset(acts_for),
        trusted_in=frozenset(trusted_in),
    )


def remember_session(request: Request, key: str, language: str | None) -> None:
    """Sign the browser in with a brand-new session key (begun by models/accounts/sessions.py;
    the old one is never reused)."""
    kept_language = request.session.get("lang")
    request.session.clear()
    request.session["sid"] = key
    request.session["lang"] = language or kept_language or "nl"


def forget_session(request: Request) -> None:
    """Sign out: the cookie forgets the key (the server forgot its session already)."""
    language = request.session.get("lang")
    request.session.clear()
    if language:
        request.session["lang"] = language


# --- CSRF (WTForms' session CSRF: an HMAC of a per-session secret with an expiry) ---------


class CSRFForm(Form):
    """A form with only the CSRF token; the secret is set by create_app."""

    class Meta:
        csrf = True
        csrf_class = SessionCSRF
        csrf_field_name = "csrf_token"
        csrf_time_limit = CSRF_LIFETIME
        csrf_secret = b""


def csrf_token(request: Request) -> str:
    """A fresh token for this session (valid CSRF_LIFETIME from now)."""
    form = CSRFForm(meta={"csrf_context": request.session})
    return form.csrf_token.current_token


class LazyCsrfToken:
    """A page's CSRF token, made the first time a template writes it (`{{ csrf_token }}`).
    Making one stores the session's CSRF secret, which makes the session cookie: a page that
    writes no form (an error page for a visitor without a session) leaves the visitor
    without a cookie (issue 23.7). The same token however often the page writes it."""

    __slots__ = ("_request", "_token")

    def __init__(self, request: Request):
        self._request = request
        self._token: str | None = None

    def __str__(self) -> str:
        if self._token is None:
            self._token = csrf_token(self._request)
        return self._token

    def __html__(self) -> str:
        return str(self)


def csrf_valid(request: Request, form: FormData | None) -> bool:
    """True when the form field or the X-CSRFToken header carries a valid token."""
    token = request.headers.get("x-csrftoken") or (form.get("csrf_token") if form else None)
    if not token or not isinstance(token, str):
        return False
    check = CSRFForm(
        formdata=MultiDict({"csrf_token": token}), meta={"csrf_context": request.session}
    )
    return check.validate()


# --- the route wrapper -------------------------------------------------------------------


def refuse(request: Request, viewer: Viewer) -> Response:
    """Send anonymous viewers to the login page; refuse everyone else with 403."""
    if not viewer.signed_in:
        target = request.url.path if request.method in SAFE_METHODS else "/"
        url = "/login?next=" + quote(target, safe="/")
        if viewer.session_expired:
            url += "&expired=1"
        if request.headers.get("hx-request"):
            return Response(status_code=204, headers={"HX-Redirect": url})
        return RedirectResponse(url, status_code=303)
    raise HTTPException(403)


class Routes(list):
    """The routes of one area, each declared with its permission."""

    def add(self, path: str, *, permission: Permission, methods=("GET",), name: str | None = None):
        """Declare a route: `permission` decides who may use it."""

        def decorate(handler):
            self.append(
                make_route(path, handler, permission=permission, methods=methods, name=name)
            )
            return handler

        return decorate

    def get(self, path: str, *, permission: Permission, name: str | None = None):
        return self.add(path, permission=permission, methods=("GET",), name=name)

    def post(self, path: str, *, permission: Permission, name: str | None = None):
        return self.add(path, permission=permission, methods=("POST",), name=name)


def _has_nul(values) -> bool:
    return any(isinstance(value, str) and "\x00" in value for value in values.values())


def make_route(path, handler, *, permission: Permission, methods, name=None) -> Route:
    """Wrap a handler so it runs with its permission, CSRF check and one database connection."""

    async def endpoint(request: Request) -> Response:
        form = None
        if request.method not in SAFE_METHODS:
            form = await request.form(max_files=5, max_fields=MAX_UPLOAD_FIELDS)
        try:
            return await run_in_threadpool(_run, request, form)
        finally:
            if form is not None:
                await form.close()

    def _run(request: Request, form: FormData | None) -> Response:
        settings = request.app.state.settings
        with request_connection():
            viewer = load_viewer(
                request,
                settings.session_idle_minutes,
                settings.session_max_hours,
                touch=not permission.quiet,
            )
            request.state.viewer = viewer
            language = pick_language(
                request.session.get("lang"), request.headers.get("accept-language")
            )
            current_language.set(language)
            if permission.login and not viewer.signed_in:
                return refuse(request, viewer)
            if any(
                isinstance(value, int) and not 0 <= value <= MAX_ID
                for value in request.path_params.values()
            ):
                raise HTTPException(404)
            if not permission.test(viewer, permission.find_target(request)):
                return refuse(request, viewer)
            if request.method not in SAFE_METHODS and not csrf_valid(request, form):
                raise HTTPException(403, "csrf")
            if _has_nul(request.query_params) or (form is not None and _has_nul(form)):
                # No text field takes a NUL character (PostgreSQL refuses it): bad input.
                raise HTTPException(400)
            request.state.form = form or FormData()
            return handler(request, viewer)

    endpoint.__name__ = handler.__name__
    endpoint.__doc__ = handler.__doc__
    endpoint.permission = permission
    return Route(path, endpoint, methods=list(methods), name=name or handler.__name__)
