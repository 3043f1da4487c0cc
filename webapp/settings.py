"""Settings read from the environment, with safe defaults for a single small installation."""

import base64
import contextlib
import os
import secrets
import socket
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from models import tenancy
from models.budget import receipt_store
from models.private_files import private_folder

ROOT = Path(__file__).resolve().parent.parent

# Where a development installation is reached when TAFEL_BASE_URL is unset (`make run`).
DEFAULT_BASE_URL = "http://127.0.0.1:8000"
ENVIRONMENTS = ("development", "production")
# A session ends this long after logging in, however active (two weeks).
DEFAULT_SESSION_MAX_HOURS = 24 * 14

# Every setting Tafel reads, with its meaning; the README's configuration table mirrors it
# (a test checks that each one is documented there).
DOCUMENTED = {
    "DATABASE_URL": "sqlite:///data/tafel.db, or postgresql://user@host:5432/name",
    "TAFEL_SECRET_KEY": "signs session cookies; required in production (every host the same); "
    "in development generated once into the data folder when unset",
    "TAFEL_DATA_DIR": "folder for the SQLite file and, in development, the generated key",
    "TAFEL_RECEIPTS": "where uploaded receipts are kept: database (default) or s3://bucket/prefix "
    "(with AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION, AWS_ENDPOINT_URL)",
    "TAFEL_ENV": "production (refuses demo accounts, needs TAFEL_BASE_URL) or development",
    "TAFEL_SESSION_IDLE_MINUTES": "minutes without activity before a session ends (default 240)",
    "TAFEL_SESSION_MAX_HOURS": "hours after logging in that a session ends anyway (default 336)",
    "TAFEL_HTTPS": "1 marks cookies Secure; set it when Tafel is served over https",
    "TAFEL_BASE_URL": "the address people use to reach Tafel, for invite slips and links "
    "(in development it follows the address served when unset)",
    "TAFEL_JOBS": "seconds between runs of the background jobs in each server process "
    "(default 20; 0 turns them off there, for example when cron runs `tafel jobs run`)",
    "TAFEL_VAPID_PRIVATE_KEY": "the key that signs push messages to phones (Web Push, VAPID: "
    "the raw P-256 private key, base64url); development makes one into the data folder, "
    "production without it has messages to phones off",
    "TAFEL_MIGRATE_DATABASE_URL": "PostgreSQL: the owner's address, for migrations; the app's "
    "DATABASE_URL role then owns nothing and is kept to one organisation (docs/federation.md)",
    "TAFEL_ORG": "the host name of the organisation a command works for (as `--org HOST`)",
    "PORT": "the port `make run` serves on (default 8000)",
    "HOST": "the address `make run` listens on (default 127.0.0.1; 0.0.0.0 for the network)",
}


