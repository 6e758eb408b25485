"""Topic discovery across comments (NMF over TF-IDF) with identities stable across runs.

Re-running discovery on a grown corpus gives new topics; ``match_topics`` pairs them with
the previous run's (Hungarian assignment on keyword similarity), so a topic a staff member
renamed "退款慢" keeps that name and id as long as it is recognisably the same topic.

Topics are about *what* customers write about, so words that only say how they feel
(满意, 失望, 感谢 …, ``data/topic_stopwords.txt``) are left out of the terms. Given the texts,
each topic is named by the subject of its comments that holds most of its keyword weight
("客服回复", "酒店性价比": ``topic_names``), never by an opinion, and keeps up to
``EXAMPLES`` example documents. ``npmi`` measures the coherence of the keywords.
"""

from __future__ import annotations

import hashlib
import itertools
import math
from dataclasses import dataclass, field, replace

import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import TfidfVectorizer

from feedback.nlp.topic_names import is_subject, representative_phrase, topic_stopwords

RANDOM_STATE = 0
TOP_KEYWORDS = 8
MAX_TOPICS = 12
# Below this similarity two topics are different topics, however the assignment pairs them.
MATCH_THRESHOLD = 0.3
# A document belongs to every topic holding at least this share of its weight.
MIN_DOCUMENT_SHARE = 0.2
# A topic is named from the subjects of this many of its heaviest own documents.
PHRASE_CANDIDATE_DOCS = 40
EXAMPLES = 3


@dataclass(frozen=True)
class Topic:
    """A discovered topic: a stable id, a display label and its top keywords."""

    id: str
    label: str
    keywords: list[str]
    keyword_weights: list[float] = field(default_factory=list)
    size: int = 0
    # Positions (in the input) of the documents that show the topic best, heaviest first.
    examples: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class PreviousTopic:
    """A topic from an earlier run, as stored: id, (possibly staff-edited) name, keywords."""

    id: str
    name: str
    keywords: list[str]
    edited: bool = False  # named by staff: always kept


def _keyword_label(name: str) -> bool:
    """An automatic name of the oldest kind ("物流 / 快递 / 太慢"), replaced by a phrase."""
    return " / " in name


def _outdated_name(name: str) -> bool:
    """An automatic name that this version would not give: a keyword triplet, or a phrase
    that is more than a subject ("物流快", from before topics were named by subject)."""
    return _keyword_label(name) or not is_subject(name)


@dataclass(frozen=True)
class TopicModel:
    """Topics and, per document, its (topic id, weight share) pairs, heaviest first."""

    topics: list[Topic]
    document_topics: list[list[tuple[str, float]]]


def choose_k(n_documents: int, n_terms: int) -> int:
    """About sqrt(n/2) topics, at least 2, at most ``MAX_TOPICS`` and fewer than the terms."""
    k = round(math.sqrt(n_documents / 2))
    return max(0, min(max(k, 2), MAX_TOPICS, n_terms - 1, n_documents - 1))


def _topic_id(keywords: list[str]) -> str:
    # Same top words, same id: a re-run without history still gives stable ids.
    digest = hashlib.sha1("|".join(sorted(keywords[:3])).encode(), usedforsecurity=False)
    return "t-" + digest.hexdigest()[:10]


def _identity(tokens: list[str]) -> list[str]:
    return tokens


def discover_topics(
    documents: list[list[str]],
    k: int | None = None,
    top_keywords: int = TOP_KEYWORDS,
    texts: list[str] | None = None,
) -> TopicModel:
    """NMF topics of token lists (``segment.keyword_tokens``); deterministic for one input.

    ``texts`` (the documents' normalised texts, same order) name each topic by a phrase;
    without them a topic is labelled by its top three keywords.
    """
    empty = TopicModel([], [[] for _ in documents])
    stop = topic_stopwords()
    documents = [[w for w in doc if w not in stop] for doc in documents]
    if sum(1 for d in documents if d) < 3:
        return empty
    min_df = 2 if len(documents) >= 20 else 1
    vectorizer = TfidfVectorizer(
        analyzer=_identity, min_df=min_df, max_df=0.95, sublinear_tf=True, norm="l2"
    )
    try:
        matrix = vectorizer.fit_transform(documents)
    except ValueError:  # no term survives min_df/max_df
        return empty
    terms = vectorizer.get_feature_names_out()
    k = k if k is not None else choose_k(len(documents), len(terms))
    k = min(k, len(terms) - 1, matrix.shape[0] - 1)
    if k < 1:
        return empty
    nmf = NMF(n_components=k, init="nndsvda", random_state=RANDOM_STATE, max_iter=500)
    doc_weights = nmf.fit_transform(matrix)
    dominant = doc_weights.argmax(axis=1)
    sizes = np.bincount(dominant[doc_weights.max(axis=1) > 0], minlength=k)
    # How much of each term's weight is this topic's: a word several topics use ("两天" in
    # "用了两天就坏了" and in "跨省两天就到了") names none of them.
    term_totals = nmf.components_.sum(axis=0)
    topics = []
    for index, row in enumerate(nmf.components_):
        # Sort by weight, then by term, so ties never depend on hash order.
        order = sorted(range(len(row)), key=lambda j: (-row[j], terms[j]))[:top_keywords]
        words = [str(terms[j]) for j in order if row[j] > 0]
        weights = [round(float(row[j]), 4) for j in order if row[j] > 0]
        column = doc_weights[:, index]
        heaviest = sorted(
            (i for i in range(len(documents)) if column[i] > 0), key=lambda i: (-column[i], i)
        )
        label = " / ".join(words[:3])
        if texts is not None:
            term_weight = {
                str(terms[j]): float(row[j]) * float(row[j] / term_totals[j])
                for j in range(len(row))
                if row[j] > 0
            }
            # Named from its own comments: those that belong to it more than to any other
            # topic (a comment of another topic with a little weight here is no candidate).
            own = [i for i in heaviest if dominant[i] == index] or heaviest
            candidates = [texts[i] for i in own[:PHRASE_CANDIDATE_DOCS]]
            label = representative_phrase(candidates, term_weight) or label
        topics.append(
            Topic(
                _topic_id(words),
                label,
                words,
                weights,
                int(sizes[index]),
                examples=heaviest[:EXAMPLES],
            )
        )
    topics = _unique_ids(topics)
    document_topics = []
    for row in doc_weights:
        total = float(row.sum())
        shares = [(topics[j].id, float(row[j]) / total) for j in range(k) if total > 0]
        kept = [(t, round(s, 4)) for t, s in shares if s >= MIN_DOCUMENT_SHARE]
        document_topics.append(sorted(kept, key=lambda pair: -pair[1]))
    return TopicModel(topics, document_topics)


