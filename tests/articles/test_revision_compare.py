"""
Two versions of a story are compared word by word, correctly, and in bounded
time whatever they hold. bench/compare.py measures the time; here the bound is
only a guard against the quadratic or recursive comparison coming back.
"""

import random
import time

import lxml.html
import pytest
import reversion
from reversion.models import Version

from articles.revisions import MAX_TOKENS, compare_text, opcodes, tokens
from tests.factories import make_article

# Far above what bench/compare.py measures (under 0.2 s on two cores); the old
# comparison took minutes on the first of these inputs and then failed.
GUARD_SECONDS = 10


def rebuilt(a, b):
    """b rebuilt from a by the opcodes, checking each claims what it says."""
    out, i, j = [], 0, 0
    for tag, i0, i1, j0, j1 in opcodes(a, b):
        assert (i0, j0) == (i, j), "opcodes cover both sides in order"
        if tag == "equal":
            assert a[i0:i1] == b[j0:j1]
        out += b[j0:j1]
        i, j = i1, j1
    assert (i, j) == (len(a), len(b))
    return out


@pytest.mark.parametrize("seed", range(40))
def test_the_opcodes_turn_one_version_into_the_other(seed):
    rng = random.Random(seed)
    alphabet = rng.choice(["ab", "ab. \n", "абвгд ", "x"])
    a = [rng.choice(alphabet) for _ in range(rng.randint(0, 400))]
    b = [rng.choice(alphabet) for _ in range(rng.randint(0, 400))]
    assert rebuilt(a, b) == b


def sides(html):
    cells = lxml.html.fromstring(f"<div>{html}</div>").xpath("//td")
    return [
        (
            [d.text_content() for d in cell.xpath(".//del")],
            [i.text_content() for i in cell.xpath(".//ins")],
        )
        for cell in cells
    ]


def test_one_changed_word_in_a_long_paragraph_is_the_only_one_marked():
    words = [f"слово{number}" for number in range(20_000)]
    before = " ".join(words)
    words[12_345] = "поправка"
    (left_deleted, _), (_, right_inserted) = sides(compare_text(before, " ".join(words)))
    assert left_deleted == ["слово12345"]
    assert right_inserted == ["поправка"]


def test_a_text_of_common_words_is_still_compared_word_by_word():
    rng = random.Random(3)
    common = "в и на с по что это как год Казахстан".split()
    words = [rng.choice(common) for _ in range(15_000)]
    before = " ".join(words)
    words[7_000] = "ИЗМЕНЕНО"
    (left_deleted, _), (_, right_inserted) = sides(compare_text(before, " ".join(words)))
    assert right_inserted == ["ИЗМЕНЕНО"]
    assert len(left_deleted) == 1


def test_text_is_shown_as_text_never_as_markup():
    html = compare_text("<b>было</b>", "<script>alert(1)</script>")
    assert "<script" not in html and "<b>" not in html
    assert "&lt;<ins>script</ins>&gt;" in html


PATHOLOGICAL = {
    "one huge paragraph": (" ".join(f"w{n}" for n in range(20_000)), None),
    "one word repeated": ("слово " * 17_000, "слово " * 8_000 + "другое " + "слово " * 9_000),
    "no spaces at all": ("ж" * 100_000, "ж" * 50_000 + "з" + "ж" * 50_000),
    "10,000 tiny paragraphs": ("\n".join("а" for _ in range(10_000)), "\n".join("б" * 10_000)),
    "punctuation only": (",." * 50_000, ".," * 50_000),
    "unrelated": (
        " ".join(str(n) for n in range(20_000)),
        " ".join(str(n) for n in range(20_000, 0, -1)),
    ),
}


@pytest.mark.parametrize("case", PATHOLOGICAL)
def test_pathological_versions_are_compared_in_bounded_time(case):
    before, after = PATHOLOGICAL[case]
    after = after or before.replace("w777 ", "w777 вставка ")
    start = time.perf_counter()
    html = compare_text(before, after)
    assert time.perf_counter() - start < GUARD_SECONDS
    assert "<ins>" in html and "<table" in html


def test_beyond_the_word_limit_the_comparison_goes_by_paragraph_and_says_so():
    paragraphs = [" ".join(["слово"] * 20) + f" {n}" for n in range(MAX_TOKENS // 20)]
    before = "\n".join(paragraphs)
    assert len(tokens(before)) > MAX_TOKENS
    paragraphs[5] = "новый абзац"
    html = compare_text(before, "\n".join(paragraphs))
    assert "отмечены изменённые абзацы" in html
    (_, _), (_, inserted) = sides(html)
    assert inserted == ["новый абзац\n"]


@pytest.mark.django_db
def test_the_compare_page_answers_for_a_story_of_one_long_paragraph(client, editor):
    body = "<p>" + " ".join(f"слово{n}" for n in range(15_000)) + "</p>"
    with reversion.create_revision():
        story = make_article("Лонгрид", body=body)
    with reversion.create_revision():
        story.body = body.replace("слово9000 ", "слово9000 вставка ")
        story.save()
    older, newer = sorted(Version.objects.get_for_object(story), key=lambda v: v.pk)
    client.force_login(editor)
    response = client.get(
        f"/admin/articles/article/{story.pk}/history/compare/", {"from": older.pk, "to": newer.pk}
    )
    assert response.status_code == 200
    assert "<ins>вставка </ins>" in response.content.decode()
