"""`tafel news`: what the news area adds to the command line."""

from webapp.commands import CommandError
from webapp.news.setup import public_key
from webapp.settings import new_vapid_key


def cmd_push_key(args, settings):
    """Show the public half of the VAPID key (browsers subscribe with it)."""
    if not settings.vapid_private_key:
        raise CommandError(
            "Messages to phones are off: set TAFEL_VAPID_PRIVATE_KEY "
            "(`tafel news new-push-key` prints a new one)."
        )
    print(public_key(settings.vapid_private_key))


def cmd_new_push_key(args, settings):
    """Print a new VAPID private key, for TAFEL_VAPID_PRIVATE_KEY on every host."""
    print(new_vapid_key())


def register(sub) -> None:
    news = sub.add_parser("news", help="news on phones (Web Push)")
    news_sub = news.add_subparsers(dest="news_action", required=True)
    news_sub.add_parser(
        "push-key", help="show the public VAPID key that browsers subscribe with"
    ).set_defaults(func=cmd_push_key)
    news_sub.add_parser(
        "new-push-key",
        help="print a new private VAPID key for TAFEL_VAPID_PRIVATE_KEY (set it on every host)",
    ).set_defaults(func=cmd_new_push_key)
