"""`tafel user add NAME [--coordinator] [--admin]`: make a person and print an invite link.

The link starts with TAFEL_BASE_URL (default http://127.0.0.1:8000), the address people use
to reach this installation.
"""

import os

DEFAULT_BASE_URL = "http://127.0.0.1:8000"


def cmd_user_add(args, settings):
    """Create the person when missing and print a one-time invite (or new-password) link."""
    from models import audit
    from models.accounts import Account, Grant
    from models.db import database
    from models.logins import link_url, make_link
    from models.person import Person
    from webapp.cli import CommandError, _open

    name = " ".join(args.name.split())
    if not name or len(name) > 80:
        raise CommandError("Give a name of 1 to 80 characters.")
    rights = tuple(
        r for r, wanted in (("admin", args.admin), ("coordinator", args.coordinator)) if wanted
    )
    _open(settings)
    with database.connection_context(), database.atomic():
        person = Person.get_or_none(Person.display_name == name)
        if person is None:
            person = Person.create(display_name=name)
            audit.record(
                None, "person.create", person, person=person.id, after={"display_name": name}
            )
        account = Account.get_or_none(Account.person == person.id)
        if account is not None:
            for right in rights:
                exists = Grant.select().where(
                    (Grant.account == account.id) & (Grant.right == right) & Grant.project.is_null()
                )
                if not exists.exists():
                    grant = Grant.create(account=account, right=right)
                    audit.record(
                        None, "right.grant", grant, person=person.id, after={"right": right}
                    )
        link, token = make_link(person, rights=() if account is not None else rights)
        audit.record(None, f"link.{link.kind}", link, person=person.id, after={"kind": link.kind})
    base = os.environ.get("TAFEL_BASE_URL") or DEFAULT_BASE_URL
    what = "Invite link" if link.kind == "invite" else "New-password link"
    print(f"{what} for {name} (works once, until {link.expires_at:%Y-%m-%d %H:%M} UTC):")
    print(link_url(base, token))


def register(subparsers) -> None:
    """Add `tafel user add`."""
    user = subparsers.add_parser("user", help="people and their accounts")
    user_sub = user.add_subparsers(dest="user_command", required=True)
    add = user_sub.add_parser("add", help="make a person and print an invite link")
    add.add_argument("name")
    add.add_argument("--coordinator", action="store_true", help="coordinator of the organisation")
    add.add_argument("--admin", action="store_true", help="administrator")
    add.set_defaults(func=cmd_user_add)
