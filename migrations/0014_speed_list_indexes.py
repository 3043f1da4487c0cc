"""Indexes for the lists that sorted or scanned (issue 23.4; plans before and after, on
SQLite and PostgreSQL, in bench/README.md):

- "Voor jou"'s minutes that need you (`models.meetings.minutes.needing`) find the shared
  minutes along `minutes(state, meeting_id)` (before: every meeting read in date order, the
  OR tested on each);
- the claims page's lists read a range in their order instead of sorting: a person's claims
  newest first `claim(claimant_id, created_at, id)`, the claims waiting for a decision oldest
  first `claim(status, created_at, id)`, the approved ones to pay by their decision
  `claim(status, decided_at, id)`.
"""


def up(migrator, db):
    migrator.migrate(
        migrator.add_index("minutes", ("state", "meeting_id"), False),
        migrator.add_index("claim", ("claimant_id", "created_at", "id"), False),
        migrator.add_index("claim", ("status", "created_at", "id"), False),
        migrator.add_index("claim", ("status", "decided_at", "id"), False),
    )
