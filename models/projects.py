"""Changes to the organisation, its projects and their notice boards, each with its audit line
each its own unit of work: its transaction (a savepoint inside another one), its write and its
audit line."""

from models.accounts import audit
from models.db import database
from models.organisation import Announcement, Organisation, Project


def create_project(actor_account: int, **values) -> Project:
    """A new project (name, description, steering_type, ladder_level)."""
    with database.atomic():
        project = Project.create(**values)
        audit.record(
            actor_account, "project.create", project, project=project, after=project.values()
        )
    return project


def update_project(actor_account: int, project: Project, **values) -> None:
    """Change a project's name, description, steering type or ladder level."""
    with database.atomic():
        before = project.values()
        for name, value in values.items():
            setattr(project, name, value)
        project.save()
        audit.record(
            actor_account, "project.update", project, project=project, before=before,
            after=project.values(),
        )  # fmt: skip


def post_notice(actor_account: int, project: Project, author: int, title: str, body: str):
    """An official notice on the project's board."""
    with database.atomic():
        notice = Announcement.create(project=project, title=title, body=body, author=author)
        audit.record(
            actor_account, "notice.create", notice, project=project, after={"title": title}
        )
    return notice


def rename_organisation(actor_account: int, name: str, description: str) -> None:
    """Change the organisation's name and description."""
    with database.atomic():
        org = Organisation.current()
        before = {"name": org.name, "description": org.description}
        org.name, org.description = name, description
        org.save()
        audit.record(
            actor_account, "organisation.update", org, before=before,
            after={"name": name, "description": description},
        )  # fmt: skip
