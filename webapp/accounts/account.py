"""My account: my password, my calendar address, my data (as a file and as a page to read
and print), and asking to be removed."""

import json
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse

from models.accounts.calendar_feed import make_feed
from models.accounts.links import answer_notice, link_notices
from models.accounts.passwords import change_password, is_password_of
from models.accounts.tables import Account, CalendarFeed
from models.clock import now
from models.records.privacy import personal_data, readable_names
from models.records.removal import ask_removal
from models.rules.errors import RuleError
from webapp.access import SIGNED_IN, Routes, forget_session
from webapp.accounts.forms import ChangePasswordForm, NoticeAnswerForm
from webapp.accounts.words import my_data_words, refusal
from webapp.forms import bind, safe_next
from webapp.i18n import _
from webapp.templating import file_download, render

routes = Routes()


def _page(request: Request, account, form=None, message=None, status_code=200, feed_url=None):
    context = {
        "account": account,
        "form": form or ChangePasswordForm(),
        "message": message,
        "feed": CalendarFeed.of_account(account.id),
        "feed_url": feed_url,
    }
    return render(request, "accounts/account.html", context, status_code=status_code)


@routes.get("/account", permission=SIGNED_IN)
def my_account(request: Request, viewer):
    """My account: password, language, my data, removal."""
    message = _("Your password is changed.") if request.query_params.get("changed") else None
    return _page(request, Account.with_person(viewer.account_id), message=message)


@routes.post("/account/password", permission=SIGNED_IN)
def change_password_route(request: Request, viewer):
    form = bind(ChangePasswordForm, request)
    account = Account.with_person(viewer.account_id)
    valid = form.validate()
    if valid and not is_password_of(account, form.current.data):
        form.current.errors = [_("This is not your password now. Try again.")]
        valid = False
    if not valid:
        return _page(request, account, form, status_code=400)
    # Other browsers signed in as this person are signed out.
    change_password(account, form.password.data, keep_session=viewer.session_id)
    return RedirectResponse("/account?changed=1", status_code=303)


@routes.post("/account/calendar", permission=SIGNED_IN)
def make_calendar_address(request: Request, viewer):
    """A new private calendar address; an earlier one stops working. Only its hash is kept,
    so the address is shown on this answer only (not through a redirect, which would have
    to carry it in the session cookie)."""
    account = Account.with_person(viewer.account_id)
    token = make_feed(account)
    url = f"{request.app.state.settings.public_url}/feed/{token}/tafel.ics"
    return _page(request, account, feed_url=url)


HELD_FILE_NOTE = (
    "This account was opened or given a new password with a link that someone else made. "
    "Your data is in this file once you took the account back."
)


@routes.get("/account/download", permission=SIGNED_IN)
def download(request: Request, viewer):
    """My data as a JSON file; held back while someone else's link holds the account (issue
    19: the maker may not see it), so the file then holds only that note."""
    if viewer.acts_for:
        body = json.dumps({"held": HELD_FILE_NOTE}, ensure_ascii=False, indent=2)
        return file_download(body, "mijn-gegevens-tafel.json", "application/json")
    data = personal_data(viewer.person_id, viewer.background_held)
    body = json.dumps(data, default=str, ensure_ascii=False, indent=2)
    return file_download(body, "mijn-gegevens-tafel.json", "application/json")


@routes.get("/account/my-data", permission=SIGNED_IN)
def my_data_page(request: Request, viewer):
    """My data as a page in plain words, to read or print: the same as the file. It is one
    person's data, so all of it shows (in a fixed number of queries). My own client-background
    answer shows to me (unless my account waits for me to give it again). Held back, with
    the signals I sent without my name, while someone else's link holds the account."""
    if viewer.acts_for:
        return render(request, "accounts/my_data_held.html", {})
    data = personal_data(viewer.person_id, viewer.background_held)
    context = {"data": data, "made_at": now(), **readable_names(), **my_data_words()}
    return render(request, "accounts/my_data.html", context)


@routes.post("/account/removal", permission=SIGNED_IN)
def ask_removal_route(request: Request, viewer):
    """Ask a coordinator to remove me."""
    ask_removal(viewer.account_id, viewer.person_id)
    return RedirectResponse("/account", status_code=303)


def _notices_page(request: Request, viewer, next_url: str, error=None, status_code=200):
    context = {"notices": link_notices(viewer.person_id), "next": next_url, "error": error}
    return render(request, "accounts/links_made.html", context, status_code=status_code)


@routes.get("/account/links-made", permission=SIGNED_IN)
def links_made(request: Request, viewer):
    """Shown after every login until I answer: the links made for me, by whom and when
    (whoever holds a link can use it, so I should know), each with "I used this link myself"
    and "This was not me"."""
    return _notices_page(request, viewer, safe_next(request.query_params.get("next")))


@routes.post("/account/links-made", permission=SIGNED_IN)
def answer_link_notice(request: Request, viewer):
    """My answer to one notice. "This was not me" signs this account out everywhere, this
    browser too, and tells the holders of the privacy and admin rights."""
    form = bind(NoticeAnswerForm, request)
    next_url = safe_next(form.next.data)
    try:
        answer = answer_notice(viewer, form.link_id(), form.answer.data or "")
    except RuleError as err:
        return _notices_page(request, viewer, next_url, refusal(err), status_code=400)
    if answer == "not_me":
        forget_session(request)
        return RedirectResponse("/login?signed_out=1", status_code=303)
    if link_notices(viewer.person_id):
        return RedirectResponse("/account/links-made?next=" + quote(next_url, safe="/"), 303)
    return RedirectResponse(next_url, status_code=303)
