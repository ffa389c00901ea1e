#!/usr/bin/env python3
"""
How long comparing two versions of a story takes (articles/revisions.py), whatever they hold.

    .venv/bin/python bench/compare.py [--repeat 5] [--size 100000] [--out bench/results/compare.md]

Each case is a pair of texts of about --size characters (100 KB by default), the
kind that made the old line-by-line comparison quadratic or recursive: one long
paragraph with a few words changed, one with a word changed every fifty, two
unrelated long texts, one word repeated, no spaces at all, ten thousand tiny
paragraphs, punctuation only. For each it prints the median and the worst of
--repeat runs of compare_text (the whole comparison, HTML included), as one
markdown table, and writes it with the machine, date and commit to --out.
"""

import argparse
import datetime
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")

import django  # noqa: E402

django.setup()

from articles.revisions import compare_text  # noqa: E402
from bench.timing import machine  # noqa: E402

WORDS = (
    "Президент Казахстана провёл встречу с главой Международного комитета Красного "
    "Креста в Акорде обсудили гуманитарное сотрудничество Қазақстан және МККК "
    "өкілдері кездесті"
).split()


def prose(size, rng):
    words, length = [], 0
    while length < size:
        word = rng.choice(WORDS)
        words.append(word)
        length += len(word) + 1
    return " ".join(words)


def edited(text, every, rng):
    words = text.split(" ")
    for place in range(0, len(words), every):
        words[place] = rng.choice(WORDS).upper()
    return " ".join(words)


def cases(size):
    rng = random.Random(11)
    story = prose(size, rng)
    paragraphs = "\n".join("Абзац." for _ in range(size // 10))
    return {
        "one long paragraph, 3 words changed": (story, edited(story, len(story) // 18, rng)),
        "one long paragraph, a word in 50 changed": (story, edited(story, 50, rng)),
        "two unrelated texts": (story, prose(size, random.Random(12))),
        "one word repeated": ("слово " * (size // 6), "слово " * (size // 12) + "другое "),
        "no spaces at all": ("ж" * size, "ж" * (size // 2) + "з" + "ж" * (size // 2)),
        "10,000 tiny paragraphs": (paragraphs, paragraphs.replace("Абзац.", "Абзац!", 500)),
        "punctuation only": (",." * (size // 2), ".," * (size // 2)),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--out", default=str(ROOT / "bench/results/compare.md"))
    args = parser.parse_args()

    rows = []
    for name, (before, after) in cases(args.size).items():
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            html = compare_text(before, after)
            times.append((time.perf_counter() - start) * 1000)
        rows.append(
            f"| {name} | {len(before) // 1000} KB | {statistics.median(times):.0f} | "
            f"{max(times):.0f} | {len(html) // 1000} KB |"
        )
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    table = "\n".join(
        [
            "| case | size | median ms | worst ms | HTML |",
            "|---|---|---|---|---|",
            *rows,
        ]
    )
    report = (
        f"# Revision compare\n\n{machine()}; {datetime.date.today()}; commit {commit}\n\n"
        f"`.venv/bin/python bench/compare.py --repeat {args.repeat} --size {args.size}`\n\n"
        f"{table}\n"
    )
    print(report)
    Path(args.out).write_text(report)


if __name__ == "__main__":
    main()
