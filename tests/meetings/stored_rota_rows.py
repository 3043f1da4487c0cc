"""The stored rota as rows (tests only): what tests compare with
`models.meetings.stored_rota.computed_rota` after changes that move turns."""

from models.meetings.stored_rota import RotaTurn


def stored_turns(project_id: int) -> list[tuple]:
    """The stored rota as computed_rota gives it: (meeting, date, chair, duo, minute-taker)."""
    t = RotaTurn
    return list(
        t.select(t.meeting, t.date, t.chair, t.chair_duo, t.minute_taker)
        .where(t.project == project_id)
        .order_by(t.position)
        .tuples()
    )
