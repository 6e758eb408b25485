"""A database full of XSS payloads, put in through the product's own doors."""

import datetime as dt
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from analytics.imports.jobs import import_job_create
from analytics.models import ImportJob
from feedback.models import FeedbackItem, FeedbackTopic, Topic
from feedback.models.cases import Case
from surveyhub.security.roles import Role
from surveys.design.services import question_change, survey_questions_specs, survey_update
from surveys.distribution.tokens import hash_token, new_seed, token_for
from surveys.models import Customer, Distribution, Invitation, Response
from tests.factories import CustomerFactory, FeedbackItemFactory, UserFactory, published_survey
from tests.security.xss import DOM_PAYLOAD, PAYLOADS, mixed

EVIL_EMAIL = 'x"><img src=x onerror=alert(1)>@example.cn'


@dataclass
class World:
    survey: object
    customer: Customer
    invitation: Invitation
    url: str  # the invitation's /i/<token>/
    response: Response
    item: FeedbackItem
    topic: Topic
    case: Case
    agent: object
    imports: list


def poisoned_survey():
    survey = published_survey(consent_text="", slug="xss-survey")
    survey = survey_update(
        survey=survey, title=mixed(0), title_en=mixed(1), intro=mixed(2), thank_you=mixed(3),
        languages=["zh-hans", "en"],
    )  # fmt: skip
    question_change(survey=survey, key="nps", changes={"text": mixed(4), "help_text": mixed(5)})
    question_change(survey=survey, key="comment", changes={"text": mixed(6)})
    reason = next(q for q in survey_questions_specs(survey) if q["key"] == "reason")
    options = [{**reason["options"][0], "label": mixed(7)}, *reason["options"][1:]]
    question_change(survey=survey, key="reason", changes={"options": options})
    survey.refresh_from_db()
    return survey


def invite(survey, customer):
    seed = new_seed()
    distribution = Distribution.objects.create(survey=survey, channel="email", name=mixed(8))
    invitation = Invitation.objects.create(
        distribution=distribution, customer=customer, token_seed=seed,
        token_hash=hash_token(token_for(seed)), status="sent",
    )  # fmt: skip
    return invitation, f"/i/{token_for(seed)}/"


def _import(kind, text):
    upload = SimpleUploadedFile(f"{kind}.csv", text.encode("utf-8"))
    return import_job_create(kind=kind, upload=upload)


def build_world(capture_on_commit) -> World:
    """Payloads through every door: survey texts, an invitation answered on a phone (so
    feedback and a case follow), another channel's feedback, two imports, a note, a reply."""
    survey = poisoned_survey()
    # The DOM payload too: the browser tests can only see markup that leaves an element behind
    # (mixed(9) is a <style> one, which a page may hold legitimately).
    customer = CustomerFactory(name=mixed(9) + DOM_PAYLOAD, email=EVIL_EMAIL, region=mixed(1))
    invitation, url = invite(survey, customer)
    agent = UserFactory(username="agent-x", first_name=mixed(2), role=Role.AGENT)
    phone = Client()
    with capture_on_commit(execute=True):
        phone.post(url, {"page": 0, "nps": "2", "action": "next"})
        phone.post(url, {
            "page": 1, "reason": ["delivery", "__other__"], "reason_other": PAYLOADS[3],
            "comment": mixed(0) + PAYLOADS[1], "action": "submit",
        })  # fmt: skip
        item = FeedbackItemFactory(text=mixed(5), customer=customer)
        from feedback.analysis.services import feedback_analyse_batch

        feedback_analyse_batch(item_ids=[item.pk])
        [
            _import("customers", f"customer_id,name,email\nX1,{mixed(4)},a@example.cn\n"
                                 f"X2,{mixed(6)},{PAYLOADS[0]}\n"),
            _import("purchases", "customer_id,order_id,ordered_at,amount,category\n"
                                 f"X1,O1,2026-01-05,10,{mixed(7)}\n"
                                 f"X1,O2,{PAYLOADS[1]},10,{mixed(8)}\n"),
        ]  # fmt: skip
    response = Response.objects.get(invitation=invitation)
    assert response.status == "completed", "the respondent flow must have completed"
    topic = Topic.objects.create(key="t-xss", name=mixed(3), keywords=[PAYLOADS[0], mixed(1)])
    FeedbackTopic.objects.create(item=item, topic=topic, weight=1.0)
    for feedback in FeedbackItem.objects.filter(response=response):
        FeedbackTopic.objects.get_or_create(item=feedback, topic=topic, defaults={"weight": 1.0})
    case = Case.objects.filter(customer=customer).first()
    assert case is not None, "the detractor's answer must have opened a case"
    from feedback.cases.contact import case_reply
    from feedback.cases.services import case_note_add

    case_note_add(case=case, text=mixed(4), by=agent)
    case_reply(case=case, message=mixed(6) + "\n" + PAYLOADS[3], by=agent)
    Case.objects.filter(pk=case.pk).update(due_at=timezone.now() - dt.timedelta(days=1))
    return World(
        survey=survey, customer=customer, invitation=invitation, url=url, response=response,
        item=item, topic=topic, case=case, agent=agent,
        imports=list(ImportJob.objects.order_by("pk")),
    )  # fmt: skip
