"""An index for a project's "who is at which step" (issue 23, PostgreSQL's SQL time): the
list of one project is ordered like the whole organisation's (step position, name, id;
`Membership.sort_position`, `sort_name`, kept by triggers: 0014_speed_people_order), so
`membership(project_id, sort_position, sort_name, id)` reads the project's first page in its
order and stops after 51 rows. Before, PostgreSQL hashed every person (5,000 at the bench's
scale) to join the project's memberships, then sorted them: 1.7 ms, 0.2 ms with it
(bench/README.md, fourth round). A later page starts in the same index at its cursor."""


def up(migrator, db):
    migrator.migrate(
        migrator.add_index("membership", ("project_id", "sort_position", "sort_name", "id"), False)
    )
