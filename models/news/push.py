"""News on a phone without email (issue 21.4): Web Push with VAPID.

A person allows Tafel to notify a phone (or a browser) on the page /news/phone; the browser's
push service gives an address (`endpoint`) and two keys, stored as a `PushSubscription`. The
job `news.push` sends each person with news not yet pushed ONE message per run, to each of
their phones. The message is always the same sentence, "Er is nieuws voor je in Tafel" (in
the person's language) and the news page's address: never a name, a proposal's text or
anything about health. What happened is read on the news page, behind the login.

Exactly once: the news lines are claimed (`pushed_at` set, `UPDATE … WHERE pushed_at IS
NULL`) in their own transaction before anything is sent, so a second worker finds nothing
left to claim. A message the push service could not take for a passing reason (no answer, a
5xx, 429) is unclaimed again and tried on the next run; a phone the push service says is
gone (404, 410) is forgotten; any other refusal is logged and not tried again.

The VAPID key and the addresses come from the installation's settings (webapp/settings.py):
the web app calls `configure` when it starts, and so does `tafel jobs run`. Without it the
job sends nothing (and claims nothing).
"""

import json
import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

from peewee import fn

from models.accounts.tables import Account
from models.db import database
from models.jobs import job
from models.news.tables import NewsItem, PushSubscription
from models.rules.errors import RuleError
from models.words import Text

log = logging.getLogger("tafel.push")

# The one message a push carries, by language: what happened is only on the news page.
MESSAGES = {
    "nl": "Er is nieuws voor je in Tafel",
    "en": "There is news for you in Tafel",
}
# The push services of the browsers people use (Chrome, Firefox, Safari, Edge). In production
# Tafel sends only there: an endpoint is an address a browser hands over, and Tafel must not be
# made to post to an address of someone's choosing (a server inside the network).
PUSH_SERVICES = (
    "fcm.googleapis.com android.googleapis.com updates.push.services.mozilla.com "
    "push.services.mozilla.com web.push.apple.com notify.windows.com"
).split()
# How many people one run sends to (the next run goes on); how long the push service keeps
# a message for a phone that is off (a day: after that the news page says it anyway).
PEOPLE_PER_RUN = 200
TIME_TO_LIVE = 24 * 3600
TIMEOUT_SECONDS = 10
# Phones one person may register (a phone, a tablet, a computer or two).
MAX_PER_PERSON = 10


@dataclass(frozen=True)
class PushSettings:
    """What sending needs: the VAPID private key (the raw 32-byte key, base64url), the
    public key browsers subscribe with (base64url, uncompressed point), the contact the push
    services see (`subject`: an https: address or mailto:), the news page's full address, and
    whether any http(s) endpoint is allowed (development and tests) or only PUSH_SERVICES."""

    private_key: str
    public_key: str
    subject: str
    news_url: str
    any_endpoint: bool = False


_settings: PushSettings | None = None


def configure(settings: PushSettings | None) -> None:
    """Set (or clear, with None) what the push job sends with."""
    global _settings
    _settings = settings


def configured() -> PushSettings | None:
    return _settings


class PushError(RuleError):
    """A subscription that cannot be stored; the message says why."""


BAD_ENDPOINT = Text(
    "This browser gave an address for push messages that Tafel does not send to. "
    "Nothing was stored."
)
TOO_MANY = Text(
    "You already get messages on ten phones or browsers. Stop one of them first. "
    "Nothing was stored."
)


def endpoint_allowed(endpoint: str, any_endpoint: bool) -> bool:
    """Whether Tafel may send to this address: https at a known push service (any http(s)
    address outside production)."""
    # One reading only: urllib3, which sends the message, ends the host at a backslash where
    # urlsplit does not ("https://127.0.0.1\@fcm.googleapis.com/" would go to 127.0.0.1), so
    # an address with a backslash, a space or a control character, or with a user part, is
    # refused before either reads it.
    if not endpoint.isascii() or any(
        c == "\\" or not c.isprintable() or c.isspace() for c in endpoint
    ):
        return False
    try:
        parts = urlsplit(endpoint)
    except ValueError:
        return False
    host = (parts.hostname or "").lower()
    if not host or len(endpoint) > 500 or "@" in parts.netloc:
        return False
    if any_endpoint:
        return parts.scheme in ("http", "https")
    return parts.scheme == "https" and any(
        host == service or host.endswith("." + service) for service in PUSH_SERVICES
    )


def subscribe(person_id: int, endpoint: str, p256dh: str, auth: str) -> PushSubscription:
    """Store a phone for the person (one transaction). The same endpoint again replaces the
    earlier one (a browser subscribes again with new keys; it may pass to another person on a
    shared computer). PushError when the address is not a push service's or the person has
    MAX_PER_PERSON phones already."""
    settings = _settings
    if not endpoint_allowed(endpoint, settings.any_endpoint if settings else False):
        raise PushError(BAD_ENDPOINT)
    with database.atomic():
        PushSubscription.delete().where(PushSubscription.endpoint == endpoint).execute()
        count = PushSubscription.select().where(PushSubscription.person == person_id).count()
        if count >= MAX_PER_PERSON:
            raise PushError(TOO_MANY)
        return PushSubscription.create(
            person=person_id, endpoint=endpoint, p256dh=p256dh, auth=auth
        )


