"""`tafel serve`, `migrate`, `demo`, `backup` and `restore`: the installation as a whole."""

import argparse
import inspect
import os
import sys
from pathlib import Path

from models import backup, tenancy
from models.budget import receipt_store
from webapp.commands import (
    CommandError,
    connected,
    let_go,
    migrate_installation,
    open_for_command,
)
from webapp.core import federation
from webapp.request_log import server_log_config
from webapp.settings import served_url


def cmd_jobs_run(args, settings):
    """Run every background job that is due now, once (for each organisation, or the one
    `--org` names), and say what each did."""
    from models.jobs import run_due
    from webapp.jobs import configure_jobs, run_jobs_once

    # One organisation with --org / TAFEL_ORG; else every organisation in turn.
    open_for_command(settings, organisation=bool(settings.organisation))
    configure_jobs(settings)
    if settings.organisation:
        with connected():
            done = run_due()
    else:
        done = run_jobs_once()
    for name, count in done.items():
        print(f"{name}: {count}")


# What `tafel serve` says at its start in production without a push key.
PUSH_OFF = "Messages to phones are off: TAFEL_VAPID_PRIVATE_KEY is not set (docs/deploy.md)."


def cmd_serve(args, settings):
    """Run the web app: migrate once, then serve with `--workers` processes."""
    import uvicorn

    if not 1 <= args.workers <= 64:
        raise CommandError("Choose between 1 and 64 workers.")
    open_for_command(settings, organisation=False)
    let_go()
    if not settings.vapid_private_key:
        # Push is optional (docs/deploy.md section 4): a host runs without it, and says so.
        print(PUSH_OFF, file=sys.stderr, flush=True)
    # In development, links on slips and in calendars follow the address served.
    os.environ.setdefault("TAFEL_SERVED_URL", served_url(os.environ, args.host, args.port))
    # Each worker builds its own app from the same environment (webapp.app.create_app).
    # Proxy headers (X-Forwarded-For/-Proto) are trusted only from --forwarded-allow-ips.
    uvicorn.run(
        "webapp.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        proxy_headers=bool(args.forwarded_allow_ips),
        forwarded_allow_ips=args.forwarded_allow_ips or "",
        access_log=False,
        server_header=False,
        log_config=server_log_config(),
    )


def cmd_migrate(args, settings):
    """Bring the schema up to date."""
    applied = migrate_installation(settings)
    print(f"applied {len(applied)} migration(s)" + (": " + ", ".join(applied) if applied else ""))


def cmd_demo(args, settings):
    """Load the demo organisation (idempotent)."""
    from seeds.demo import load_demo

    if settings.production:
        raise CommandError("TAFEL_ENV is production, so Tafel does not make demo accounts here.")
    if args.scale < 1 or args.scale > 1000:
        raise CommandError("Choose a scale between 1 and 1000.")
    open_for_command(settings)
    with connected():
        summary = load_demo(scale=args.scale)
    print(summary)


def cmd_backup(args, settings):
    """Write one archive to FILE (mode 0600): a consistent copy of the whole database, every
    uploaded receipt and a manifest. Tafel may keep running meanwhile."""
    target = Path(args.file)
    if target.exists():
        raise CommandError(f"{target} already exists; choose a new file name.")
    open_for_command(settings, organisation=bool(settings.organisation))
    url, organisation = settings.owner_database_url, None
    if settings.organisation:  # that organisation alone (SQLite: its own file)
        organisation = tenancy.current_id()
        url = backup.organisation_url(url)
    let_go()
    try:
        receipts = backup.write_backup(target, url, settings.data_dir, organisation)
    except backup.BackupError as exc:
        raise CommandError(str(exc)) from None
    print(f"backup written to {target}: the database and {receipts} receipt(s)")


def cmd_restore(args, settings):
    """Replace the whole database with the one in the backup FILE and put its receipts where
    TAFEL_RECEIPTS says (the database, or the object store).

    Receipts in the object store that the backup does not hold are removed, as the
    database's rows are. A file that is not a Tafel backup, a backup of the other database
    kind or one with a name outside the receipts folder is refused and nothing changes. An
    older backup (a plain SQLite or pg_dump file) restores the database only and leaves the
    receipts as they are. Stop the app first.
    """
    receipt_store.use(settings.receipts, settings.data_dir)
    try:
        restored = backup.restore_backup(Path(args.file), settings.owner_database_url)
    except backup.BackupError as exc:
        raise CommandError(str(exc)) from None
    if restored.receipts is None:
        print(
            f"restored the database from {args.file}; it is an older backup without receipts, "
            "so the receipts were left as they were"
        )
    else:
        print(f"restored from {args.file}: the database and {restored.receipts} receipt(s)")


def register(sub) -> None:
    """Add the installation's subcommands to `tafel`."""
    serve = sub.add_parser("serve", help="run the web app")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    serve.add_argument(
        "--forwarded-allow-ips",
        default="",
        metavar="ADDRESSES",
        help="comma-separated addresses of the reverse proxy whose X-Forwarded-* headers "
        "are trusted (default: none)",
    )
    serve.set_defaults(func=cmd_serve)

    sub.add_parser("migrate", help="bring the schema up to date").set_defaults(func=cmd_migrate)

    jobs = sub.add_parser("jobs", help="the background jobs (closing proposals, reminders)")
    jobs_sub = jobs.add_subparsers(dest="jobs_action", required=True)
    jobs_sub.add_parser(
        "run",
        help="run every job that is due now, once (for cron; safe beside running servers)",
    ).set_defaults(func=cmd_jobs_run)

    demo = sub.add_parser("demo", help="load the demo organisation")
    demo.add_argument("--scale", type=int, default=1)
    demo.set_defaults(func=cmd_demo)

    backup_cmd = sub.add_parser(
        "backup",
        help="write the whole database and the uploaded receipts to one archive FILE",
        description=cmd_backup.__doc__,
    )
    backup_cmd.add_argument("file")
    backup_cmd.set_defaults(func=cmd_backup)

    restore = sub.add_parser(
        "restore",
        help="replace the database and the receipts with those in the backup FILE "
        "(receipts not in the backup are removed; stop the app first)",
        description=inspect.cleandoc(cmd_restore.__doc__),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    restore.add_argument("file")
    restore.set_defaults(func=cmd_restore)
    federation.register(sub)
