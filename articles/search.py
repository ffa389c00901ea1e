"""
Search over stories, wrapping PostgreSQL full-text search.

On PostgreSQL every story keeps a weighted ``tsvector``: headline A, lead B,
text C, so a word in the headline ranks above the same word in the text. Each
part is indexed twice: with the stemmer of the story's language (``russian``,
``english``) and with ``simple``, which keeps words as written. PostgreSQL has
no Kazakh stemmer; Kazakh grows words by adding endings to an unchanging stem
(Тоқаев, Тоқаевтың, Тоқаевқа), so a query word has its common Kazakh endings
cut off and matches every indexed word that begins with what is left. Russian
words match through the Russian stemmer as well: «помощи» finds «помощь».

SQLite, the embedded default, has no such search: there every query word must
appear in the headline, lead or text, and stories rank by where it appears.

A query is reduced to its words (letters and digits) before it reaches either
database, so quotes, operators or SQL in it are simply not there.
"""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, F, IntegerField, Q, TextField, Value, When
from django.db.models.functions import Concat
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

MAX_WORDS = 10
MAX_WORD_LENGTH = 40
WORD = re.compile(r"[^\W_]+")
# Case, possessive, plural and other endings, longest first.
KAZAKH_ENDINGS = sorted(
    """
    ның нің дың дің тың тің ға ге қа ке на не ны ні ды ді ты ті
    да де та те нда нде дан ден тан тен нан нен мен бен пен
    лар лер дар дер тар тер ымыз іміз мыз міз сы сі ың ің ым ім
    дағы дегі тағы тегі
    """.split(),
    key=len,
    reverse=True,
)
SHORTEST_STEM = 3
MARK_START, MARK_END = "\ue000", "\ue001"


def words(query):
    """The words of a query, lowercased; nothing else of it is used."""
    found = WORD.findall((query or "").lower())[:MAX_WORDS]
    return [word[:MAX_WORD_LENGTH] for word in found]


KAZAKH_LETTERS = set("әғқңөұүһі")


def is_kazakh(word, language):
    return language == "kk" or not KAZAKH_LETTERS.isdisjoint(word)


def kazakh_stem(word):
    """
    A word without its last Kazakh ending, never shorter than three letters.

    One cut only: a second one takes stems apart («қазақстан» would lose «тан»).
    """
    for ending in KAZAKH_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= SHORTEST_STEM:
            return word[: -len(ending)]
    return word


def uses_postgresql():
    return connection.vendor == "postgresql"


def language_config():
    """The stemmer for each story's language; Kazakh stories keep their words as written."""
    return Case(
        When(language="en", then=Value("english")),
        When(language="kk", then=Value("simple")),
        default=Value("russian"),
    )


def update_vectors(stories):
    if not uses_postgresql():
        return 0
    config = language_config()
    parts = [("title", "A"), ("lead", "B"), ("body_text", "C")]
    vector = None
    for field, weight in parts:
        for part_config in (config, "simple"):
            part = SearchVector(field, config=part_config, weight=weight)
            vector = part if vector is None else vector + part
    return stories.update(search_vector=vector)


def postgresql_query(query_words, language):
    query = None
    for word in query_words:
        stem = kazakh_stem(word) if is_kazakh(word, language) else word
        # Only letters and digits reach to_tsquery, so the raw form cannot be malformed.
        prefix = f"{stem}:*" if len(stem) >= SHORTEST_STEM else word
        word_query = (
            SearchQuery(word, config="russian", search_type="plain")
            | SearchQuery(word, config="english", search_type="plain")
            | SearchQuery(prefix, config="simple", search_type="raw")
        )
        query = word_query if query is None else query & word_query
    return query


# Readers of news want recent matches first: the newest matches are ranked by
# relevance among themselves, and a word in every second story says "more
# than 200" instead of counting a million.
MAX_RESULTS = 200


@dataclass
class Results:
    ids: list  # best first
    more: bool  # more stories match than are ranked

    @property
    def shown(self):
        return len(self.ids)


