"""Access to the news area's routes: the news page, the phone page, the manifest and the
service worker. Everyone signed in has their own news and phones (and sees no one else's)."""

OK, LOGIN = "ok", "login"

#            anonymous, member, coordinator, other project's member
ACCESS = {
    "GET /news": (LOGIN, OK, OK, OK),
    "GET /news/phone": (LOGIN, OK, OK, OK),
    "POST /news/phone": (LOGIN, OK, OK, OK),
    # Only one's own phone stops; someone else's id changes nothing (tests/news).
    "POST /news/phone/{phone_id:int}/stop": (LOGIN, OK, OK, OK),
    "GET /manifest.webmanifest": (OK, OK, OK, OK),
    "GET /push-worker.js": (OK, OK, OK, OK),
}

PARAMS = {"phone_id": lambda: 1}
