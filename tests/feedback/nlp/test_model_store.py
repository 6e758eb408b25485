import numpy as np

from feedback.nlp import model_store, sentiment
from feedback.nlp.model_store import LinearModel, load_model, save_model


def test_saved_model_loads_back_identically_and_leaves_no_temp_file(tmp_path):
    model = LinearModel(np.arange(5, dtype=np.float32), -0.25, "v-test", {"n_texts": 3})
    path = tmp_path / "nested" / "model.npz"
    save_model(model, path)
    loaded = load_model(path)
    assert np.array_equal(loaded.coef, model.coef)
    assert (loaded.intercept, loaded.version, loaded.meta) == (-0.25, "v-test", {"n_texts": 3})
    assert [p.name for p in path.parent.iterdir()] == ["model.npz"]


def test_model_dir_comes_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("SURVEYHUB_NLP_MODEL_DIR", str(tmp_path))
    assert model_store.model_path().parent == tmp_path
    assert model_store.model_version() in model_store.model_path().name


def test_missing_model_is_trained_on_first_use(monkeypatch, tmp_path):
    monkeypatch.setenv("SURVEYHUB_NLP_MODEL_DIR", str(tmp_path))
    monkeypatch.setattr(sentiment, "_model", None)
    trained = []

    def fake_train(path):
        trained.append(path)
        save_model(LinearModel(np.zeros(8, dtype=np.float32), 0.0, "v", {}), path)

    monkeypatch.setattr("feedback.nlp.train.train", fake_train)
    model = sentiment.get_model()
    assert trained == [model_store.model_path()]
    assert model.coef.shape == (8,)
    assert sentiment.get_model() is model
