"""Home, health, language, login and logout."""

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse
from starlette.routing import Route
from wtforms import PasswordField, StringField, validators

from models import first_run
from models.accounts import Account
from models.clock import now
from models.db import database
from models.logins import clear_failures, count_failure, seconds_to_wait, throttle_keys
from models.organisation import Announcement, Organisation, Project
from models.passwords import dummy_hash, verify_password
from webapp.access import (
    ANY_COORDINATOR,
    PUBLIC,
    SIGNED_IN,
    Routes,
    end_session,
    start_session,
)
from webapp.forms import TafelForm, bind, safe_next
from webapp.i18n import _, lazy_gettext, ngettext, pick_language
from webapp.templating import render

routes = Routes()


@routes.get("/", rule=PUBLIC)
def home(request: Request, viewer):
    """The start page: for a signed-in person their projects and latest notices.

    On a fresh installation (no accounts yet) it says how to start: `tafel setup`, then the
    invite link. An administrator or coordinator of an organisation without projects sees
    the next steps: make a project, import members.csv."""
    org = Organisation.current()
    context = {"organisation": org, "my_projects": [], "notices": []}
    if not viewer.signed_in:
        context["first_run"] = not first_run.has_accounts()
    elif viewer.is_admin or viewer.is_org_coordinator:
        context["first_steps"] = first_run.needs_first_project()
    if viewer.signed_in:
        visible = viewer.member_of | viewer.coordinates
        my_projects = Project.by_name()
        if not viewer.is_org_coordinator:
            my_projects = my_projects.where(Project.id.in_(list(visible) or [0]))
        context["my_projects"] = list(my_projects)
        ids = [p.id for p in context["my_projects"]]
        context["notices"] = list(
            Announcement.select(Announcement, Project)
            .join(Project)
            .where(Announcement.project.in_(ids or [0]))
            .order_by(Announcement.created_at.desc(), Announcement.id.desc())
            .limit(5)
        )
    return render(request, "home.html", context)


def _database_ok() -> bool:
    try:
        with database.connection_context():
            database.execute_sql("SELECT 1")
        return True
    except Exception:  # any failure (driver, network, file) means "not reachable"
        return False


async def healthz(request: Request):
    """Health for monitors: 200 with the database reachable, 503 without."""
    if await run_in_threadpool(_database_ok):
        return JSONResponse({"status": "ok", "database": "ok"})
    return JSONResponse({"status": "error", "database": "unreachable"}, status_code=503)


healthz.rule = PUBLIC
routes.append(Route("/healthz", healthz, methods=["GET"], name="healthz"))


@routes.post("/language", rule=PUBLIC)
def choose_language(request: Request, viewer):
    """Switch to another available language; remembered for the account too."""
    language = pick_language(request.state.form.get("language"))
    request.session["lang"] = language
    if viewer.signed_in:
        with database.atomic():
            Account.update(language=language).where(Account.id == viewer.account_id).execute()
    return RedirectResponse(safe_next(request.state.form.get("next")), status_code=303)


class LoginForm(TafelForm):
    username = StringField(
        lazy_gettext("Username"),
        [validators.InputRequired(message=lazy_gettext("Fill in your username."))],
    )
    password = PasswordField(
        lazy_gettext("Password"),
        [validators.InputRequired(message=lazy_gettext("Fill in your password."))],
    )


@routes.get("/login", rule=PUBLIC)
def login_page(request: Request, viewer):
    """The login form."""
    if viewer.signed_in:
        return RedirectResponse("/", status_code=303)
    form = LoginForm()
    return render(
        request,
        "accounts/login.html",
        {
            "form": form,
            "next": safe_next(request.query_params.get("next")),
            "error": None,
            "expired": request.query_params.get("expired") == "1",
        },
    )


def wait_message(seconds: int) -> str:
    """The throttling message in plain words: how long to wait, rounded up to whole minutes."""
    if seconds < 60:
        return ngettext(
            "You typed a wrong password too often. Try again in %(num)s second.",
            "You typed a wrong password too often. Try again in %(num)s seconds.",
            seconds,
        )
    minutes = -(-seconds // 60)
    return ngettext(
        "You typed a wrong password too often. Try again in %(num)s minute.",
        "You typed a wrong password too often. Try again in %(num)s minutes.",
        minutes,
    )


@routes.post("/login", rule=PUBLIC)
def login(request: Request, viewer):
    """Check username and password; one generic message for every failure.

    After five failures for a username or a client address, that username or address waits
    (30 seconds, doubling up to 15 minutes); the counters live in the database."""
    form = bind(LoginForm, request)
    next_url = safe_next(request.state.form.get("next"))
    error, status = _("Your username or password is not right."), 400
    if form.validate():
        username = form.username.data.strip().lower()
        keys = throttle_keys(username, request.client.host if request.client else None)
        wait = seconds_to_wait(keys)
        if wait:
            error, status = wait_message(wait), 429
        else:
            account = Account.get_or_none(Account.username == username)
            ok, new_hash = verify_password(
                form.password.data, account.password_hash if account else dummy_hash()
            )
            if account is not None and ok:
                with database.atomic():
                    changes = {"last_login_at": now()}
                    if new_hash:
                        changes["password_hash"] = new_hash
                    Account.update(**changes).where(Account.id == account.id).execute()
                    clear_failures(keys[0])
                    start_session(request, account)
                return RedirectResponse(next_url, status_code=303)
            with database.atomic():
                count_failure(keys)
            wait = seconds_to_wait(keys)
            if wait:
                error, status = wait_message(wait), 429
    return render(
        request,
        "accounts/login.html",
        {"form": form, "next": next_url, "error": error},
        status_code=status,
    )


@routes.post("/logout", rule=SIGNED_IN)
def logout(request: Request, viewer):
    """Sign out of this browser."""
    with database.atomic():
        end_session(request)
    return RedirectResponse("/", status_code=303)


@routes.get("/manage", rule=ANY_COORDINATOR)
def manage(request: Request, viewer):
    """The coordinators' and administrators' tools in one list, so the menu stays short."""
    return render(request, "manage.html")
