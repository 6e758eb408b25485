"""The batch analysis the worker runs: results stored, idempotent, bad input marked."""

import pytest

from feedback.analysis.corrections import sentiment_correct
from feedback.analysis.services import feedback_analyse_batch, feedback_reanalyse_all
from feedback.models import AnalysisStatus, FeedbackAspect, FeedbackItem
from feedback.nlp import pipeline
from tests.factories import FeedbackItemFactory

pytestmark = pytest.mark.django_db


def test_results_are_stored_with_the_analysis_version():
    item = FeedbackItemFactory(text="东西不错但是物流太慢")

    result = feedback_analyse_batch(item_ids=[item.pk])

    item.refresh_from_db()
    assert result.analysed == 1
    assert item.analysis_status == AnalysisStatus.DONE
    assert item.analysis_version == pipeline.analysis_version()
    assert item.analysed_at is not None
    assert item.sentiment_label == "negative"
    assert 0 <= item.sentiment_score <= 1
    assert "物流" in item.keywords
    aspects = {a.aspect: a.label for a in item.aspects.all()}
    assert aspects["quality"] == "positive"
    assert aspects["delivery"] == "negative"


def test_running_a_batch_twice_changes_nothing_the_second_time():
    items = [FeedbackItemFactory(text=t) for t in ("客服态度很好", "包装破了，价格还贵")]
    ids = [i.pk for i in items]
    feedback_analyse_batch(item_ids=ids)
    stored = list(FeedbackItem.objects.order_by("pk").values_list("analysed_at", flat=True))
    aspects = FeedbackAspect.objects.count()

    again = feedback_analyse_batch(item_ids=ids)

    assert (again.analysed, again.already_done) == (0, 2)
    assert list(FeedbackItem.objects.order_by("pk").values_list("analysed_at", flat=True)) == (
        stored
    )
    assert FeedbackAspect.objects.count() == aspects


BAD_TEXTS = {
    "empty": ("", AnalysisStatus.SKIPPED, "empty"),
    "whitespace": (" \n\t　 ", AnalysisStatus.SKIPPED, "empty"),
    "emoji only": ("😡😡😡", AnalysisStatus.DONE, ""),
    "unknown symbols": ("🦜🦜 ### 123", AnalysisStatus.SKIPPED, "no_chinese_or_english_text"),
    "html script": ("<script>alert('x')</script>很好", AnalysisStatus.DONE, ""),
    "bare markup": ("<b></b><i></i>", AnalysisStatus.SKIPPED, "no_chinese_or_english_text"),
    "english": ("The delivery was late and support was rude", AnalysisStatus.DONE, ""),
    "gbk mojibake": ("锟斤拷锟斤拷锟斤拷", AnalysisStatus.SKIPPED, "mojibake"),
    "ten thousand chars": ("物流太慢了。" * 1700, AnalysisStatus.DONE, ""),
}


@pytest.mark.parametrize("name", BAD_TEXTS)
def test_bad_input_never_crashes_and_is_marked_with_a_reason(name):
    text, status, reason = BAD_TEXTS[name]
    item = FeedbackItemFactory(text=text)

    feedback_analyse_batch(item_ids=[item.pk])

    item.refresh_from_db()
    assert item.analysis_status == status
    assert item.analysis_error == reason


def test_an_unexpected_error_marks_only_that_item_failed(monkeypatch):
    good, bad = FeedbackItemFactory(text="很好"), FeedbackItemFactory(text="BOOM")
    real = pipeline.analyse

    def analyse(texts, **kwargs):
        if "BOOM" in texts:
            raise RuntimeError("model exploded")
        return real(texts, **kwargs)

    monkeypatch.setattr(pipeline, "analyse", analyse)
    result = feedback_analyse_batch(item_ids=[good.pk, bad.pk])

    good.refresh_from_db()
    bad.refresh_from_db()
    assert (result.analysed, result.failed) == (1, 1)
    assert good.analysis_status == AnalysisStatus.DONE
    assert bad.analysis_status == AnalysisStatus.FAILED
    assert bad.analysis_error == "RuntimeError: model exploded"


def test_a_new_analysis_version_reanalyses_everything_without_duplicates(monkeypatch):
    items = [FeedbackItemFactory(text=t) for t in ("价格实惠", "物流很慢，客服不理人")]
    feedback_analyse_batch(item_ids=[i.pk for i in items])
    aspects_before = FeedbackAspect.objects.count()
    monkeypatch.setattr(pipeline, "ANALYSIS_VERSION", "999")

    queued = feedback_reanalyse_all()  # tasks run in-process here

    assert queued == 2
    versions = set(FeedbackItem.objects.values_list("analysis_version", flat=True))
    assert versions == {pipeline.analysis_version()}
    assert pipeline.analysis_version().startswith("999+")
    assert FeedbackItem.objects.count() == 2
    assert FeedbackAspect.objects.count() == aspects_before


def test_a_staff_correction_survives_reanalysis(monkeypatch):
    item = FeedbackItemFactory(text="还行吧，没什么特别的")
    feedback_analyse_batch(item_ids=[item.pk])
    sentiment_correct(item=item, label="negative")
    monkeypatch.setattr(pipeline, "ANALYSIS_VERSION", "999")

    feedback_reanalyse_all()

    item.refresh_from_db()
    assert item.sentiment_label == "negative"
    assert item.corrections.get().label == "negative"


def test_corrections_are_exported_as_training_data(tmp_path):
    from django.core.management import call_command

    item = FeedbackItemFactory(text="还行吧，没什么特别的")
    sentiment_correct(item=item, label="neutral")
    sentiment_correct(item=item, label="negative")
    path = tmp_path / "corrections.tsv"

    call_command("export_sentiment_corrections", str(path))

    assert path.read_text(encoding="utf-8") == "negative\t还行吧，没什么特别的\n"


def test_the_reanalyse_command_reports_what_it_queued(monkeypatch, capsys):
    from django.core.management import call_command

    item = FeedbackItemFactory(text="价格实惠")
    feedback_analyse_batch(item_ids=[item.pk])
    monkeypatch.setattr(pipeline, "ANALYSIS_VERSION", "998")

    call_command("reanalyse_feedback")

    assert "1 items queued for analysis version 998+" in capsys.readouterr().out
    item.refresh_from_db()
    assert item.analysis_version.startswith("998+")
