"""News on a phone (issue 21.4): the page where a person allows Tafel to notify their phone,
the web app manifest (so Tafel can be put on the home screen) and the service worker that
shows the push message. The page works without JavaScript: it then says that the push needs
it, and lists and stops the phones that get messages."""

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse

from models.news import push
from models.organisation import Organisation
from webapp.access import PUBLIC, SIGNED_IN, Routes, url_id
from webapp.forms import bind
from webapp.i18n import gettext
from webapp.news.forms import PhoneForm
from webapp.static import STATIC, static_url
from webapp.templating import render

routes = Routes()


def show_phone(request: Request, viewer, form=None, error: str = "", status_code=200):
    settings = push.configured()
    return render(
        request,
        "news/phone.html",
        {
            "form": form or PhoneForm(),
            "phones": push.phones_of(viewer.person_id),
            "public_key": settings.public_key if settings else "",
            "error": error,
        },
        status_code=status_code,
    )


@routes.get("/news/phone", permission=SIGNED_IN)
def phone(request: Request, viewer):
    """Allow Tafel to notify this phone; the phones that get messages, each with a stop."""
    return show_phone(request, viewer)


@routes.post("/news/phone", permission=SIGNED_IN)
def phone_add(request: Request, viewer):
    """Store the browser's push address and keys (the page's script posts them)."""
    form = bind(PhoneForm, request)
    if not form.validate():
        return show_phone(request, viewer, form=form, status_code=400)
    try:
        push.subscribe(viewer.person_id, form.endpoint.data, form.p256dh.data, form.auth.data)
    except push.PushError as error:
        message = gettext(error.template, **error.params)
        return show_phone(request, viewer, form=form, error=message, status_code=400)
    return RedirectResponse("/news/phone?added=1", status_code=303)


@routes.post("/news/phone/{phone_id:int}/stop", permission=SIGNED_IN)
def phone_stop(request: Request, viewer):
    """Stop messages to one of the person's own phones (someone else's is not found)."""
    if not push.unsubscribe(viewer.person_id, url_id(request, "phone_id")):
        raise HTTPException(404)
    return RedirectResponse("/news/phone", status_code=303)


@routes.get("/manifest.webmanifest", permission=PUBLIC)
def manifest(request: Request, viewer):
    """The web app manifest: Tafel on the home screen of a phone, opening the start page."""
    name = Organisation.current().name or "Tafel"
    body = {
        "name": f"Tafel · {name}" if name != "Tafel" else "Tafel",
        "short_name": "Tafel",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b5d6b",
        "lang": "nl",
        "icons": [
            {"src": static_url("icons/tafel-192.png"), "sizes": "192x192", "type": "image/png",
             "purpose": "any maskable"},
            {"src": static_url("icons/tafel-512.png"), "sizes": "512x512", "type": "image/png",
             "purpose": "any maskable"},
            {"src": static_url("favicon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }  # fmt: skip
    return JSONResponse(
        body,
        media_type="application/manifest+json",
        headers={"Cache-Control": "public, max-age=3600"},
    )


@routes.get("/push-worker.js", permission=PUBLIC)
def push_worker(request: Request, viewer):
    """The service worker, at the top of the site so that its scope is the whole of Tafel;
    browsers check it again on every visit (no-cache), so a new version reaches them."""
    return FileResponse(
        STATIC / "js" / "push-worker.js",
        media_type="text/javascript",
        headers={"Cache-Control": "no-cache", "Service-Worker-Allowed": "/"},
    )
