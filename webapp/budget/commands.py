"""The budget area's `tafel` subcommands."""

from webapp.budget_cli import register

__all__ = ["register"]
