"""The meetings area's words as the database stores them: each vocabulary once (issue 20).
webapp/meetings/words.py labels each for the screen, in this order; a label for a word not
here (or a word without a label) fails at import."""

from models.rules.consensus import BETWEEN_OUTCOMES, MORE_TIME, OUTCOMES, STANCES

# What a member may answer on a proposal: the four counted stances, then "I need more time"
# (a request to the chair, counted nowhere: models/rules/consensus.py).
STANCE_CHOICES = (*STANCES, MORE_TIME)
# A proposal's outcome: the consensus rule's, a provisional one the next meeting confirmed, or
# the two a proposal between meetings adds (it goes on the next agenda).
CONFIRMED = "confirmed"
DECISION_OUTCOMES = (*OUTCOMES, CONFIRMED, *BETWEEN_OUTCOMES)
MEETING_STATES = ("planned", "started", "closed", "cancelled")
# A meeting that is over or will not take place: nothing on it changes any more.
ENDED_STATES = ("closed", "cancelled")
ATTENDANCE = ("present", "apologies", "absent")
# "between": a proposal between meetings (models/meetings/between.py); "trusted": put on the
# agenda by a trusted person for someone who stays unnamed (a quiet concern, docs/rules.md).
AGENDA_SOURCES = ("member", "action", "provisional", "signal", "between", "trusted")
# A quiet concern: waiting for its trusted person, put on an agenda, or answered as a signal.
CONCERN_STATES = ("waiting", "on_agenda", "answered")
MINUTES_STATES = ("draft", "shared", "approved")
ACTION_STATUSES = ("open", "doing", "done", "dropped")
# The actions still to do (they come back on the next agenda and count on the start page).
OPEN_ACTION_STATUSES = ("open", "doing")
SIGNAL_KINDS = ("idea", "problem")
SIGNAL_STATUSES = ("new", "on_agenda", "in_progress", "done", "not_possible")
# The turns of the rota a member can swap.
TURN_ROLES = ("chair", "minutes")
