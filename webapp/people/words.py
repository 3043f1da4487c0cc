"""Screen texts of the people area used by more than one page: the labels of layers, role
categories, statuses, answers, kinds of change and vacancy states."""

from models.people.tables import CHANGE_KINDS, STATUSES, VACANCY_STATES
from models.person import BACKGROUND_ANSWERS
from models.rules.representation import LAYERS, ROLE_CATEGORIES
from webapp.i18n import labelled, lazy_gettext, translated
from webapp.templating import env

GROUP_LABELS = labelled(
    LAYERS + ROLE_CATEGORIES,
    {
        "execution": lazy_gettext("Execution"),
        "coordination": lazy_gettext("Coordination"),
        "management": lazy_gettext("Management"),
        "participant": lazy_gettext("Participant"),
        "volunteer": lazy_gettext("Volunteer"),
        "paid_staff": lazy_gettext("Paid staff"),
    },
)
DIMENSION_LABELS = {"layer": lazy_gettext("Layer"), "role": lazy_gettext("Role")}


def labels_now(labels: dict) -> dict:
    """Labels in the current language as plain text, translated once for a page: a lazy
    label is translated again at each use, and /representation used two per row of its
    182 (a third of its rendering, issue 23)."""
    return {key: str(label) for key, label in labels.items()}


STATUS_LABELS = labelled(
    STATUSES,
    {
        "active": lazy_gettext("Active"),
        "paused": lazy_gettext("Pause"),
        "ended": lazy_gettext("Ended"),
    },
)
BACKGROUND_LABELS = labelled(
    BACKGROUND_ANSWERS,
    {
        "yes": lazy_gettext("Yes"),
        "no": lazy_gettext("No"),
        "not_said": lazy_gettext("I'd rather not say"),
    },
)
# Neutral words for every kind of change (WORDS.md: stepping back is not failing).
KIND_LABELS = labelled(
    CHANGE_KINDS,
    {
        "start": lazy_gettext("Started"),
        "up": lazy_gettext("A step up"),
        "back": lazy_gettext("A step back"),
        "pause": lazy_gettext("Pause"),
        "return": lazy_gettext("Back from a pause"),
        "end": lazy_gettext("Stopped"),
        "layer": lazy_gettext("Other layer"),
    },
)
STATE_LABELS = labelled(
    VACANCY_STATES,
    {
        "open": lazy_gettext("Open"),
        "filled": lazy_gettext("Filled"),
        "closed": lazy_gettext("Closed"),
    },
)
# The default ladder's names and descriptions (models/people/tables.py
# DEFAULT_LADDER_ENGLISH), named here so the catalogs keep their translations.
DEFAULT_STEP_WORDS = (
    lazy_gettext("Participant"),
    lazy_gettext("You take part in the activities."),
    lazy_gettext("Volunteer"),
    lazy_gettext("You help and have regular tasks."),
    lazy_gettext("Volunteer with extra tasks"),
    lazy_gettext("You have more tasks, for example showing new people around."),
    lazy_gettext("Work supervisor"),
    lazy_gettext("You are paid and guide the work of the group."),
    lazy_gettext("Project lead"),
    lazy_gettext("You are paid and lead the project."),
)


def step_category(step) -> str:
    """The label of a step's role category, or "" when it reads the same as the step's name
    (a step "Vrijwilliger" in the category volunteer is not shown as "Vrijwilliger
    (Vrijwilliger)")."""
    label = str(GROUP_LABELS.get(step.category, step.category))
    same = label.casefold() == str(translated(step.shown_name)).casefold()
    return "" if same else label


env.globals["step_category"] = step_category
