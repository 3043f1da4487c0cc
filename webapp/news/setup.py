"""What the push job sends with (models/news/push.py), from the installation's settings: the
web app sets it when it starts, and `tafel jobs run` before it runs the jobs."""

import base64

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from models.news import push
from webapp.settings import Settings


def public_key(private_key: str) -> str:
    """The VAPID public key browsers subscribe with: the uncompressed P-256 point, base64url
    without padding (the `applicationServerKey` of the Push API)."""
    raw = base64.urlsafe_b64decode(private_key + "=" * (-len(private_key) % 4))
    key = ec.derive_private_key(int.from_bytes(raw, "big"), ec.SECP256R1())
    point = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return base64.urlsafe_b64encode(point).rstrip(b"=").decode()


def configure_push(settings: Settings) -> push.PushSettings | None:
    """Hand the push job its key and addresses; the push services see the installation's
    address as its contact (VAPID's `sub`). Without a key (production without
    TAFEL_VAPID_PRIVATE_KEY) messages to phones are off: the job sends nothing."""
    if not settings.vapid_private_key:
        push.configure(None)
        return None
    configured = push.PushSettings(
        private_key=settings.vapid_private_key,
        public_key=public_key(settings.vapid_private_key),
        subject=settings.public_url
        if settings.public_url.startswith("https:")
        else f"mailto:tafel@{_host(settings.public_url)}",
        news_url=settings.public_url + "/news",
        any_endpoint=not settings.production,
    )
    push.configure(configured)
    return configured


def _host(url: str) -> str:
    return url.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "localhost"
