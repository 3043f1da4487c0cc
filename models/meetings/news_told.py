"""The news the meetings area tells about a person's own requests (models/news, docs/news.md):
a swap answered, a signal answered. Each is called inside the write that causes it."""

from models.meetings.project_tables import Signal
from models.meetings.tables import Meeting, TurnSwap
from models.news.moments import meeting_start
from models.news.tell import tell
from models.organisation import Project


def tell_swap_answer(swap: TurnSwap) -> None:
    """Whoever asked the swap hears it was accepted or declined (`swap.state`)."""
    meeting = (
        Meeting.select(Meeting, Project)
        .join(Project, on=(Meeting.project == Project.id))
        .where(Meeting.id == swap.meeting_id)
        .get()
    )
    tell(
        [swap.asked_by_id],
        f"swap_{swap.state}",
        f"swap:{swap.id}:{swap.state}",
        link=f"/meetings/{meeting.id}",
        params={"project": meeting.project.name, "when": meeting_start(meeting.date, meeting.time)},
    )


def tell_signal_answered(signal: Signal) -> None:
    """Whoever raised the signal (when it is known) hears it got an answer: once, at the
    first answer (the page shows the later ones)."""
    if signal.author_id is None:
        return
    project = Project.select(Project.name).where(Project.id == signal.project_id).scalar()
    tell(
        [signal.author_id],
        "signal_answered",
        f"signal:{signal.id}:answered",
        link=f"/projects/{signal.project_id}/signals",
        params={"project": project},
    )
