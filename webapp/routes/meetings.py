from models.meetings.planning import project_panel  # noqa: F401  (moved; the lead removes this shim)
