"""Signing in and out, and the language switch."""

from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse

from models.accounts import Account
from models.accounts.links import take_link_notices
from models.accounts.passwords import dummy_hash, verify_password
from models.accounts.throttle import (
    attempt_succeeded,
    reserve_attempt,
    seconds_to_wait,
    throttle_keys,
)
from models.db import database
from webapp.access import PUBLIC, SIGNED_IN, Routes, end_session, start_session
from webapp.accounts.forms import LanguageForm, LoginForm
from webapp.accounts.words import wait_message
from webapp.forms import bind, safe_next
from webapp.i18n import _, pick_language
from webapp.templating import render

routes = Routes()


@routes.post("/language", rule=PUBLIC)
def choose_language(request: Request, viewer):
    """Switch to another available language; remembered for the account too."""
    form = bind(LanguageForm, request)
    language = pick_language(form.language.data)
    request.session["lang"] = language
    if viewer.signed_in:
        with database.atomic():
            Account.choose_language(viewer.account_id, language)
    return RedirectResponse(safe_next(form.next.data), status_code=303)


@routes.get("/login", rule=PUBLIC)
def login_page(request: Request, viewer):
    """The login form."""
    if viewer.signed_in:
        return RedirectResponse("/", status_code=303)
    return render(
        request,
        "accounts/login.html",
        {
            "form": LoginForm(),
            "next": safe_next(request.query_params.get("next")),
            "error": None,
            "expired": request.query_params.get("expired") == "1",
        },
    )


def _signed_in(request: Request, account: Account, new_hash: str | None, attempt) -> bool:
    """A good password: note the login (and a fresh hash), give the counted attempt back,
    new session. True when links were made for the person since they were last told: the
    session carries their ids to the page that tells them, once."""
    with database.atomic():
        account.note_login(new_hash)
        attempt_succeeded(attempt)
        notices = take_link_notices(account.person_id)
        start_session(request, account)
    if notices:
        request.session["link_notice"] = notices
    return bool(notices)


@routes.post("/login", rule=PUBLIC)
def login(request: Request, viewer):
    """Check username and password; one generic message for every failure.

    Every attempt is counted before its password is checked (models/accounts/throttle.py):
    after five failures for a username, or twenty for a client address, that username or
    address waits (30 seconds, doubling up to 15 minutes); the counters live in the
    database."""
    form = bind(LoginForm, request)
    next_url = safe_next(form.next.data)
    error, status = _("Your username or password is not right."), 400
    if form.validate():
        username = form.username.data.strip().lower()
        keys = throttle_keys(username, request.client.host if request.client else None)
        with database.atomic():
            wait, attempt = reserve_attempt(keys)
        if wait:
            error, status = wait_message(wait), 429
        else:
            account = Account.by_username(username)
            ok, new_hash = verify_password(
                form.password.data, account.password_hash if account else dummy_hash()
            )
            if account is not None and ok:
                if _signed_in(request, account, new_hash, attempt):
                    next_url = "/account/links-made?next=" + quote(next_url, safe="/")
                return RedirectResponse(next_url, status_code=303)
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
