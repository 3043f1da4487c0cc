"""The accounts area's commands: `tafel setup` and `tafel user add`.

Both print a one-time link. The link starts with TAFEL_BASE_URL (default
http://127.0.0.1:8000), the address people use to reach this installation.
"""

from models.accounts.links import invite, link_url
from models.records.setup import clean_name, set_up
from webapp.commands import CommandError, connected, open_for_command


def _print_link(name: str, link, token: str, base: str) -> None:
    what = "Invite link" if link.kind == "invite" else "New-password link"
    print(f"{what} for {name} (works once, until {link.expires_at:%Y-%m-%d %H:%M} UTC):")
    print(link_url(base, token))


def cmd_setup(args, settings):
    """Start a real organisation: `tafel setup "Naam van de organisatie" --admin NAME`.

    Names the organisation, makes sure the default ladder is there, and prints a one-time
    invite link for the first administrator. The administrator gets two rights: `admin`
    (accounts, rights, the ladder, projects, importing members.csv) and `privacy` (the 51%
    counts and client-background answers). To plan meetings they give someone, or
    themselves, the coordinator right on the Rights page.

    Refuses, changing nothing, once an administrator exists (add more with
    `tafel user add NAME --admin`). Run again before the invite is used, it prints a new
    link and the earlier one stops working.
    """
    open_for_command(settings)
    with connected():
        link, token, ended = set_up(args.organisation, args.admin)
    print(f"{clean_name(args.organisation)} is ready.")
    if ended:
        print(
            "The link printed before no longer works: only this new link does."
            if ended == 1
            else f"The {ended} links printed before no longer work: only this new link does."
        )
    _print_link(clean_name(args.admin), link, token, settings.public_url)
    print("Open the link, choose a username and a password, and log in.")


def cmd_user_add(args, settings):
    """Create the person when missing and print a one-time invite (or new-password) link."""
    name = " ".join(args.name.split())
    if not name or len(name) > 80:
        raise CommandError("Give a name of 1 to 80 characters.")
    rights = tuple(
        r for r, wanted in (("admin", args.admin), ("coordinator", args.coordinator)) if wanted
    )
    open_for_command(settings)
    with connected():
        _person, link, token = invite(name, rights)
    _print_link(name, link, token, settings.public_url)


def register(subparsers) -> None:
    """Add `tafel setup` and `tafel user add`."""
    setup = subparsers.add_parser(
        "setup",
        help="name the organisation and invite its first administrator",
        description=cmd_setup.__doc__.split("\n\n", 1)[1].replace("    ", ""),
    )
    setup.add_argument("organisation", help="the organisation's name (1 to 120 characters)")
    setup.add_argument(
        "--admin", required=True, metavar="NAME", help="the first administrator's name"
    )
    setup.set_defaults(func=cmd_setup)

    user = subparsers.add_parser("user", help="people and their accounts")
    user_sub = user.add_subparsers(dest="user_command", required=True)
    add = user_sub.add_parser("add", help="make a person and print an invite link")
    add.add_argument("name")
    add.add_argument("--coordinator", action="store_true", help="coordinator of the organisation")
    add.add_argument("--admin", action="store_true", help="administrator")
    add.set_defaults(func=cmd_user_add)
