"""Screen texts of the core area: how a project is steered and how much clients decide."""

from webapp.i18n import lazy_gettext

STEERING_LABELS = {
    "client_initiative": lazy_gettext("Client initiative"),
    "client_steered": lazy_gettext("Client-steered"),
    "co_steered": lazy_gettext("Co-steered"),
}
STEERING_EXPLAINED = {
    "client_initiative": lazy_gettext("The idea came from clients. Staff run the project."),
    "client_steered": lazy_gettext("Clients had the idea and also run the project themselves."),
    "co_steered": lazy_gettext("Clients and professionals run the project together."),
}
# The participation ladder (DOMAIN.md point 7), each level in one plain sentence.
LADDER_LABELS = {
    1: lazy_gettext("Inform"),
    2: lazy_gettext("Consult"),
    3: lazy_gettext("Advise"),
    4: lazy_gettext("Co-produce"),
    5: lazy_gettext("Co-decide"),
    6: lazy_gettext("Self-govern"),
}
LADDER_EXPLAINED = {
    1: lazy_gettext("Clients are told what is decided."),
    2: lazy_gettext("Clients are asked what they think, others decide."),
    3: lazy_gettext("Clients give advice, and others must answer it."),
    4: lazy_gettext("Clients and others make plans together."),
    5: lazy_gettext("Clients decide together with others."),
    6: lazy_gettext("Clients decide and run it themselves."),
}
