"""News for a person about their own requests and turns ("Wat er met jou gebeurde", issue 21):
a swap accepted, a claim paid, a proposal closed, a meeting moved, a new turn. Every area
tells it with `models.news.tell.tell` inside the write that caused it; the news page reads
it per person. The area sits just above the plumbing: it points at persons only, so every
area above accounts may import it."""

from models.news import push  # noqa: F401 - registers the push job
from models.news.tables import NewsItem, PushSubscription

MODELS = [NewsItem, PushSubscription]
