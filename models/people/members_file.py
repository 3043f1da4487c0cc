"""members.csv in two languages (issue 22, section 2): its column names and values in English
and in Dutch, how a cell is read in either, and the files Tafel writes: the members export
and the empty template. models/people/exchange.py reads and imports the file with these words.

The words are part of the file format (docs/data-exchange.md "members.csv"), not screen
texts: a file written in Dutch reads the same on an English page and from the command line.
A header is compared without case, accents, spaces, "_" and "-", so "Cliëntachtergrond",
"clientachtergrond" and "cliënt-achtergrond" are one name (a value word likewise, "_" and "-"
read as a space: "betaalde_kracht" is "betaalde kracht"); two header cells naming one column
(say "persoon" and "person") are refused (models.rules.csvfile.SAME_COLUMN).
"""

from __future__ import annotations

import unicodedata

from models.actor import Actor
from models.organisation import Project
from models.people.tables import (
    DEFAULT_LADDER,
    DEFAULT_LADDER_ENGLISH,
    Membership,
    Person,
    RoleStep,
)
from models.rules.csvfile import parse_yes_no, write_csv
from models.rules.errors import RuleError
from models.words import Text

# The columns in the order the export writes them: English name, Dutch name.
COLUMNS = (
    ("person", "persoon"),
    ("project", "project"),
    ("layer", "laag"),
    ("role", "rol"),
    ("client_background", "cliëntachtergrond"),
    ("consent_on", "toestemming_op"),
    ("chair", "voorzitten"),
    ("minutes", "notuleren"),
    ("status", "status"),
    ("since", "sinds"),
)
REQUIRED = frozenset({"person", "project"})

# Each stored value: how the file says it in English, in Dutch, and other words read as it.
LAYER_WORDS = {
    "execution": ("execution", "uitvoering"),
    "coordination": ("coordination", "coördinatie"),
    # The screen says "Leiding"; "management" reads the same in both languages.
    "management": ("management", "leiding"),
}
CATEGORY_WORDS = {
    "participant": ("participant", "deelnemer"),
    "volunteer": ("volunteer", "vrijwilliger"),
    "paid_staff": ("paid_staff", "betaalde kracht"),
}
BACKGROUND_WORDS = {
    "yes": ("yes", "ja", "1"),
    "no": ("no", "nee", "0"),
    "not_said": ("not_said", "zeg ik liever niet", "i'd rather not say", "liever niet"),
}
STATUS_WORDS = {
    "active": ("active", "actief"),
    "paused": ("paused", "pauze", "gepauzeerd"),
    "ended": ("ended", "gestopt"),
}
YES_NO_WORDS = {True: ("yes", "ja"), False: ("no", "nee")}

BAD_LAYER = Text(
    "Write execution, coordination or management (or uitvoering, coördinatie, leiding)."
)
BAD_STATUS = Text("Write active, paused or ended (or actief, pauze, gestopt).")
BAD_BACKGROUND = Text("Write yes, no or not_said (or ja, nee, zeg ik liever niet).")
UNKNOWN_ROLE = Text("There is no step or role called {role} on the ladder.")


