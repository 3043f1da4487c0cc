"""Access to the news area's routes: the news page, the phone page, the manifest and the
service worker. Everyone signed in has their own news and phones (and sees no one else's)."""

OK, LOGIN, NONE = "ok", "login", 404

#            anonymous, member, coordinator, other project's member
ACCESS = {
    "GET /news": (LOGIN, OK, OK, OK),
    "GET /news/phone": (LOGIN, OK, OK, OK),
    "POST /news/phone": (LOGIN, OK, OK, OK),
    # Only one's own phone stops; someone else's is not found (the member's phone here).
    "POST /news/phone/{phone_id:int}/stop": (LOGIN, OK, NONE, NONE),
    "GET /manifest.webmanifest": (OK, OK, OK, OK),
    "GET /push-worker.js": (OK, OK, OK, OK),
}


def phone_id():
    """A phone of the member's (Anouk's), added afresh."""
    from models.news.tables import PushSubscription
    from models.person import Person

    anouk = Person.get(Person.display_name == "Anouk B.")
    count = PushSubscription.select().count()
    return PushSubscription.create(
        person=anouk, endpoint=f"https://push.example/{count}", p256dh="k", auth="a"
    ).id


PARAMS = {"phone_id": phone_id}
