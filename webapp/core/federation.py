"""`tafel org …`: the federation administrator's commands (issue 24; docs/federation.md).

tafel org set-host HOST           the organisation at hand answers on HOST
tafel org add "Naam" --host HOST [--admin NAME]
tafel org list
tafel org suspend HOST / tafel org resume HOST
tafel org admin USERNAME [--withdraw]   the federation right (the page /federation)
"""

from models import tenancy
from models.accounts.links import link_url
from models.records import federation, organisations
from models.rules.errors import RuleError
from webapp.commands import CommandError, connected, open_for_command


def cmd_org_add(args, settings):
    """A new organisation on its own host, with its default ladder; prints the invite link of
    its first administrator (like `tafel setup`)."""
    open_for_command(settings, organisation=False)
    with connected():
        try:
            organisation_id, link, token = organisations.add_organisation(
                args.name, args.host, args.admin
            )
        except RuleError as exc:
            raise CommandError(str(exc)) from exc
        with tenancy.working_for(organisation_id):
            base = settings.public_url
    print(f"{' '.join(args.name.split())} is ready on {tenancy.normal_host(args.host)}.")
    who = " ".join(args.admin.split()) if args.admin else "the first administrator"
    print(f"Invite link for {who} (works once, until {link.expires_at:%Y-%m-%d %H:%M} UTC):")
    print(link_url(base, token))
    if args.admin:
        print("Open the link, choose a username and a password, and log in.")
    else:
        print("Open the link, write your name, choose a username and a password, and log in.")


def cmd_org_list(args, settings):
    open_for_command(settings, organisation=False)
    with connected():
        entries = organisations.organisations()
    for entry in entries:
        state = "suspended" if entry.suspended else "active"
        print(f"{entry.id}\t{entry.host or '(any host)'}\t{state}\t{entry.name}")


def cmd_org_report(args, settings):
    """Per organisation, only what is public inside it as a group."""
    open_for_command(settings, organisation=False)
    with connected():
        overviews = organisations.federation_overview()
    for o in overviews:
        state = " (suspended)" if o.entry.suspended else ""
        layers = ", ".join(f"{layer}: {verdict}" for layer, verdict in o.layers) or "no members"
        days = "no payments" if o.days_to_payment is None else f"{o.days_to_payment} days"
        print(f"{o.entry.host or '(any host)'}{state}: {o.entry.name}")
        print(f"  {o.projects} projects; 51% by layer: {layers}; claim to payment: {days}")
        if o.project_names:
            more = o.projects - len(o.project_names)
            print(
                f"  projects: {', '.join(o.project_names)}" + (f" and {more} more" if more else "")
            )


def cmd_org_set_host(args, settings):
    open_for_command(settings)
    with connected():
        try:
            organisations.set_host(args.host)
        except RuleError as exc:
            raise CommandError(str(exc)) from exc
    print(f"The organisation now answers on {tenancy.normal_host(args.host)}.")


def cmd_org_admin(args, settings):
    """Give (or withdraw) the federation right to an account of the first organisation."""
    open_for_command(settings, organisation=False)
    with connected():
        try:
            username = federation.set_federation_right(args.username, not args.withdraw)
        except RuleError as exc:
            raise CommandError(str(exc)) from exc
    if args.withdraw:
        print(f"{username} is no federation administrator any more.")
    else:
        print(f"{username} is a federation administrator: /federation on the first host.")


def _suspension(suspended: bool):
    def command(args, settings):
        open_for_command(settings, organisation=False)
        with connected():
            try:
                organisations.set_suspended(args.host, suspended)
            except RuleError as exc:
                raise CommandError(str(exc)) from exc
        host = tenancy.normal_host(args.host)
        print(f"{host} is suspended." if suspended else f"{host} answers again.")

    return command


def register(sub) -> None:
    org = sub.add_parser("org", help="the organisations this installation serves")
    org_sub = org.add_subparsers(dest="org_command", required=True)
    add = org_sub.add_parser("add", help="add an organisation answering on its own host")
    add.add_argument("name")
    add.add_argument("--host", required=True)
    add.add_argument(
        "--admin",
        metavar="NAME",
        help="the first administrator's name (without it they write it on opening the link)",
    )
    add.set_defaults(func=cmd_org_add)
    org_sub.add_parser("list", help="list the organisations").set_defaults(func=cmd_org_list)
    org_sub.add_parser(
        "report", help="per organisation what is public inside it as a group"
    ).set_defaults(func=cmd_org_report)
    set_host = org_sub.add_parser("set-host", help="give the organisation at hand its host")
    set_host.add_argument("host")
    set_host.set_defaults(func=cmd_org_set_host)
    admin = org_sub.add_parser(
        "admin", help="give an account of the first organisation the federation right"
    )
    admin.add_argument("username")
    admin.add_argument("--withdraw", action="store_true", help="take the right back")
    admin.set_defaults(func=cmd_org_admin)
    for name, suspended in (("suspend", True), ("resume", False)):
        parser = org_sub.add_parser(name, help=f"{name} the organisation on HOST")
        parser.add_argument("host")
        parser.set_defaults(func=_suspension(suspended))