def word_key(text: str) -> str:
    """A word as compared: without accents and case, "_" and "-" as spaces, spaces single."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().replace("_", " ").replace("-", " ").split())


def column_key(text: str) -> str:
    """A header cell as looked up (`read_csv`'s fold): without accents, case, spaces, "_"
    and "-", so "Cliënt-achtergrond" is "clientachtergrond" and "Client background" is
    "clientbackground"."""
    return word_key(text).replace(" ", "")


# Every way a header names a column (folded) that is not the column's own name.
ALIASES = {
    column_key(name): english
    for english, dutch in COLUMNS
    for name in (english, dutch)
    if column_key(name) != english
}


def allowed_names() -> str:
    """Every column name the file may use, each English name with its Dutch one."""
    return ", ".join(
        f'"{english}"' if english == dutch else f'"{english}" ("{dutch}")'
        for english, dutch in COLUMNS
    )


def _reader(words: dict, message: str):
    keys = {
        word_key(spelling): value for value, spellings in words.items() for spelling in spellings
    }

    def read(text: str) -> str:
        found = keys.get(word_key(text))
        if found is None:
            raise RuleError(message)
        return found

    return read


read_layer = _reader(LAYER_WORDS, BAD_LAYER)
read_status = _reader(STATUS_WORDS, BAD_STATUS)
read_background = _reader(BACKGROUND_WORDS, BAD_BACKGROUND)


def read_yes_no(text: str) -> bool:
    """yes/no, ja/nee, 1/0 (`csvfile.parse_yes_no`), also in capitals or with accents."""
    return parse_yes_no(word_key(text))


# The default ladder's steps by their English names too (a step that keeps its default
# name is shown in English on an English page: "Volunteer with extra tasks").
_ENGLISH_STEP = {
    word_key(english): dutch
    for (dutch, _category, _text), (english, _description) in zip(
        DEFAULT_LADDER, DEFAULT_LADDER_ENGLISH, strict=True
    )
}


def read_role(text: str, steps: list) -> int:
    """The ladder step a `role` cell names (docs/data-exchange.md: a step's name or a role
    category). A step's own name wins, compared without case (then without accents, when
    that leaves one step); a default step also by its English name. A category (participant,
    volunteer, paid_staff; deelnemer, vrijwilliger, betaalde kracht) means the lowest step of
    that category on the ladder, so on a fresh install `volunteer` is "Vrijwilliger", not
    "Vrijwilliger met extra taken": moving someone up is a recorded step change, never a
    guess by the import. Anything else is refused (RuleError)."""
    wanted = text.strip().casefold()
    for step in steps:
        if step.name.casefold() == wanted:
            return step.id
    key = word_key(text)
    loose = [step for step in steps if word_key(step.name) == key]
    if len(loose) == 1:
        return loose[0].id
    default = _ENGLISH_STEP.get(key)
    for step in steps:
        if default is not None and step.name == default:
            return step.id
    category = {
        word_key(spelling): value
        for value, spellings in CATEGORY_WORDS.items()
        for spelling in spellings
    }.get(key)
    for step in steps:  # `steps` is the ladder in order: the first match is the lowest
        if step.category == category:
            return step.id
    raise RuleError(UNKNOWN_ROLE, role=f'"{text}"')


# --- what Tafel writes --------------------------------------------------------------------


def header(language: str | None) -> list[str]:
    """The column names in the file's language: Dutch for "nl", else English."""
    dutch = language == "nl"
    return [names[1] if dutch else names[0] for names in COLUMNS]


def members_template(language: str | None, excel: bool = False) -> str:
    """An empty members.csv to fill in: the header row only (an example row would be
    imported as a person)."""
    return write_csv(header(language), [], excel=excel)


def shows_answers(actor: Actor | None) -> bool:
    """Whether the members export holds each person's client-background answer and date of
    consent: for holders of the privacy right, and for the command line (None: the server's
    operator, who holds the whole database). For everyone else the two columns stay empty,
    which an import reads as "not given": it never erases an answer."""
    return actor is None or actor.has_privacy_right


def members_rows(actor: Actor | None, language: str | None) -> list[list]:
    """The members export's rows: every membership of a person who was not removed, by
    person and project, in the words of `language` ("nl": Dutch, else English). The role is
    the step's own name, so the file imports back onto the same step. One query."""
    dutch = 1 if language == "nl" else 0
    answers = shows_answers(actor)
    query = (
        Membership.select(Membership, Person, Project, RoleStep)
        .join(Person)
        .switch(Membership)
        .join(Project)
        .switch(Membership)
        .join(RoleStep)
        .where(Person.display_name.is_null(False))
        .order_by(Person.display_name, Project.name, Membership.id)
    )
    rows = []
    for m in query:
        person = m.person
        rows.append(
            [
                person.display_name,
                m.project.name,
                LAYER_WORDS[m.layer][dutch],
                m.step.name,
                BACKGROUND_WORDS[person.client_background][dutch] if answers else None,
                _iso(person.background_consent_on) if answers else None,
                YES_NO_WORDS[m.chair_since is not None][dutch],
                YES_NO_WORDS[m.minutes_since is not None][dutch],
                STATUS_WORDS[m.status][dutch],
                _iso(m.since),
            ]
        )
    return rows


def _iso(day) -> str | None:
    return None if day is None else day.isoformat()


def members_csv(actor: Actor | None, language: str | None, excel: bool = False) -> str:
    """members.csv as the export writes it (see `members_rows`, `shows_answers`); dates are
    ISO (YYYY-MM-DD) in both languages."""
    return write_csv(header(language), members_rows(actor, language), excel=excel)
