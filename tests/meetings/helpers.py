from tests.meetings.conftest import next_planned, person_id, project_id  # noqa: F401  (moved; the lead removes this shim)
