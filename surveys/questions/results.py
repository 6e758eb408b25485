"""The results of the newer question types, from the same per-question counts as the others
(surveys.results.queries.answer_counts: "answered", "numbers", "choices"):

- slider: mean, median and the values given, lowest first;
- region: answers per province (a region answer holds its province's code);
- hidden field, file upload: how many answered (values and files are on each response and
  in the exports).
Image choices are choices and are counted as such by the results themselves.
"""

from collections.abc import Mapping
from typing import Any

from surveys.models import QuestionType
from surveys.questions import region


def _share(count: int, answered: int) -> float | None:
    return round(100 * count / answered, 1) if answered else None


def _mean(numbers: Mapping[int, int]) -> float | None:
    total = sum(numbers.values())
    return sum(k * n for k, n in numbers.items()) / total if total else None


def _median(numbers: Mapping[int, int]) -> float | None:
    total = sum(numbers.values())
    if not total:
        return None
    ordered = sorted(numbers.items())
    middle = [(total - 1) // 2, total // 2]
    found, seen = [], 0
    for value, count in ordered:
        for index in middle:
            if seen <= index < seen + count:
                found.append(value)
        seen += count
    return sum(found) / len(found)


def extra_result(question: Any, entry: Mapping[str, Any]) -> dict[str, Any]:
    """Fields of a result (distribution, mean, median) for the newer types; {} otherwise."""
    answered = entry["answered"]
    if question.type == QuestionType.SLIDER:
        numbers = entry["numbers"]
        rows = [{"value": v, "label": str(v), "count": n, "share": _share(n, answered)}
                for v, n in sorted(numbers.items())]  # fmt: skip
        return {"distribution": rows, "mean": _mean(numbers), "median": _median(numbers)}
    if question.type == QuestionType.REGION:
        provinces = {d.code: d.name for d in region.provinces()}
        counts = [(code, n) for code, n in entry["choices"].items() if code in provinces]
        counts.sort(key=lambda pair: (-pair[1], pair[0]))
        rows = [{"value": code, "label": provinces[code], "count": n,
                 "share": _share(n, answered)} for code, n in counts]  # fmt: skip
        return {"distribution": rows}
    return {}
