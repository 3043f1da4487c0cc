"""What the area seeds share: the demo's projects and the names of copies at a larger scale."""

# name, description, steering type, ladder level
PROJECTS = [
    (
        "Uitgeverij Woordwerk",
        "Vrijwilligers maken boeken en een krant met verhalen van ervaringsdeskundigen.",
        "client_steered",
        6,
    ),
    (
        "Computercentrum De Schakel",
        "Hier leer je met de computer werken en help je anderen daarbij.",
        "co_steered",
        5,
    ),
    (
        "Fietswerkplaats Op Weg",
        "We maken fietsen, leren het vak en verkopen opgeknapte fietsen.",
        "client_initiative",
        4,
    ),
]


def copy_name(name: str, copy: int) -> str:
    """The name in the n-th copy of the organisation (the first copy keeps the name)."""
    return name if copy == 1 else f"{name} {copy}"
