"""Co-decide means a decision (issue 12 point 3).

`planned_change.decision_id`: the decision in a project's register (a closed proposal decided
with consensus, or confirmed) that backs a change of a planned amount. Nullable: changes made
before keep their free text in `planned_change.decision`, which stays for history (and for the
budget.csv import, which writes "budget.csv" there).
`planned_change.reason`, `rejected_by_id`, `rejected_at`: a coordinator who rejects the
treasurer's proposal says why; the proposal keeps status "rejected".
"""

from peewee import DateTimeField, ForeignKeyField, Model, TextField


class Proposal(Model):
    class Meta:
        table_name = "proposal"


class Person(Model):
    class Meta:
        table_name = "person"


def up(migrator, db):
    migrator.migrate(
        migrator.add_column(
            "planned_change",
            "decision_id",
            ForeignKeyField(Proposal, null=True, field=Proposal.id, on_delete="SET NULL"),
        ),
        migrator.add_column("planned_change", "reason", TextField(default="")),
        migrator.add_column(
            "planned_change",
            "rejected_by_id",
            ForeignKeyField(Person, null=True, field=Person.id, on_delete="SET NULL"),
        ),
        migrator.add_column("planned_change", "rejected_at", DateTimeField(null=True)),
    )
