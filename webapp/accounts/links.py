"""Invite and new-password links: making one, its printable slip, and using it (welcome)."""

import segno
from starlette.requests import Request
from starlette.responses import RedirectResponse

from models.accounts.links import link_url, open_link
from models.accounts.tables import AccessLink
from models.records.links import hand_out_link, invitable_people
from models.rules.errors import RuleError
from webapp.access import ANY_COORDINATOR, PUBLIC, Permission, Routes, remember_session, url_id
from webapp.accounts.forms import LinkForm, NamedAccountForm, NewAccountForm, ResetForm
from webapp.accounts.words import refusal
from webapp.core.caching import no_store
from webapp.forms import bind, search_text
from webapp.i18n import _
from webapp.templating import render

routes = Routes()


def _links_page(request, viewer, form, status=200):
    """The form; whom it is for is found by a name search among the people the viewer may
    make links for, each with whether they have an account (htmx: block person_choices)."""
    matches = invitable_people(viewer, search=form.q.data or "")
    notes = {p.id: _("has an account") if p.has_account else _("no account yet") for p in matches}
    context = {"form": form, "matches": matches, "notes": notes}
    return render(
        request, "accounts/links.html", context, status_code=status, block="person_choices"
    )


@routes.get("/accounts/links", permission=ANY_COORDINATOR)
def links_page(request: Request, viewer):
    """Make an invite or a new-password link for someone: first search for their name."""
    form = LinkForm(data={"q": search_text(request.query_params.get("q"), 80)})
    return _links_page(request, viewer, form)


@routes.post("/accounts/links", permission=ANY_COORDINATOR)
def make_link_route(request: Request, viewer):
    """Make the link for the person chosen, when the viewer may make one for them."""
    form = bind(LinkForm, request)
    if not form.validate():
        return _links_page(request, viewer, form, status=400)
    try:
        link, token = hand_out_link(viewer, form.person.data)
    except RuleError:
        form.person.errors = [_("Search for a name and choose one of the names.")]
        return _links_page(request, viewer, form, status=400)
    request.session["new_link"] = {"id": link.id, "token": token}
    return RedirectResponse(f"/accounts/links/{link.id}", status_code=303)


def _link_and_maker(request: Request) -> int | None:
    """Load the link of the URL once (handed to the handler as `request.state.target`);
    the rule checks its maker's account id (0: made by a command). None: no such link."""
    link = AccessLink.with_person(url_id(request, "link_id"))
    if link is None:
        return None
    request.state.target = link
    return link.created_by_id or 0


def _sees_link(viewer, maker: int) -> bool:
    """Who a link was made for is seen by its maker and those who may make every link."""
    if viewer.is_admin or viewer.is_org_coordinator:
        return True
    return viewer.is_any_coordinator and maker == viewer.account_id


LINK_VIEWER = Permission(
    "the link's maker or an organisation coordinator", _sees_link, _link_and_maker
)


@routes.get("/accounts/links/{link_id:int}", permission=LINK_VIEWER)
def link_slip(request: Request, viewer):
    """The link on screen and on a printable slip with a QR code (shown to its maker only,
    once: the token leaves the session cookie as soon as the slip is shown). The address
    starts with TAFEL_BASE_URL, never with the Host header the request brought."""
    link = request.state.target
    stored = request.session.get("new_link") or {}
    url = qr = None
    if stored.get("id") == link.id:
        request.session.pop("new_link")
    if stored.get("id") == link.id and link.usable:
        url = link_url(request.app.state.settings.public_url, stored["token"])
        qr = segno.make(url, error="m").svg_data_uri(scale=4, border=2)
    return render(request, "accounts/slip.html", {"link": link, "url": url, "qr": qr})


def _gone(request: Request, link=None):
    """The link does not work: used, too old, or (`link` given) waiting for a second
    administrator to approve it."""
    waiting = link is not None and link.waits_for_approval
    return no_store(
        render(request, "accounts/link_gone.html", {"waiting": waiting}, status_code=404)
    )


@routes.get("/welcome/{token}", permission=PUBLIC)
def welcome_page(request: Request, viewer):
    """Opening an invite or reset link: choose a username (invite) and a password."""
    link = AccessLink.find(request.path_params["token"])
    if link is None or link.waits_for_approval:
        return _gone(request, link)
    form = _welcome_form(link)()
    return no_store(render(request, "accounts/welcome.html", {"link": link, "form": form}))


def _welcome_form(link):
    """An invite asks a username (and, for someone without a name yet, their name); a
    new-password link only the password."""
    if link.kind != "invite":
        return ResetForm
    return NamedAccountForm if link.asks_name else NewAccountForm


@routes.post("/welcome/{token}", permission=PUBLIC)
def welcome(request: Request, viewer):
    link = AccessLink.find(request.path_params["token"])
    if link is None or link.waits_for_approval:
        return _gone(request, link)
    form = bind(_welcome_form(link), request)
    if not form.validate():
        return no_store(
            render(request, "accounts/welcome.html", {"link": link, "form": form}, status_code=400)
        )
    username = form.username.data if link.kind == "invite" else ""
    name = form.name.data if isinstance(form, NamedAccountForm) else ""
    language = request.session.get("lang") or "nl"
    try:
        opened = open_link(
            link, form.password.data, username, language, request.session.get("sid"), name
        )
    except RuleError as err:  # the name taken meanwhile
        form.name.errors = [refusal(err)]
        return no_store(
            render(request, "accounts/welcome.html", {"link": link, "form": form}, status_code=400)
        )
    if opened is None:
        return _gone(request)
    account, key = opened
    remember_session(request, key, account.language or language)
    return RedirectResponse("/", status_code=303)