@dataclass(frozen=True)
class Settings:
    """The installation's settings; build them with `Settings.from_env()`."""

    database_url: str
    secret_key: str
    data_dir: Path
    env: str = "development"
    session_idle_minutes: int = 240
    session_max_hours: int = DEFAULT_SESSION_MAX_HOURS
    https: bool = False
    base_url: str = ""
    # Development only: the address `tafel serve` (or HOST/PORT) serves on.
    served_url: str = ""
    # Seconds between runs of the background jobs in each server process (0: none).
    jobs_interval: int = 20
    # Web Push (news on a phone): the VAPID private key, raw P-256, base64url.
    vapid_private_key: str = ""
    # Where receipts are kept: "database" or "s3://bucket/prefix" (models/budget/receipt_store.py).
    receipts: str = "database"
    # PostgreSQL: the owner's address for migrations (empty: DATABASE_URL migrates).
    migrate_database_url: str = ""
    # The host of the organisation a command works for (TAFEL_ORG, or `--org`).
    organisation: str = ""

    @property
    def owner_database_url(self) -> str:
        """The address that may change and read the whole database (migrations, backups):
        TAFEL_MIGRATE_DATABASE_URL, else DATABASE_URL."""
        return self.migrate_database_url or self.database_url

    @property
    def production(self) -> bool:
        """True when the installation serves real people (no demo accounts)."""
        return self.env == "production"

    @property
    def public_url(self) -> str:
        """The address people use to reach Tafel, without a trailing slash: TAFEL_BASE_URL,
        or the development default. Links on slips and in calendars start with it, never
        with the Host header a request brings (anyone can send any Host).

        In development, without TAFEL_BASE_URL, it follows the address served (`PORT=8611
        make run`, `HOST=0.0.0.0 make run`), so slips and calendar addresses work there."""
        fallback = DEFAULT_BASE_URL if self.production else (self.served_url or DEFAULT_BASE_URL)
        url = (self.base_url or fallback).rstrip("/")
        host = tenancy.current_host()
        if host:  # one organisation of several: its own host name (issue 24)
            parts = urlsplit(url)
            port = f":{parts.port}" if parts.port and not self.production else ""
            return f"{'https' if self.https else parts.scheme}://{host}{port}"
        return url

    @classmethod
    def from_env(cls, database_url: str | None = None, environ=None) -> "Settings":
        """Read the settings; `database_url` overrides DATABASE_URL (tests use it)."""
        env = os.environ if environ is None else environ
        data_dir = Path(env.get("TAFEL_DATA_DIR") or ROOT / "data").resolve()
        url = database_url or env.get("DATABASE_URL") or f"sqlite:///{data_dir / 'tafel.db'}"
        try:
            idle = int(env.get("TAFEL_SESSION_IDLE_MINUTES", "240"))
        except ValueError as exc:
            raise SettingsError("TAFEL_SESSION_IDLE_MINUTES must be a whole number.") from exc
        if idle < 1:
            raise SettingsError("TAFEL_SESSION_IDLE_MINUTES must be at least 1.")
        longest = _whole_number(env, "TAFEL_SESSION_MAX_HOURS", DEFAULT_SESSION_MAX_HOURS)
        jobs_interval = _whole_number(env, "TAFEL_JOBS", 20, smallest=0)
        kind = env.get("TAFEL_ENV") or "development"
        if kind not in ENVIRONMENTS:
            raise SettingsError(
                f"TAFEL_ENV must be production or development, not {kind!r}: "
                "an unknown value is not read as development."
            )
        production = kind == "production"
        receipts = env.get("TAFEL_RECEIPTS", "").strip() or "database"
        try:
            receipt_store.parse(receipts)
        except receipt_store.StoreError as exc:
            raise SettingsError(str(exc)) from None
        settings = cls(
            database_url=url,
            secret_key=host_key(env, "TAFEL_SECRET_KEY", data_dir, production, make=new_key),
            data_dir=data_dir,
            env=kind,
            session_idle_minutes=idle,
            session_max_hours=longest,
            https=env.get("TAFEL_HTTPS", "") in ("1", "true", "yes"),
            base_url=env.get("TAFEL_BASE_URL", "").strip(),
            served_url=env.get("TAFEL_SERVED_URL", "").strip() or served_url(env),
            jobs_interval=jobs_interval,
            vapid_private_key=vapid_key(env, data_dir, production),
            receipts=receipts,
            migrate_database_url=env.get("TAFEL_MIGRATE_DATABASE_URL", "").strip(),
            organisation=env.get("TAFEL_ORG", "").strip(),
        )
        if settings.production:
            check_production(settings)
        return settings


def served_url(env, host: str | None = None, port=None) -> str:
    """The address a development server is reached at: HOST and PORT (as `make run` takes
    them), with 0.0.0.0 (every network) read as this machine's address on the network, so a
    phone on the same network can open an invite slip's link. Empty when neither is set."""
    host = host or env.get("HOST", "")
    port = port or env.get("PORT", "")
    if not host and not port:
        return ""
    host = host or "127.0.0.1"
    if host in ("0.0.0.0", "::", ""):
        host = network_address()
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port or 8000}"


def network_address() -> str:
    """This machine's address on its network (no packet is sent), or 127.0.0.1."""
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed, only picks an interface
        return probe.getsockname()[0]
    return "127.0.0.1"