def find(stories, query, language=None, limit=MAX_RESULTS):
    """
    The newest ``limit`` stories matching a query, best first, in one query.

    Finding them reads the stories newest first until ``limit`` match, or the
    search index's matches when there are fewer: never all the matches of a
    common word. Ranking then reads only those.
    """
    query_words = words(query)
    if not query_words:
        return Results([], False)
    language = language or get_language()
    matches = _matching(stories, query_words, language)
    newest = matches.newest_ids()[: limit + 1]
    # Ranked among the stories asked about: the rows re-read by id still meet their rule.
    ranked = _rank(stories.filter(pk__in=newest), query_words, language)
    rows = list(ranked.values_list("pk", "published_at"))
    more = len(rows) > limit
    if more:  # one more than we rank was asked for only to know there are more: the oldest
        rows.remove(min(rows, key=lambda row: (row[1], row[0])))
    return Results([pk for pk, _published_at in rows], more)


def _matching(stories, query_words, language):
    if uses_postgresql():
        return stories.filter(search_vector=postgresql_query(query_words, language))
    for word in map(fallback_stem, query_words):
        stories = stories.filter(
            Q(title__icontains=word) | Q(lead__icontains=word) | Q(body_text__icontains=word)
        )
    return stories


def _rank(stories, query_words, language):
    if uses_postgresql():
        rank = SearchRank(F("search_vector"), postgresql_query(query_words, language))
    else:
        rank = Value(0)
        for word in map(fallback_stem, query_words):
            for field, weight in (("title", 4), ("lead", 2), ("body_text", 1)):
                rank = rank + Case(
                    When(**{f"{field}__icontains": word}, then=Value(weight)),
                    default=Value(0),
                    output_field=IntegerField(),
                )
    return stories.annotate(rank=rank).order_by("-rank", "-published_at", "-pk")


def with_snippets(stories, query, language=None):
    """A page of results, each story with what its snippet is made from (``snippet``)."""
    query_words = words(query)
    if not uses_postgresql() or not query_words:
        # Lists do not read the text; the fallback's snippets need it for this page.
        return stories.defer(None).defer("body", "search_vector")
    tsquery = postgresql_query(query_words, language or get_language())
    return stories.annotate(
        snippet=SearchHeadline(
            Concat("lead", Value("\n"), "body_text", output_field=TextField()),
            tsquery,
            config=language_config(),
            start_sel=MARK_START,
            stop_sel=MARK_END,
            max_fragments=2,
            max_words=30,
            min_words=12,
            fragment_delimiter=" … ",
        )
    )


def fallback_stem(word):
    """Without a stemmer, a long word's last letters go: «помощи» finds «помощь»."""
    if len(word) >= 6:
        return word[:-2]
    if len(word) == 5:
        return word[:-1]
    return word


def snippet(story, query, length=240):
    """HTML: where the query's words appear in the story, marked."""
    text = getattr(story, "snippet", None)
    if text is None:
        text = _fallback_snippet(story, words(query), length)
    marked = escape(text)
    marked = re.sub(f"{MARK_START}(.*?){MARK_END}", r"<mark>\1</mark>", marked, flags=re.DOTALL)
    return mark_safe(marked.replace(MARK_START, "").replace(MARK_END, ""))


def _fallback_snippet(story, query_words, length):
    text = f"{story.lead}\n{story.body_text}".replace(MARK_START, "").replace(MARK_END, "")
    stems = [fallback_stem(word) for word in query_words]
    pattern = re.compile("|".join(re.escape(stem) + r"\w*" for stem in stems), re.IGNORECASE)
    found = pattern.search(text) if query_words else None
    start = max(0, found.start() - length // 3) if found else 0
    excerpt = text[start : start + length]
    excerpt = ("…" if start else "") + excerpt + ("…" if start + length < len(text) else "")
    if not query_words:
        return excerpt
    return pattern.sub(lambda match: f"{MARK_START}{match.group(0)}{MARK_END}", excerpt)
