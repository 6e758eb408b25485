"""Pages customers answer on: by public link (/s/<slug>/) and by personal invitation (/i/<token>/).

Server-rendered and usable with JavaScript off: display logic runs on the server page by
page. A small script, when it runs, saves answers as they are typed.
"""

import uuid
from datetime import timedelta
from functools import cache
from pathlib import Path

from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_http_methods

from surveyhub.security.ratelimit import device_id, public_page
from surveyhub.tasking.locks import retry_when_locked
from surveys.channels.wechat.identity import response_attach_openid
from surveys.channels.wechat.share import share_card
from surveys.channels.wechat.views import identity_gate
from surveys.design.logic import split_pages, visible_questions
from surveys.design.piping import customer_fields
from surveys.distribution.tokens import looks_like_token
from surveys.errors import SurveyError
from surveys.models import BrandImage, Channel, QuestionType, ResponseStatus
from surveys.queries import (
    current_questions,
    draft_for_cookie,
    invitation_by_token,
    survey_for_link,
)
from surveys.responding.answers import MULTIPLE_TYPES
from surveys.responding.branding import look_for
from surveys.responding.device import device_key
from surveys.responding.duration import duration_text, survey_minutes
from surveys.responding.grid_answers import GRID_TYPES, grid_from_post
from surveys.responding.page_fields import PAGE_FIELDS, hidden_from_link
from surveys.responding.rendering import render_question, text_in
from surveys.responding.services import (
    first_incomplete_question,
    invitation_record_open,
    response_complete,
    response_save_page,
    saved_answers,
    survey_state,
)
from surveys.responding.thanks_hooks import thanks_blocks

COOKIE_PREFIX = "sh_draft_"
COOKIE_MAX_AGE = 60 * 60 * 24 * 30
# A completed survey opened again after this long is one answered earlier, not just now.
ANSWERED_EARLIER = timedelta(minutes=10)
CHANNEL_TAGS = {"wechat": Channel.WECHAT, "qr": Channel.QR, "link": Channel.LINK}


