"""My account: my password, my calendar address, my data (as a file and as a page to read
and print), and asking to be removed."""

import json

from starlette.requests import Request
from starlette.responses import RedirectResponse

from models.accounts.calendar_feed import make_feed
from models.accounts.links import link_notices
from models.accounts.passwords import change_password, is_password_of
from models.accounts.tables import Account, CalendarFeed
from models.clock import now
from models.records.privacy import personal_data, readable_names
from models.records.removal import ask_removal
from webapp.access import SIGNED_IN, Routes
from webapp.accounts.forms import ChangePasswordForm
from webapp.accounts.words import my_data_words
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


@routes.get("/account", rule=SIGNED_IN)
def my_account(request: Request, viewer):
    """My account: password, language, my data, removal."""
    message = _("Your password is changed.") if request.query_params.get("changed") else None
    return _page(request, Account.with_person(viewer.account_id), message=message)


@routes.post("/account/password", rule=SIGNED_IN)
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


@routes.post("/account/calendar", rule=SIGNED_IN)
def make_calendar_address(request: Request, viewer):
    """A new private calendar address; an earlier one stops working. Only its hash is kept,
    so the address is shown on this answer only (not through a redirect, which would have
    to carry it in the session cookie)."""
    account = Account.with_person(viewer.account_id)
    token = make_feed(account)
    url = f"{request.app.state.settings.public_url}/feed/{token}/tafel.ics"
    return _page(request, account, feed_url=url)


@routes.get("/account/download", rule=SIGNED_IN)
def download(request: Request, viewer):
    """My data as a JSON file."""
    data = personal_data(viewer.person_id, viewer.background_held)
    body = json.dumps(data, default=str, ensure_ascii=False, indent=2)
    return file_download(body, "mijn-gegevens-tafel.json", "application/json")


@routes.get("/account/my-data", rule=SIGNED_IN)
def my_data_page(request: Request, viewer):
    """My data as a page in plain words, to read or print: the same as the file. It is one
    person's data, so all of it shows (in a fixed number of queries). My own client-background
    answer shows to me (unless my account waits for me to give it again)."""
    data = personal_data(viewer.person_id, viewer.background_held)
    context = {"data": data, "made_at": now(), **readable_names(), **my_data_words()}
    return render(request, "accounts/my_data.html", context)


@routes.post("/account/removal", rule=SIGNED_IN)
def ask_removal_route(request: Request, viewer):
    """Ask a coordinator to remove me."""
    ask_removal(viewer.account_id, viewer.person_id)
    return RedirectResponse("/account", status_code=303)


@routes.get("/account/links-made", rule=SIGNED_IN)
def links_made(request: Request, viewer):
    """Told once, after logging in: the links made for me since I last logged in, by whom
    and when (whoever holds a link can use it, so I should know)."""
    notices = link_notices(viewer.person_id, request.session.pop("link_notice", None) or [])
    context = {"notices": notices, "next": safe_next(request.query_params.get("next"))}
    return render(request, "accounts/links_made.html", context)
