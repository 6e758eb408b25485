"""The respondent pages' own flow (surveys.responding.views.AnswerFlow), run for a preview:
the same pages, paging, display logic, piping, checks and end page, but the answers of each
page go back into the next page's form (state.py) instead of into a Response."""

from dataclasses import dataclass

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from surveys.design.logic import visible_questions
from surveys.design.piping import customer_fields
from surveys.design.preview.samples import sample_customer
from surveys.design.preview.state import PreviewState, portable, state_dump, state_load
from surveys.models import Channel, QuestionType
from surveys.responding.answers import check_answers
from surveys.responding.branding import look_for
from surveys.responding.page_fields import hidden_from_link
from surveys.responding.rendering import text_in
from surveys.responding.services import first_incomplete_question
from surveys.responding.views import AnswerFlow

# Query parameters of the preview itself; a question key never starts with "_", so a hidden
# field of the survey can never be filled by one of them.
SAMPLE_PARAM, JUMP_PARAM, JUMP_GO = "_sample", "_to", "_go"


@dataclass
class _Respondent:
    """What the respondent pages read of a draft response, for a preview that has none."""

    respondent_key: object
    consent_version: int | None
    status: str = "draft"


class PreviewFlow(AnswerFlow):
    def __init__(self, request, *, survey):
        super().__init__(request, survey=survey, response=None, channel=Channel.LINK)
        self.fields = customer_fields(sample_customer(request.GET.get(SAMPLE_PARAM)))
        self.state = PreviewState()
        if request.method == "POST":
            self.state = state_load(request.POST.get("preview_state"), version_id=self.version.pk)
            consent = self.version.number if self.state.consented else None
            self.response = _Respondent(self.state.key, consent)
        self._saved = self.state.answers
        self.jumped = None  # the question "jump to question" went to

    # What the respondent flow reads and writes, kept in the page instead ---------------------

    def _answers(self):
        return self.state.answers

    def extra_context(self) -> dict:
        context = {"preview_state": state_dump(self.state, version_id=self.version.pk)}
        if self.jumped is not None:
            number = self.questions.index(self.jumped) + 1
            context["preview_note"] = _(
                "You jumped to question %(number)s. The questions before it are unanswered in "
                "this preview, so conditions and piped answers that depend on them are not met "
                "yet; the question is shown all the same. Restart to try the survey from the start."
            ) % {"number": number}
        return context

    def _page_index(self) -> int:
        """A jump goes to the page of the wanted question, with no answers: the first page,
        with its privacy notice, is skipped, so the notice counts as accepted."""
        wanted = self.request.GET.get(JUMP_PARAM) if self.request.GET.get(JUMP_GO) else None
        for index, page in enumerate(self.pages):
            for question in page:
                if wanted and question.key == wanted:
                    self.jumped = question
                    self.state.consented = True
                    self.response = _Respondent(self.state.key, self.version.number)
                    return index
        return super()._page_index()

    def _shown_on(self, index, values) -> list:
        """The page's questions whose logic holds, and the one jumped to even when its
        condition is not met (nothing before it is answered)."""
        page = super()._shown_on(index, values)
        if self.jumped is None or self.jumped in page or self.jumped not in self.pages[index]:
            return page
        return [q for q in self.pages[index] if q in page or q is self.jumped]

    def post(self):
        action = self.request.POST.get("action", "next")
        try:
            index = int(self.request.POST.get("page", "0"))
            page = self.pages[index]
        except (ValueError, IndexError):
            return self.show(self._page_index(), {})
        errors = self._check_and_keep(page, action)
        if action == "autosave":
            return HttpResponse(status=204)
        if action == "refresh":  # JS off: a region's next list, the page as it was typed
            regions = {q.key for q in page if q.type == QuestionType.REGION}
            return self.show(index, {k: v for k, v in errors.items() if k not in regions})
        if action == "back":
            return self.show(self._previous(index), {})
        if errors:
            return self.show(index, errors)
        following = self._next(index)
        if following is not None:
            return self.show(following, {})
        return self._complete(index)

    def _check_and_keep(self, page, action) -> dict[str, str]:
        """The checks of surveys.responding.services.response_save_page, without the saving:
        valid answers are kept even when another question of the page has an error."""
        data = self._data(page)
        hidden = hidden_from_link(self.questions, self.request.GET)
        data.update(hidden)
        page = [*page, *(q for q in self.questions if q.key in hidden)]
        known = self.state.answers
        values = {key: answer.value for key, answer in known.items()}
        enforce = action in {"next", "submit"}
        required = visible_questions(page, values) if enforce else []
        checked = check_answers(page, data, known=known, require=required)
        errors = dict(checked.errors)
        consent_given = bool(self.request.POST.get("_consent"))
        if self.version.consent_text and not self.state.consented:
            if consent_given:
                self.state.consented = True
                self.response.consent_version = self.version.number
            elif enforce:
                errors["_consent"] = _("Please accept the privacy notice to continue.")
        for question in page:
            if question.key in errors:
                continue
            if question.key in checked.answers:
                self.state.answers[question.key] = portable(checked.answers[question.key])
            else:
                self.state.answers.pop(question.key, None)
        return errors

    def _complete(self, index):
        """What response_complete checks before the end page; nothing is stored."""
        answers = self.state.answers
        if not answers:  # an all-optional survey left empty
            return self.show(
                index, {"_form": _("Please answer at least one question before sending.")}
            )
        missing = first_incomplete_question(self.questions, answers)
        if missing is not None:
            target = next(i for i, page in enumerate(self.pages) if missing in page)
            return self.show(target, {missing.key: _("This question needs an answer.")})
        if self.version.consent_text and not self.state.consented:
            return self.show(
                self._visible_pages(answers)[0],
                {"_consent": _("Please accept the privacy notice to continue.")},
            )
        return self.thanks()

    def thanks(self, refused=False, earlier=False):
        # The end page, never the survey's redirect: the preview stays in its phone frame.
        return render(
            self.request,
            "surveys/respond/thanks.html",
            {
                "survey": self.survey,
                "title": self.survey.title_in(self.language),
                "text": text_in(self.version, "thank_you", self.language, self.fields),
                "refused": False,
                "earlier": False,
                "personal": False,
                "look": look_for(self.survey, self.language),
            },
        )