def unsubscribe(person_id: int, subscription_id: int) -> bool:
    """Forget one of the person's phones; False when it was not theirs or gone already."""
    with database.atomic():
        return bool(
            PushSubscription.delete()
            .where(
                (PushSubscription.id == subscription_id) & (PushSubscription.person == person_id)
            )
            .execute()
        )


def phones_of(person_id: int) -> list[PushSubscription]:
    """The person's phones, oldest first (one query; at most MAX_PER_PERSON)."""
    return list(
        PushSubscription.select()
        .where(PushSubscription.person == person_id)
        .order_by(PushSubscription.created_at, PushSubscription.id)
        .limit(MAX_PER_PERSON)
    )


# --- the job ------------------------------------------------------------------------------


def waiting_people(limit: int = PEOPLE_PER_RUN) -> list[int]:
    """People with a phone and news that is neither read nor pushed (one query)."""
    pending = NewsItem.select(NewsItem.id).where(
        (NewsItem.person == PushSubscription.person)
        & NewsItem.pushed_at.is_null()
        & NewsItem.read_at.is_null()
    )
    query = (
        PushSubscription.select(PushSubscription.person)
        .where(fn.EXISTS(pending))
        .group_by(PushSubscription.person)
        .order_by(PushSubscription.person)
        .limit(limit)
    )
    return [row.person_id for row in query]


def claim(person_id: int, moment) -> bool:
    """Claim the person's news to push (one transaction): True when this run has to send.
    A second worker's UPDATE finds the lines claimed already (on PostgreSQL it waits for the
    first one's commit and then matches no row; SQLite runs the two one after the other)."""
    with database.atomic():
        claimed = (
            NewsItem.update(pushed_at=moment)
            .where(
                (NewsItem.person == person_id)
                & NewsItem.pushed_at.is_null()
                & NewsItem.read_at.is_null()
            )
            .execute()
        )
    return claimed > 0


def unclaim(person_id: int, moment) -> None:
    """Give the claimed lines back to the next run (nothing reached any of the phones)."""
    with database.atomic():
        NewsItem.update(pushed_at=None).where(
            (NewsItem.person == person_id) & (NewsItem.pushed_at == moment)
        ).execute()


def forget_phone(subscription_id: int) -> None:
    """The push service says the phone is gone (404, 410): stop sending to it."""
    with database.atomic():
        PushSubscription.delete().where(PushSubscription.id == subscription_id).execute()


def message_for(language: str | None, settings: PushSettings) -> str:
    """The push's payload: the one sentence in the person's language and the news page."""
    text = MESSAGES.get((language or "nl")[:2], MESSAGES["nl"])
    return json.dumps({"title": "Tafel", "body": text, "url": settings.news_url})


def send_one(subscription: PushSubscription, payload: str, settings: PushSettings) -> str:
    """Send one message to one phone: "sent", "gone" (404/410: forget it), "refused" (another
    4xx: not again) or "failed" (no answer, 408, 429, 5xx: the next run tries again)."""
    # pywebpush (and requests) are loaded when a message is sent, not with every command.
    from pywebpush import WebPushException, webpush

    try:
        webpush(
            subscription_info={
                "endpoint": subscription.endpoint,
                "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
            },
            data=payload,
            vapid_private_key=settings.private_key,
            vapid_claims={"sub": settings.subject},
            ttl=TIME_TO_LIVE,
            timeout=TIMEOUT_SECONDS,
        )
    except WebPushException as error:
        status = getattr(error.response, "status_code", None)
        if status in (404, 410):
            return "gone"
        log.warning("push not taken: %s", status or "no answer")
        # Another refusal (400, 403: a key that does not match, 413) will not change by
        # trying again every few seconds: the phone stays, the news is not sent again.
        # No answer, too many requests or the service's own trouble: the next run tries.
        if status is not None and 400 <= status < 500 and status not in (408, 429):
            return "refused"
        return "failed"
    except Exception as error:  # noqa: BLE001 - a bad key or address must not stop the run
        log.warning("push not sent: %s", type(error).__name__)
        return "failed"
    return "sent"


@job("news.push")
def push_news(moment) -> int:
    """Send one message to each person with news not pushed yet; how many people got one."""
    settings = _settings
    if settings is None:
        return 0
    sent = 0
    for person_id in waiting_people():
        if not claim(person_id, moment):
            continue  # another worker was first
        language = Account.select(Account.language).where(Account.person == person_id).scalar()
        payload = message_for(language, settings)
        outcomes = []
        for phone in phones_of(person_id):
            outcome = send_one(phone, payload, settings)
            if outcome == "gone":
                forget_phone(phone.id)
            outcomes.append(outcome)
        if "sent" in outcomes:
            sent += 1
        elif "failed" in outcomes:
            unclaim(person_id, moment)  # no phone took it: the next run tries again
    return sent
