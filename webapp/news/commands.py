"""`tafel news`: what the news area adds to the command line."""

from webapp.news.setup import public_key


def cmd_push_key(args, settings):
    """Show the public half of the VAPID key (browsers subscribe with it)."""
    print(public_key(settings.vapid_private_key))


def register(sub) -> None:
    news = sub.add_parser("news", help="news on phones (Web Push)")
    news_sub = news.add_subparsers(dest="news_action", required=True)
    news_sub.add_parser(
        "push-key", help="show the public VAPID key that browsers subscribe with"
    ).set_defaults(func=cmd_push_key)
