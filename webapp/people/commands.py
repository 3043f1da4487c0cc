"""The people area's `tafel` subcommands."""

from webapp.people_cli import register

__all__ = ["register"]
