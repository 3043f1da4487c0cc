"""Who acts: the one typed object every model function that depends on the person asking
receives (docs/ARCHITECTURE.md "Who acts").

webapp builds it once per request from the session (webapp/access.py `load_viewer`); the
command line and the tests build it directly. It holds only what was read at the start of
the request: the account, the person, their rights, the projects they are in and coordinate,
and two trust facts about the account (issue 19):

- `background_held`: the account was opened or reset through a link someone else made, so
  the person's own client-background answer is not shown to it until they give it again;
- `acts_for`: the people who made such a link and have not been shut out yet (the owner took
  the account back). For every four-eyes rule the account counts as them too, so nobody can
  complete both halves of a check by opening a link they made themselves.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    """The person using a request, with their rights; anonymous when `account_id` is None."""

    account_id: int | None = None
    person_id: int | None = None
    name: str = ""
    rights: frozenset = frozenset()
    member_of: frozenset = frozenset()
    coordinates: frozenset = frozenset()
    session_expired: bool = False
    language: str | None = None
    session_id: int | None = None
    background_held: bool = False
    acts_for: frozenset = frozenset()
    # The projects this account is a trusted person for ("trusted" in rights: the whole
    # organisation's); docs/rules.md "A quiet concern".
    trusted_in: frozenset = frozenset()

    @property
    def signed_in(self) -> bool:
        return self.account_id is not None

    @property
    def is_admin(self) -> bool:
        return "admin" in self.rights

    @property
    def is_treasurer(self) -> bool:
        return "treasurer" in self.rights

    @property
    def has_privacy_right(self) -> bool:
        return "privacy" in self.rights

    @property
    def is_federation_admin(self) -> bool:
        """Holds the federation right (it counts only on the installation's first
        organisation's host: webapp/core/federation_page.py)."""
        return "federation" in self.rights

    @property
    def is_trusted(self) -> bool:
        """A trusted person (vertrouwenspersoon), for the organisation or some project."""
        return "trusted" in self.rights or bool(self.trusted_in)

    def trusted_for(self, project_id: int | None) -> bool:
        """A trusted person for this project (None: for the whole organisation)."""
        if project_id is None:
            return "trusted" in self.rights
        return project_id in self.trusted_in

    @property
    def is_org_coordinator(self) -> bool:
        return "org_coordinator" in self.rights

    @property
    def is_any_coordinator(self) -> bool:
        return self.is_org_coordinator or bool(self.coordinates)

    def is_member(self, project_id: int) -> bool:
        """Has an active or paused membership of the project."""
        return project_id in self.member_of

    def is_coordinator(self, project_id: int) -> bool:
        """Coordinates this project, or the whole organisation."""
        return self.is_org_coordinator or project_id in self.coordinates

    def can_see_project(self, project_id: int) -> bool:
        """May see the project's own pages (notices, meetings, people)."""
        return self.is_member(project_id) or self.is_coordinator(project_id)

    @property
    def eyes(self) -> frozenset:
        """The people this account counts as for a four-eyes rule: its own person and
        whoever made the link it was opened or reset with (until the owner takes it back)."""
        own = frozenset() if self.person_id is None else frozenset({self.person_id})
        return own | self.acts_for

    def is_one_of(self, *person_ids) -> bool:
        """Whether this account counts as any of these people for a four-eyes rule (the
        other half of a check must be someone it does not count as)."""
        return any(person_id is not None and person_id in self.eyes for person_id in person_ids)


ANONYMOUS = Actor()
