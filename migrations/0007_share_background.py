"""A person chooses who may know their client-background answer (PRODUCT.md "Client
background and the 51% check"): only the privacy officer (the default, also for everyone
already in the database), or also the coordinators of their projects. A coordinator's
what-if and banner count only the answers shared with them."""

from peewee import BooleanField


def up(migrator, db):
    migrator.migrate(migrator.add_column("person", "share_background", BooleanField(default=False)))


def down(migrator, db):
    migrator.migrate(migrator.drop_column("person", "share_background"))
