"""People read labels, never stored codes: every staff page and every email of the demo data,
in Chinese and English, shows no choice value, survey option value or state code in its
visible text (HTML stripped, attributes ignored; downloads read cell by cell)."""

import io
import json
import re
from html.parser import HTMLParser

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import models
from django.test import Client

from tests import pages

pytestmark = pytest.mark.django_db

LANGUAGES = ("zh-hans", "en")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Addresses and links are text people read but are not codes (`li@example.com`, `/s/demo-nps`).
NOT_WORDS = re.compile(r"\S+@\S+|https?://\S+|/[\w/.?=&%-]*|#[\w-]+")
TOKEN = re.compile(
    r"(?<![\w.-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w-])|(?<![\w.-])[a-z]{2,}(?![\w.-])"
)


def stored_codes() -> set[str]:
    """Every choice value of our models, RFM segment and aspect code, and option value (but
    the demo users' names, which the top bar shows as the names they are)."""
    from django.contrib.auth import get_user_model

    from analytics.metrics.rfm import SEGMENTS
    from feedback.nlp.aspects import ASPECTS_FILE
    from surveys.models import Question

    codes: set[str] = set()
    pending = [models.TextChoices]
    while pending:
        cls = pending.pop()
        pending += cls.__subclasses__()
        if cls.__module__.split(".")[0] in {"surveys", "feedback", "analytics", "surveyhub"}:
            codes |= {str(value) for value in cls.values}
    codes |= {segment.code for segment in SEGMENTS}
    codes |= set(json.loads(ASPECTS_FILE.read_text(encoding="utf-8")))
    for options in Question.objects.exclude(options=[]).values_list("options", flat=True):
        codes |= {str(o.get("value")) for o in options if isinstance(o, dict) and o.get("value")}
    codes -= set(get_user_model().objects.values_list("username", flat=True))
    codes -= customers_words()
    return {c for c in codes if re.fullmatch(r"[a-z][a-z0-9_]+", c)}


def customers_words() -> set[str]:
    """Latin words customers wrote themselves ("吸尘器 app 好用"): their text, not a code."""
    from feedback.models import FeedbackItem

    words: set[str] = set()
    for text in FeedbackItem.objects.values_list("text", flat=True):
        # Topics keep "吸尘器APP好用"'s "APP" as the keyword "app".
        words |= set(TOKEN.findall(re.sub(r"[^\x00-\x7f]", " ", text.lower())))
    return words


def designers_codes() -> set[str]:
    """Option values and question keys: the survey builder shows them to the designer who
    writes them (they are what display logic and exports refer to)."""
    from surveys.models import Question

    codes = set(Question.objects.values_list("key", flat=True))
    for options in Question.objects.exclude(options=[]).values_list("options", flat=True):
        codes |= {str(o.get("value")) for o in options if isinstance(o, dict)}
    return codes


# The builder's own pages, where a designer edits the codes of designers_codes() and writes
# every text in Chinese and English: there English words are the designer's prose, so only
# snake_case codes count.
BUILDER = "staff/surveys/<int:pk>/"


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip


