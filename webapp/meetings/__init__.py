"""Meetings and consensus: series, rota, agendas, proposals, minutes, actions, signals.

`routes` lists the area's routes page family by page family (no two of them match the same
path, so this order matches every request as before).
"""

from webapp.meetings import (
    actions,
    between,
    calendar,
    changes,
    concerns,
    meeting,
    minutes,
    paper,
    proposals,
    rota,
    series,
    signals,
)

routes = [
    *series.routes,
    *meeting.routes,
    *changes.routes,
    *rota.routes,
    *proposals.routes,
    *between.routes,
    *minutes.routes,
    *actions.routes,
    *signals.routes,
    *calendar.routes,
    *paper.routes,
    *concerns.routes,
]
