from models.meetings.rota import replan_rota  # noqa: F401  (moved; the lead removes this shim)