def _whole_number(env, name: str, default: int, smallest: int = 1) -> int:
    """A setting that is a whole number of at least `smallest` (`default` when unset)."""
    raw = env.get(name)
    try:
        value = default if raw is None or raw == "" else int(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be a whole number.") from exc
    if value < smallest:
        raise SettingsError(f"{name} must be at least {smallest}.")
    return value


def check_production(settings: "Settings") -> None:
    """Refuse a production installation whose address and https setting disagree."""
    scheme, _, host = settings.base_url.partition("://")
    if not settings.base_url:
        raise SettingsError(
            "TAFEL_ENV is production, so set TAFEL_BASE_URL to the address people use to "
            "reach Tafel, such as https://tafel.example.org."
        )
    if scheme not in ("http", "https") or not host.strip("/"):
        raise SettingsError(
            "TAFEL_BASE_URL must be a full address such as https://tafel.example.org."
        )
    if scheme == "https" and not settings.https:
        raise SettingsError(
            "TAFEL_BASE_URL starts with https://, so set TAFEL_HTTPS=1 as well "
            "(it keeps the session cookie on https only)."
        )
    if scheme == "http" and settings.https:
        raise SettingsError(
            "TAFEL_HTTPS is 1 but TAFEL_BASE_URL starts with http://; "
            "make TAFEL_BASE_URL start with https://."
        )


class SettingsError(ValueError):
    """A setting in the environment cannot be used; the message says how to fix it."""


def host_key(env, name: str, data_dir: Path, production: bool, make) -> str:
    """A key of the installation, the one rule for every key (issue 25, "no state on a host").

    It comes from the environment variable `name`. In production a missing one refuses the
    start: several hosts must share the same key, and a host's data folder may be read-only,
    so a host never makes its own. In development, when unset, `make()` generates it once into
    the data folder (the file is named after the variable, mode 0600) and it is read from
    there afterwards. Never a constant in code."""
    value = (env.get(name) or "").strip()
    if value:
        return value
    if production:
        raise SettingsError(
            f"TAFEL_ENV is production, so set {name}: every host must use the same one, and "
            "a production host does not make its own (docs/deploy.md)."
        )
    return stored_key(data_dir, name.lower().removeprefix("tafel_"), make)


def new_key() -> str:
    """A new random key for signing (the session cookie's)."""
    return secrets.token_urlsafe(48)


def stored_key(data_dir: Path, file_name: str, make) -> str:
    """The key kept in the data folder under `file_name`, made by `make()` the first time."""
    private_folder(data_dir)
    path = data_dir / file_name
    if not path.exists():
        with contextlib.suppress(FileExistsError):
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(make())
    return path.read_text().strip()


def vapid_key(env, data_dir: Path, production: bool) -> str:
    """The VAPID private key (Web Push): TAFEL_VAPID_PRIVATE_KEY, a P-256 private key as its
    32 raw bytes, base64url without padding (`tafel news new-push-key` prints a new one).
    Development makes one once into the data folder (`vapid_private_key`) when it is unset;
    production never makes its own (several hosts must share it, issue 25): without the
    setting, messages to phones are off and the phone page says so. Every phone that allowed
    messages did so for this key's public half: keep it (a new key means everyone allows
    messages again)."""
    value = (env.get("TAFEL_VAPID_PRIVATE_KEY") or "").strip()
    if value and not is_vapid_key(value):
        raise SettingsError(
            "TAFEL_VAPID_PRIVATE_KEY is not a push key: it must be 32 bytes in base64url, "
            "as `tafel news new-push-key` prints one."
        )
    if value or production:
        return value
    return stored_key(data_dir, "vapid_private_key", new_vapid_key)


def is_vapid_key(value: str) -> bool:
    """Whether the text is a P-256 private key as TAFEL_VAPID_PRIVATE_KEY holds it."""
    if not value.isascii() or not all(c.isalnum() or c in "-_" for c in value):
        return False
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except ValueError:
        return False
    return len(raw) == 32 and 1 <= int.from_bytes(raw, "big") < P256_ORDER


def new_vapid_key() -> str:
    """A new VAPID private key: a number from 1 to the P-256 group's order less one."""
    number = secrets.randbelow(P256_ORDER - 1) + 1
    return base64.urlsafe_b64encode(number.to_bytes(32, "big")).rstrip(b"=").decode()


# The order of the P-256 curve's group: a private key is a number from 1 to this less one.
P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