class _Text(HTMLParser):
    """Text a person sees: no script, style or template content, and none of Django admin's
    screen-reader-only table headings (`visually-hidden`, Django's own catalogue)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._stack: list[bool] = []  # per open element: is it (or an ancestor) hidden?

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        hidden = tag in {"script", "style", "template"} or "visually-hidden" in classes
        self._stack.append(hidden or (bool(self._stack) and self._stack[-1]))

    def handle_endtag(self, tag):
        if tag not in VOID and self._stack:
            self._stack.pop()

    def handle_data(self, data):
        if not (self._stack and self._stack[-1]):
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


def codes_in(text: str, codes: set[str], *, language: str) -> set[str]:
    """The codes shown as words. In English a plain word code (`new`, `low`) may be ordinary
    prose, so there only snake_case codes count; in Chinese any code counts."""
    words = set(TOKEN.findall(NOT_WORDS.sub(" ", text)))
    found = words & codes
    return found if language != "en" else {c for c in found if "_" in c}


def _download_text(raw: bytes, content_type: str) -> str:
    if content_type != XLSX:
        return raw.decode("utf-8-sig", errors="replace")
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(raw), read_only=True)
    cells = [book.sheetnames] + [
        cell for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row
    ]
    return "\n".join(str(cell) for cell in cells if cell is not None)


@pytest.fixture
def demo(settings, monkeypatch, django_capture_on_commit_callbacks):
    from django.contrib.auth import get_user_model
    from django.core.mail import get_connection

    import surveys.distribution.demo
    from analytics.models import ImportJob
    from feedback.models import FeedbackItem, Topic
    from feedback.models.cases import Case
    from surveys.models import Distribution, Survey

    settings.DEMO_MODE = True
    # The demo writes its invitations to files; here they go to mail.outbox to be read.
    monkeypatch.setattr(surveys.distribution.demo, "get_connection",
                        lambda *args, **kwargs: get_connection(settings.EMAIL_BACKEND))  # fmt: skip
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")
    case = Case.objects.filter(customer__isnull=False).order_by("pk").first()
    # The case's own survey: the response page of the walk is its response in that survey.
    survey = case.response.survey if case.response_id else Survey.objects.order_by("pk").first()
    values = pages.argument_values(
        survey=survey, customer=case.customer, distribution=Distribution.objects.first(),
        imports=list(ImportJob.objects.all()[:3]), item=FeedbackItem.objects.first(),
        topic=Topic.objects.first(), case=case, token="not-a-token",
        question_keys=list(survey.current_version.questions.values_list("key", flat=True))
        if hasattr(survey, "current_version") else ["nps"],
    )  # fmt: skip
    return {
        "pages": _buildable_pages(values),
        "admin": get_user_model().objects.get(username="admin"),
        "emails": list(mail.outbox),
    }


def _buildable_pages(values) -> list:
    """(URL, route) of every staff route the demo's objects fill in. A route that ARGUMENTS
    cannot build yet fails tests/test_pages.py, which owns that check."""
    found = []
    for route in pages.routes_in("staff"):
        try:
            found += [(url, route) for url in pages.build(route, values)]
        except pages.Unbuildable:
            continue
    return found


def _page_problems(client, found, codes, language) -> dict[str, set[str]]:
    problems: dict[str, set[str]] = {}
    builders = designers_codes()
    for url, route in found:
        reply = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        if reply.status_code in (302, 405):
            continue
        assert reply.status_code == 200, f"{url} answered {reply.status_code}"
        content_type = reply.get("Content-Type", "").split(";")[0]
        if content_type == "application/json" or content_type.startswith("image/"):
            continue  # data for programs (keeps codes, with *_label beside for display)
        if reply.streaming or reply.get("Content-Disposition", "").startswith("attachment"):
            raw = b"".join(reply.streaming_content) if reply.streaming else reply.content
            text = _download_text(raw, content_type)
        else:
            text = visible_text(reply.content.decode())
        if route.route.startswith(BUILDER):  # both languages of the designer's own texts
            found = codes_in(text, codes - builders, language="en")
        else:
            found = codes_in(text, codes, language=language)
        if found:
            problems[url] = {_around(text, code) for code in found}
    return problems


def _around(text: str, code: str) -> str:
    """The code with a little of the text around it, so a failure says where it is."""
    match = re.search(rf"(?<![\w.-]){re.escape(code)}(?![\w-])", NOT_WORDS.sub(" ", text))
    if match is None:
        return code
    clean = NOT_WORDS.sub(" ", text)
    return f"{code}: …{' '.join(clean[max(0, match.start() - 30) : match.end() + 20].split())}…"


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_staff_page_of_the_demo_shows_a_stored_code(demo, language):
    codes = stored_codes()
    client = Client()
    client.force_login(demo["admin"])
    client.cookies["django_language"] = language
    problems = _page_problems(client, demo["pages"], codes, language)
    assert not problems, "\n".join(f"{url}: {sorted(c)}" for url, c in sorted(problems.items()))


def test_no_email_of_the_demo_shows_a_stored_code(demo):
    assert demo["emails"], "the demo sends invitations: no email means nothing was checked"
    codes = stored_codes()
    problems = {}
    for message in demo["emails"]:
        texts = [message.subject, message.body]
        texts += [visible_text(body) for body, kind in getattr(message, "alternatives", [])
                  if kind == "text/html"]  # fmt: skip
        # An English customer's email is in English, where plain words may be prose.
        language = "zh-hans" if re.search(r"[\u4e00-\u9fff]", message.body) else "en"
        found = set().union(*(codes_in(t, codes, language=language) for t in texts))
        if found:
            problems[message.subject] = found
    assert not problems, problems


def test_the_check_finds_a_code_put_back_and_passes_its_label():
    codes = {"in_progress", "after_sales", "low", "email"}
    html = '<p class="low">案例 → in_progress <a href="/x?channel=email">邮件</a> low</p>'
    assert codes_in(visible_text(html), codes, language="zh-hans") == {"in_progress", "low"}
    assert codes_in(visible_text(html), codes, language="en") == {"in_progress"}
    labelled = (
        '<p class="in_progress">处理中 · 售后：负面 · li@example.com</p><script>"low"</script>'
    )
    assert codes_in(visible_text(labelled), codes, language="zh-hans") == set()
