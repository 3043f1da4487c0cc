"""People and growth: the ladder, memberships, my path, the 51% check, vacancies."""

from webapp.routes import people, representation, vacancies

routes = [*representation.routes, *people.routes, *vacancies.routes]
