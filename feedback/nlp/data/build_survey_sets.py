"""Build ``survey_eval.tsv`` and ``survey_train.tsv`` from ``survey_fragments.json``.

Run: ``.venv/bin/python feedback/nlp/data/build_survey_sets.py`` (deterministic; the output
files are committed, so nothing runs this at set-up).

Every clause in ``survey_fragments.json`` was written for SurveyHub and labelled by hand.
Every list of hand-written fragments is split by position: even → evaluation; of the odd
ones, every other → training and the rest → ``dev`` rows of the training file, which training
holds out to place the neutral band. So evaluation, training and dev share no clause.
Answers are combined the way customers write them:

| kind | how | label |
|---|---|---|
| plain | one clause (+ an ending of its own polarity) | the clause's |
| double | two clauses of one polarity | that polarity |
| contrast | praise, 但是/不过…, complaint | negative |
| concession | small complaint (``mild``), 不过…, praise | positive |
| negation | ``not_pos`` / ``not_neg`` | negative / positive |
| sarcasm | praise words, complaint meant | negative |
| neutral | facts, lukewarm answers, no opinion | neutral |
| english | clauses with English mixed in | the clause's |
| traditional | any of the above in traditional characters | unchanged |
| emoji | an emoji ending (also alone after a clause) | unchanged |
"""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path
from types import SimpleNamespace

HERE = Path(__file__).resolve().parent
_RAW = json.loads((HERE / "survey_fragments.json").read_text(encoding="utf-8"))
F = SimpleNamespace(**{key.upper(): value for key, value in _RAW.items()})

SEED = 20
# Answers per industry and kind, for the evaluation half (training gets the same counts).
COUNTS = {
    "plain": 116,
    "double": 60,
    "contrast": 36,
    "concession": 22,
    "negation": 46,
    "neutral": 100,
    "english": 16,
}
TRADITIONAL_SHARE = 0.08


# Which positions of every fragment list each part takes.
PARTS = {"eval": slice(0, None, 2), "train": slice(1, None, 4), "dev": slice(3, None, 4)}


def half(items: list[str], part: str) -> list[str]:
    """Even positions (evaluation), or every other odd one (training, held-out dev)."""
    return items[PARTS[part]]


def traditional(text: str) -> str:
    return "".join(F.TRADITIONAL.get(c, c) for c in text)


def _ending(rng: random.Random, label: str) -> str:
    pool = {"positive": F.POS_ENDINGS, "negative": F.NEG_ENDINGS, "neutral": F.NEU_ENDINGS}
    return rng.choice(pool[label])


def _answers(rng: random.Random, industry: str, part: str):
    """(label, kind, text) rows of one industry from one half of its fragments."""
    frags = {key: half(values, part) for key, values in F.INDUSTRIES[industry].items()}
    opener = lambda: rng.choice(F.OPENERS)  # noqa: E731
    polar = {"positive": frags["pos"], "negative": frags["neg"]}
    for _ in range(COUNTS["plain"]):
        label = rng.choice(["positive", "negative"])
        yield label, "plain", opener() + rng.choice(polar[label]) + _ending(rng, label)
    for _ in range(COUNTS["double"]):
        label = rng.choice(["positive", "negative"])
        a, b = rng.sample(polar[label], 2)
        yield label, "double", f"{a}，{b}{_ending(rng, label)}"
    for _ in range(COUNTS["contrast"]):
        good, bad, but = rng.choice(frags["pos"]), rng.choice(frags["neg"]), rng.choice(F.BUT)
        yield "negative", "contrast", f"{good}，{but}{bad}{_ending(rng, 'negative')}"
    for _ in range(COUNTS["concession"]):
        small, good = rng.choice(frags["mild"]), rng.choice(frags["pos"])
        but = rng.choice(["不过", "但是", "但", "还好", "不过总体来说"])
        yield "positive", "concession", f"{small}，{but}{good}{_ending(rng, 'positive')}"
    for _ in range(COUNTS["negation"]):
        if rng.random() < 0.5:
            text = rng.choice(frags["not_pos"])
            yield (
                "negative",
                "negation",
                opener() + text + rng.choice(["", "", "。", "，失望", "😞"]),
            )
        else:
            text = rng.choice(frags["not_neg"])
            yield (
                "positive",
                "negation",
                opener() + text + rng.choice(["", "", "。", "，满意", "👍"]),
            )
    for _ in range(COUNTS["neutral"]):
        pool = frags["neu"] if rng.random() < 0.75 else half(F.NEUTRAL_GENERIC, part)
        text = rng.choice(pool)
        if rng.random() < 0.25:
            other = rng.choice(frags["neu"])
            text = text if other == text else f"{text}，{other}"
        yield "neutral", "neutral", text + _ending(rng, "neutral")
    for _ in range(COUNTS["english"]):
        label = rng.choice(["positive", "negative"])
        text = rng.choice(frags["en_pos" if label == "positive" else "en_neg"])
        yield label, "english", text + _ending(rng, label)


def build(part: str) -> list[tuple[str, str, str, str]]:
    """Unique (label, industry, kind, text) rows of one part, in a fixed order."""
    rng = random.Random(f"{SEED}-{part}")  # noqa: S311  (a fixed sample, not a secret)
    rows: list[tuple[str, str, str, str]] = []
    seen: set[str] = set()
    for industry in F.INDUSTRIES:
        for label, kind, text in _answers(rng, industry, part):
            if rng.random() < TRADITIONAL_SHARE:
                text, kind = traditional(text), kind + "+traditional"
            if text not in seen:
                seen.add(text)
                rows.append((label, industry, kind, text))
    for text in half(F.SARCASM, part):
        for variant in (text, text + rng.choice(["", "。", "👍", "😊", "呵呵"])):
            if variant not in seen:
                seen.add(variant)
                rows.append(("negative", "any", "sarcasm", variant))
    return rows


def write(path: Path, rows, columns: bool) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE)
        if columns:
            writer.writerow(["# label", "industry", "kind", "text"])
            writer.writerows(rows)
        else:
            writer.writerows((label, split, text) for label, split, text in rows)


def main() -> None:
    evaluation = build("eval")
    taken = {r[3] for r in evaluation}
    training = []
    for part in ("train", "dev"):
        for label, _industry, _kind, text in build(part):
            if text not in taken:  # a short generic answer may come up in two parts
                taken.add(text)
                training.append((label, part, text))
    write(HERE / "survey_eval.tsv", evaluation, columns=True)
    write(HERE / "survey_train.tsv", training, columns=False)
    dev = sum(1 for row in training if row[1] == "dev")
    print(f"evaluation {len(evaluation)}, training {len(training) - dev}, dev {dev}")


if __name__ == "__main__":
    main()
