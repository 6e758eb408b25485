"""Staff corrections of sentiment are kept and become training data for the next model."""

import pytest
from django.core.management import call_command

from feedback.analysis.corrections import sentiment_correct
from feedback.nlp import model_store, train
from tests.factories import FeedbackItemFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def corrections_file(tmp_path, monkeypatch):
    path = tmp_path / "corrections.tsv"
    monkeypatch.setenv("SURVEYHUB_NLP_CORRECTIONS", str(path))
    monkeypatch.setenv("SURVEYHUB_NLP_MODEL_DIR", str(tmp_path))
    model_store.model_version.cache_clear()
    yield path
    model_store.model_version.cache_clear()


@pytest.mark.slow
def test_train_sentiment_trains_a_new_model_version_that_includes_the_corrections(
    corrections_file, capsys
):
    before = model_store.model_version()
    item = FeedbackItemFactory(text="这价格还能接受吧，凑合用")
    sentiment_correct(item=item, label="negative", by=UserFactory(role="客服 Agent"))

    call_command("train_sentiment")

    assert corrections_file.read_text(encoding="utf-8") == "negative\t这价格还能接受吧，凑合用\n"
    after = model_store.model_version()
    assert after != before
    assert model_store.model_path().exists()
    assert "1 staff corrections used" in capsys.readouterr().out
    data = train.load_training_data()
    assert data.labels[data.texts.index("这价格还能接受吧,凑合用")] == 0
