"""The meetings area's `tafel` subcommands."""

from webapp.meetings_cli import register

__all__ = ["register"]