def unavailable(request, reason: str, survey=None, status: int = 200):
    return render(
        request,
        "surveys/respond/unavailable.html",
        {"reason": reason, "survey": survey},
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
@public_page
def answer_by_link(request, slug):
    survey = survey_for_link(slug)
    if survey is None:
        return unavailable(request, "unknown", status=404)
    state = survey_state(survey)
    if state != "open":
        return unavailable(request, state, survey, status=404 if state == "draft" else 200)
    openid, refusal = identity_gate(request, survey)  # WeChat OAuth, when the survey asks
    if refusal is not None:
        return refusal
    cookie = f"{COOKIE_PREFIX}{survey.pk}"
    response = draft_for_cookie(survey, request.COOKIES.get(cookie))
    tag = request.GET.get("c", "")
    flow = AnswerFlow(
        request, survey=survey, response=response, cookie=cookie, openid=openid,
        channel=CHANNEL_TAGS.get(tag, Channel.LINK),
        store=request.GET.get("store", "")[:64],
        source={k: v[:64] for k, v in request.GET.items() if k in {"c", "store", "utm_source"}},
    )  # fmt: skip
    return flow.handle()


@never_cache
@require_http_methods(["GET", "POST"])
@public_page(invitation_kwarg="token")
def answer_by_invitation(request, token):
    if not looks_like_token(token):
        return unavailable(request, "invalid", status=404)
    invitation = invitation_by_token(token)
    if invitation is None:
        return unavailable(request, "invalid", status=404)
    survey = invitation.distribution.survey
    response = getattr(invitation, "response", None)
    if response is None or response.status != ResponseStatus.COMPLETED:
        state = survey_state(survey)
        if state != "open":
            return unavailable(request, state, survey)
    invitation_record_open(invitation=invitation)
    flow = AnswerFlow(
        request, survey=survey, response=response, invitation=invitation,
        channel=Channel.SMS if invitation.distribution.channel == "sms" else Channel.EMAIL,
        language=invitation.language,
    )  # fmt: skip
    return flow.handle()


FAVICON = Path(__file__).resolve().parent.parent / "static" / "surveys" / "favicon.ico"


@require_http_methods(["GET", "HEAD"])
@cache_control(public=True, max_age=7 * 86400)
def favicon(request):
    """/favicon.ico, which every browser asks for (a 404 fills logs and costs a round trip)."""
    return HttpResponse(_favicon_bytes(), content_type="image/x-icon")


@cache
def _favicon_bytes() -> bytes:
    return FAVICON.read_bytes()


@require_http_methods(["GET", "HEAD"])
@cache_control(public=True, max_age=365 * 86400, immutable=True)
def brand_image(request, digest):
    """A logo or cover image; its URL is its SHA-256, so it can be cached for good."""
    image = BrandImage.objects.filter(digest=digest).only("content_type", "data").first()
    if image is None:
        return HttpResponse(status=404)
    return HttpResponse(bytes(image.data), content_type=image.content_type)


def privacy(request):
    """What is done with a respondent's data, in plain words (linked from every survey page)."""
    return render(request, "surveys/respond/privacy.html")


def _language_for(request, survey, fixed: str | None) -> str:
    wanted = request.GET.get("lang") or fixed or translation.get_language() or "zh-hans"
    wanted = "en" if wanted.startswith("en") else "zh-hans"
    return wanted if wanted in (survey.languages or ["zh-hans"]) else "zh-hans"


class AnswerFlow:
    """One request of the page-by-page answering flow, shared by link and invitation."""

    def __init__(self, request, *, survey, response, channel, cookie=None, invitation=None,
                 store="", source=None, language=None, openid=""):  # fmt: skip
        self.request = request
        self.openid = openid
        self.survey = survey
        self.response = response
        self.cookie = cookie
        self.invitation = invitation
        self.channel = channel
        self.store = store
        self.source = source or {}
        self.language = _language_for(request, survey, response.language if response else language)
        self.version = response.version if response else survey.current_version
        # The current version's questions come from the per-process cache (keyed by the
        # survey's last edit); an older version a draft started on is read as it is.
        if self.version.pk == survey.current_version_id:
            self.questions = list(current_questions(survey))
        else:
            self.questions = list(self.version.questions.all())
        self.one_per_page = survey.one_question_per_page
        # Hidden fields are filled from the link, never shown: they are on no page.
        shown = [q for q in self.questions if q.type != QuestionType.HIDDEN]
        self.pages = [[q] for q in shown] if self.one_per_page else split_pages(shown)
        self.fields = (
            customer_fields(invitation.customer, as_of=invitation.created_at) if invitation else {}
        )
        self._saved: dict | None = None
        self._before = (response, None)  # what a retried POST starts again from

    def handle(self):
        with translation.override(self.language):
            if self.response is not None and self.response.status == ResponseStatus.COMPLETED:
                # Answers sent again after completion (a second tab, the back button) are
                # refused, and the page says so: an invitation takes one response.
                if self.request.method == "POST":
                    return self.thanks(refused=True)
                # Right after the last page: thanks only. Opened again later: thanks, and
                # that this was answered before (for a personal link: that it is used up).
                finished = self.response.completed_at or timezone.now()
                return self.thanks(earlier=timezone.now() - finished > ANSWERED_EARLIER)
            if self.request.method == "POST":
                return self.post()
            return self.show(self._page_index(), {})

    def _answers(self):
        """The draft's saved answers, read once per request (again only after a save)."""
        if self._saved is None:
            self._saved = saved_answers(self.response)
        return self._saved

    def _visible_pages(self, answers) -> list[int]:
        values = {key: a.value for key, a in answers.items()}
        shown = {q.key for q in visible_questions(self.questions, values)}
        return [i for i, page in enumerate(self.pages) if any(q.key in shown for q in page)]

    def _shown_on(self, index, values) -> list:
        page = [q for q in visible_questions(self.questions, values) if q in self.pages[index]]
        return page or self.pages[index]  # all hidden: e.g. a page whose logic no longer holds

    def _page_index(self) -> int:
        visible = self._visible_pages(self._answers())
        try:
            wanted = int(self.request.GET.get("p", ""))
        except ValueError:
            wanted = None
        if wanted is not None and wanted in visible:
            return wanted
        if self.response is None or not visible:
            return visible[0] if visible else 0
        # Coming back: the first page with a required question unanswered, else the page
        # after the last one that has answers.
        answers = self._answers()
        missing = first_incomplete_question(self.questions, answers)
        if missing is not None:
            return next(i for i, page in enumerate(self.pages) if missing in page)
        answered = [i for i in visible if any(q.key in answers for q in self.pages[i])]
        last = max(answered, default=visible[0])
        return next((i for i in visible if i > last), last)

    def _data(self, page) -> dict:
        post = self.request.POST
        data = {}
        for question in page:
            many = question.type in MULTIPLE_TYPES
            if question.key in post or many:
                values = post.getlist(question.key)
                data[question.key] = values if many else (values[0] if values else "")
            if question.type in PAGE_FIELDS:
                value = PAGE_FIELDS[question.type](question, self.request)
                if value is not None:
                    data[question.key] = value
            if question.type in GRID_TYPES:
                grid = grid_from_post(question, post)
                if grid is not None:
                    data[question.key] = grid
            if f"{question.key}_other" in post:
                data[f"{question.key}_other"] = post[f"{question.key}_other"]
            if question.type == QuestionType.CONSENT and question.key not in post:
                data[question.key] = ""
        return data

    def post(self):
        # On SQLite a concurrent writer can hold the database past the busy timeout: the page
        # is saved again from the start (the failed attempt was rolled back), never a 500.
        return retry_when_locked(self._post_once)

    def _post_once(self):
        self.response, self._saved = self._before
        if self.request.POST.get("action") != "submit":
            return self._post()
        # The last page and the completion in one transaction: a second tab or phone sending
        # the same invitation at the same moment waits on the draft's row lock, then is refused.
        with transaction.atomic():
            return self._post()

    def _post(self):
        action = self.request.POST.get("action", "next")
        try:
            index = int(self.request.POST.get("page", "0"))
            page = self.pages[index]
        except (ValueError, IndexError):
            return self.show(self._page_index(), {})
        try:
            respondent_key = uuid.UUID(self.request.POST.get("rk", ""))
        except ValueError:
            respondent_key = None
        data = self._data(page)
        hidden = hidden_from_link(self.questions, self.request.GET)
        data.update(hidden)
        try:
            self.response, errors = response_save_page(
                survey=self.survey, version=self.version, questions=self.questions,
                page=[*page, *(q for q in self.questions if q.key in hidden)], data=data,
                response=self.response, respondent_key=respondent_key,
                enforce_required=action in {"next", "submit"}, channel=self.channel,
                store=self.store, source=self.source, language=self.language,
                invitation=self.invitation, consent_given=bool(self.request.POST.get("_consent")),
            )  # fmt: skip
        except SurveyError:
            return unavailable(self.request, survey_state(self.survey), self.survey)
        if self.response is not None and self.response.status == ResponseStatus.COMPLETED:
            # Completed from another tab or phone meanwhile: this page was not saved; say so.
            return self._with_cookie(self.thanks(refused=True))
        if (
            self.openid
            and self.response is not None
            and not response_attach_openid(response=self.response, openid=self.openid)
        ):
            return unavailable(self.request, "wechat_answered", self.survey)
        self._saved = None  # the page was just saved
        if action == "autosave":
            return self._with_cookie(HttpResponse(status=204))
        if action == "refresh":  # JS off: a region's next list, the page as it was typed
            regions = {q.key for q in page if q.type == QuestionType.REGION}
            errors = {k: v for k, v in errors.items() if k not in regions}  # not chosen yet
            return self._with_cookie(self.show(index, errors))
        if action == "back":
            return self._with_cookie(redirect(self._url(self._previous(index))))
        if errors:
            return self._with_cookie(self.show(index, errors, status=200))
        following = self._next(index)
        if following is not None:
            return self._with_cookie(redirect(self._url(following)))
        if self.response is None:  # an all-optional survey left empty
            return self.show(index, {"_form": _nothing_answered()})
        try:
            response_complete(
                response=self.response, device_key=device_key(device_id(self.request))
            )
        except SurveyError as exc:
            first = next(iter(exc.errors), None)
            target = next((i for i, p in enumerate(self.pages) if any(q.key == first for q in p)),
                          index)  # fmt: skip
            return self._with_cookie(self.show(target, exc.errors))
        return self._with_cookie(redirect(self._url(None)))

    def _next(self, index):
        visible = self._visible_pages(self._answers())
        return next((i for i in visible if i > index), None)

    def _previous(self, index):
        visible = self._visible_pages(self._answers())
        return next((i for i in reversed(visible) if i < index), visible[0] if visible else 0)

    def _url(self, page_index):
        if self.invitation is not None:
            base = reverse("respond-invitation", args=[self.request.resolver_match.kwargs["token"]])
        else:
            base = reverse("respond-link", args=[self.survey.slug])
        params = self.request.GET.copy()
        params.pop("p", None)
        if page_index is not None:
            params["p"] = str(page_index)
        return f"{base}?{params.urlencode()}" if params else base

    def _with_cookie(self, http_response):
        if self.cookie and self.response is not None:
            if self.response.status == ResponseStatus.COMPLETED:
                http_response.delete_cookie(self.cookie)
            else:
                http_response.set_cookie(
                    self.cookie, str(self.response.respondent_key), max_age=COOKIE_MAX_AGE,
                    httponly=True, samesite="Lax", secure=self.request.is_secure(),
                )  # fmt: skip
        return http_response

    def show(self, index, errors, status=200):
        answers = self._answers()
        visible_pages = self._visible_pages(answers)
        values = {key: a.value for key, a in answers.items()}
        page = self._shown_on(index, values)
        seed = self.response.respondent_key if self.response else "new"
        needs_consent = bool(self.version.consent_text) and not (
            self.response and self.response.consent_version
        )
        position = visible_pages.index(index) if index in visible_pages else 0
        posted = self.request.POST if self.request.method == "POST" else None
        minutes = survey_minutes(self.version.pk, [q.type for q in self.questions])
        context = {
            "survey": self.survey, "version": self.version, "language": self.language,
            "title": self.survey.title_in(self.language),
            "intro": text_in(self.version, "intro", self.language, self.fields)
            if position == 0 else "",
            "greeting_name": self.fields.get("name", "") if position == 0 else "",
            "duration": duration_text(minutes) if position == 0 else "",
            "consent_text": text_in(self.version, "consent_text", self.language)
            if needs_consent and position == 0 else "",
            "consent_error": errors.get("_consent", ""), "form_error": errors.get("_form", ""),
            "questions": [
                render_question(q, self.language, answers, errors, seed, self.fields, posted)
                for q in page
            ],
            "page_index": index, "page_number": position + 1, "one_per_page": self.one_per_page,
            "page_count": max(len(visible_pages), 1),
            "is_last": self._next(index) is None, "is_first": position == 0,
            "rk": str(self.response.respondent_key) if self.response else str(uuid.uuid4()),
            "other_language": "en" if self.language == "zh-hans" else "zh-hans",
            "show_language_switch": len(self.survey.languages or []) > 1,
        }  # fmt: skip
        context["multipart"] = any(q.type == QuestionType.FILE for q in page)
        context["look"] = look_for(self.survey, self.language)
        context["cover"] = context["look"].cover if position == 0 else ""
        context["share"] = share_card(self.request, self.survey, title=context["title"],
                                      intro=context["intro"], look=context["look"])  # fmt: skip
        context.update(self.extra_context())
        return render(self.request, "surveys/respond/page.html", context, status=status)

    def extra_context(self) -> dict:
        """More for page.html: the staff preview's answers (surveys.design.preview)."""
        return {}

    def thanks(self, refused=False, earlier=False):
        look = look_for(self.survey, self.language)
        # Registered by higher apps (a promoter's referral link); run before a redirect too.
        blocks = [] if refused else thanks_blocks(self.request, self.response)
        if look.end_redirect_url and not refused:
            return redirect(look.end_redirect_url)
        return render(
            self.request,
            "surveys/respond/thanks.html",
            {"survey": self.survey, "title": self.survey.title_in(self.language),
             "text": text_in(self.version, "thank_you", self.language, self.fields),
             "refused": refused, "earlier": earlier, "personal": self.invitation is not None,
             "look": look, "blocks": blocks},
        )  # fmt: skip


def _nothing_answered() -> str:
    from django.utils.translation import gettext

    return gettext("Please answer at least one question before sending.")
