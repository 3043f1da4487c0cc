"""The accounts area's `tafel` subcommands."""

from webapp.accounts_cli import register

__all__ = ["register"]