def npmi(keywords: list[str], documents: list[list[str]], top_n: int = 10) -> float:
    """Mean normalised PMI of the top keyword pairs, counted by documents (-1 … 1).

    A pair never seen together scores -1; one always seen together 1.
    """
    words = keywords[:top_n]
    if len(words) < 2:
        return 0.0
    sets = [set(doc) for doc in documents]
    n = len(sets)
    df = {w: sum(1 for d in sets if w in d) for w in words}
    values = []
    for a, b in itertools.combinations(words, 2):
        both = sum(1 for d in sets if a in d and b in d)
        if both == 0 or not n:
            values.append(-1.0)
            continue
        p_ab, p_a, p_b = both / n, df[a] / n, df[b] / n
        values.append(1.0 if p_ab >= 1.0 else math.log(p_ab / (p_a * p_b)) / -math.log(p_ab))
    return sum(values) / len(values)


def _unique_ids(topics: list[Topic], taken: set[str] | None = None) -> list[Topic]:
    seen = set(taken or ())
    unique = []
    for topic in topics:
        topic_id, n = topic.id, 1
        while topic_id in seen:
            n += 1
            topic_id = f"{topic.id}-{n}"
        seen.add(topic_id)
        unique.append(topic if topic_id == topic.id else replace(topic, id=topic_id))
    return unique


def keyword_similarity(a: list[str], b: list[str]) -> float:
    """Cosine of rank-weighted keyword vectors: shared top words count most."""

    def vector(words: list[str]) -> dict[str, float]:
        return {w: 1.0 / math.sqrt(i + 1) for i, w in enumerate(words)}

    va, vb = vector(a), vector(b)
    dot = sum(weight * vb[w] for w, weight in va.items() if w in vb)
    norm = math.sqrt(sum(v * v for v in va.values())) * math.sqrt(sum(v * v for v in vb.values()))
    return dot / norm if norm else 0.0


def match_topics(
    topics: list[Topic], previous: list[PreviousTopic], threshold: float = MATCH_THRESHOLD
) -> dict[int, PreviousTopic]:
    """Pair new topics (by index) with previous ones: one-to-one, similarity ≥ threshold."""
    if not topics or not previous:
        return {}
    similarity = np.array(
        [[keyword_similarity(t.keywords, p.keywords) for p in previous] for t in topics]
    )
    rows, cols = linear_sum_assignment(-similarity)
    return {
        int(r): previous[c]
        for r, c in zip(rows, cols, strict=True)
        if similarity[r, c] >= threshold
    }


def stabilise_topics(
    model: TopicModel, previous: list[PreviousTopic], threshold: float = MATCH_THRESHOLD
) -> TopicModel:
    """Give re-discovered topics their previous id and name; new topics keep fresh ids."""
    matches = match_topics(model.topics, previous, threshold)
    renamed: dict[str, str] = {}
    topics = []
    inherited = {old.id for old in matches.values()}
    for index, topic in enumerate(model.topics):
        old = matches.get(index)
        if old is not None:
            renamed[topic.id] = old.id
            # The name stays (stable across runs), unless no one chose it and it is of an
            # outdated kind that this run found a better name for.
            keep = old.edited or not _outdated_name(old.name) or _outdated_name(topic.label)
            topics.append(replace(topic, id=old.id, label=old.name if keep else topic.label))
        else:
            # A fresh topic must not take the id of a previous one it is not.
            fresh = _unique_ids([topic], taken=inherited | set(renamed.values()))[0]
            renamed[topic.id] = fresh.id
            topics.append(fresh)
    document_topics = [[(renamed.get(t, t), w) for t, w in doc] for doc in model.document_topics]
    return TopicModel(topics, document_topics)
