"""Signing in and out, and the language switch."""

from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse

from models.accounts.login import choose_language as remember_language
from models.accounts.login import log_in, log_out
from models.accounts.throttle import throttle_keys
from models.people.background import asks_share
from models.person import Person
from webapp.access import PUBLIC, SIGNED_IN, Routes, forget_session, remember_session
from webapp.accounts.forms import LanguageForm, LoginForm
from webapp.accounts.words import wait_message
from webapp.core.caching import no_store
from webapp.forms import bind, safe_next
from webapp.i18n import _, pick_language
from webapp.templating import render

routes = Routes()


@routes.post("/language", permission=PUBLIC)
def choose_language(request: Request, viewer):
    """Switch to another available language; remembered for the account too."""
    form = bind(LanguageForm, request)
    language = pick_language(form.language.data)
    request.session["lang"] = language
    if viewer.signed_in:
        remember_language(viewer.account_id, language)
    return RedirectResponse(safe_next(form.next.data), status_code=303)


@routes.get("/login", permission=PUBLIC)
def login_page(request: Request, viewer):
    """The login form."""
    if viewer.signed_in:
        return RedirectResponse("/", status_code=303)
    return no_store(
        render(
            request,
            "accounts/login.html",
            {
                "form": LoginForm(),
                "next": safe_next(request.query_params.get("next")),
                "error": None,
                "expired": request.query_params.get("expired") == "1",
                "signed_out": request.query_params.get("signed_out") == "1",
            },
        )
    )


@routes.post("/login", permission=PUBLIC)
def login(request: Request, viewer):
    """Check username and password; one generic message for every failure.

    Every attempt is counted before its password is checked (models/accounts/login.py,
    models/accounts/throttle.py): after five failures for a username, or twenty for a client
    address, that username or address waits (30 seconds, doubling up to 15 minutes); the
    counters live in the database. When links were made for the person since they were last
    told, the page that tells them comes first."""
    form = bind(LoginForm, request)
    next_url = safe_next(form.next.data)
    error, status = _("Your username or password is not right."), 400
    if form.validate():
        username = form.username.data.strip().lower()
        keys = throttle_keys(username, request.client.host if request.client else None)
        result = log_in(username, form.password.data, keys, request.session.get("sid"))
        if result.key is not None:
            remember_session(request, result.key, result.account.language)
            if result.notices:
                next_url = "/account/links-made?next=" + quote(next_url, safe="/")
            elif _asks_share(result.account):
                # Issue 22: the one consent question, once, after the person gave an answer.
                next_url = "/my-path/share?next=" + quote(next_url, safe="/")
            return RedirectResponse(next_url, status_code=303)
        if result.wait:
            error, status = wait_message(result.wait), 429
    return no_store(
        render(
            request,
            "accounts/login.html",
            {"form": form, "next": next_url, "error": error},
            status_code=status,
        )
    )


def _asks_share(account) -> bool:
    """Whether to ask, once, whether the coordinators may know the person's answer."""
    if account.person_id is None:
        return False
    person = Person.get_or_none(Person.id == account.person_id)
    return asks_share(person, held=account.background_held)


@routes.post("/logout", permission=SIGNED_IN)
def logout(request: Request, viewer):
    """Sign out of this browser."""
    log_out(request.session.get("sid"))
    forget_session(request)
    return RedirectResponse("/", status_code=303)
