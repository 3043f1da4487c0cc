"""People's CSV files, one implementation for the web app and the `tafel` command:
representation.csv (export) and members.csv (import), as in DATA-EXCHANGE.md."""

from models.representation import representation_report
from models.rules.csvfile import write_csv

REPRESENTATION_HEADER = (
    "scope",
    "dimension",
    "group",
    "people",
    "client_background",
    "not_said",
    "share",
    "passes",
)


def representation_csv(project=None, excel: bool = False) -> str:
    """The 51% check as representation.csv; with a project, that project's rows only."""
    rows = []
    for r in representation_report(project):
        share = f"{r.share:.1f}"
        rows.append(
            (
                r.scope,
                r.dimension,
                r.group,
                r.people,
                r.yes,
                r.not_said,
                share.replace(".", ",") if excel else share,
                "yes" if r.passes else "no",
            )
        )
    return write_csv(REPRESENTATION_HEADER, rows, excel=excel)
