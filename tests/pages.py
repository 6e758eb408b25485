"""Every page of the site, derived from the URL resolver.

The XSS, permission and public-page tests take their page lists from here instead of writing
them by hand: a page added to any urls.py is visited by them without anyone remembering to add
it. Each route of the resolver is either in an AREA that a walk visits, or under EXCLUDED with
the reason; tests/test_pages.py fails for a route that is neither, for a staff or public route
whose URL cannot be built from the objects given (add its parameter to ARGUMENTS), and for an
exclusion the resolver no longer has.
"""

import itertools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver, reverse


@dataclass(frozen=True)
class Route:
    route: str  # the pattern as written, prefixes joined: "staff/cases/<int:pk>/claim/"
    name: str | None  # with its namespaces: "cases:claim"
    pattern: URLPattern | None = field(default=None, compare=False, repr=False)

    @property
    def params(self) -> list[str]:
        """The `<converter:name>` parts of a path() route (regex routes: none are built)."""
        return re.findall(r"<(?:\w+:)?\w+>", self.route)


def routes(patterns=None, prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        text = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from routes(pattern.url_patterns, text, inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}" if pattern.name else None
            yield Route(text, name, pattern)


# Which walk visits a route, by the start of its pattern (the longest match wins).
AREAS = {
    # Signed-in staff only: the staff pages (the phone preview among them), our own admin dashboard.
    "staff/": "staff",
    "admin/dashboard/": "staff",
    # Anyone: the respondent's pages and what a phone or an email link opens.
    "s/": "public",
    "i/": "public",
    "u/": "public",
    "privacy/": "public",
    "accounts/login/": "public",
    "healthz": "public",
    "shared/": "public",
    "r/ref/": "public",  # a promoter's referral link: the friend's welcome page
}

# What no page walk visits, and why. Keep each reason true: the tests named do the checking.
EXCLUDED = {
    # Django's admin: its change lists and change pages are derived from admin.site._registry
    # by test_xss.test_admin_changelists_and_change_pages_show_payloads_as_text, and who may
    # open them is Django's model permissions (test_role_permissions, test_admin_mixins).
    "admin/": "Django admin, walked through admin.site._registry",
    # JSON for programs, never HTML: every view's permission classes are checked from this
    # resolver by test_api_permissions_declared, and each role's status by test_api_role_matrix.
    "api/v1/": "the JSON API (test_api_permissions_declared, test_api_role_matrix)",
    # The OpenAPI schema and Swagger UI: generated from the code, no stored data in them.
    "api/schema/": "OpenAPI schema, no stored data (test_api_docs)",
    "api/docs/": "Swagger UI, no stored data (test_api_docs)",
    # Switching the language and logging out: POST-only redirects that show nothing.
    "i18n/": "POST-only language switch, shows nothing",
    # The bare host: a redirect to the staff home, shows nothing (test_staff_home).
    "^$": "redirect to /staff/, shows nothing (test_staff_home)",
    "accounts/logout/": "POST-only logout, shows nothing",
    # Django's translation catalogue for JavaScript: static strings, no stored data.
    "jsi18n/": "static translation catalogue",
    # The site icon: a fixed image, no stored data (tests/surveys/respond/test_small_fixes.py).
    "favicon.ico": "a fixed image, no stored data (test_small_fixes)",
    # Uploaded logos and cover images: checked image bytes, never HTML (test_branding).
    "brand/": "uploaded brand images, bytes only (test_branding)",
    # Files respondents uploaded: attachments (nosniff, sandbox CSP) for staff who may read
    # responses, never a page (test_new_types_in_the_api: who may download).
    "files/": "uploaded answer files, attachments only (test_new_types_in_the_api)",
    # The 省/市/区 lists of the region question: JSON from package data, no stored data.
    "regions/": "administrative divisions as JSON (test_new_types_on_pages)",
    # In-page surveys on other sites: our script (static JS) and its JSON config/dismiss calls.
    "embed/": "the in-page survey script and its JSON calls, no HTML (tests/surveys/inpage/)",
    # SMS short links redirect to the invitation's i/ and u/ pages (walked there) or show our
    # own "link not valid" page; delivery receipts are the providers' POST callbacks.
    "r/": "SMS short links: redirects to i/ and u/ (test_sms_invitations)",
    "sms/receipts/": "SMS providers' delivery callbacks, POST only (test_sms_invitations)",
    "sms/replies/": "SMS providers' reply (MO) callbacks, POST only (test_sms_replies)",
    # WeChat's OAuth return: checks the code with WeChat and redirects, shows no stored data.
    "wx/oauth/": "WeChat OAuth redirect (test_wechat)",
    # "Invite this segment / this list": redirects to the survey's distribution builder (walked
    # under staff/distributions/) with the audience ticked, shows nothing itself.
    "staff/customers/at-risk/invite/": "redirect to the builder (test_segment_actions)",
    "staff/customers/segments/<str:kind>/<str:code>/invite/": (
        "redirect to the distribution builder (test_segment_actions)"
    ),
}


def area_of(route: Route) -> str | None:
    """ "staff", "public", or None when EXCLUDED (and KeyError when it is neither)."""
    starts = [p for p in (*AREAS, *EXCLUDED) if route.route.startswith(p)]
    if not starts:
        raise KeyError(route.route)
    longest = max(starts, key=len)
    return AREAS.get(longest)


def routes_in(area: str) -> list[Route]:
    return [r for r in routes() if _area_or_none(r) == area]


def _area_or_none(route: Route) -> str | None:
    try:
        return area_of(route)
    except KeyError:
        return None


def _results_share(survey):
    """A live share link of the survey's results (made once per survey): (share, token)."""
    from django.http import QueryDict

    from surveys.results.sharing import share_create, share_token

    share = survey.result_shares.first()
    if share is None:
        return share_create(survey=survey, params=QueryDict(), days=7, allow_text=False)
    return share, share_token(share)


def _evaluated_period() -> str:
    """The latest period with a scorecard snapshot (the current quarter's is computed when
    there is none)."""
    from analytics.evaluations.periods import local_today, period_containing
    from analytics.evaluations.scorecard import evaluation_compute
    from analytics.models import EvaluationSnapshot

    latest = EvaluationSnapshot.objects.order_by("-period_start").values_list("period", flat=True)
    return latest.first() or evaluation_compute(period=period_containing(local_today())).period


WALKED_INDICATORS = ["nps", "repurchase_rate", "clv", "resolution_rate"]


def _report() -> int:
    """A finished Excel report of the evaluated period in the site's language, zh-Hans (made
    once): its download is walked. A report is written in its requester's language, whatever
    the language of the page it is downloaded from."""
    from django.conf import settings

    from analytics.models import Report
    from analytics.reports.services import report_generate, report_request

    language = settings.LANGUAGE_CODE
    done = Report.objects.filter(status="succeeded", language=language)
    if pk := done.values_list("pk", flat=True).first():
        return pk
    report = report_request(period=_evaluated_period(), format="xlsx", language=language)
    return report_generate(report_id=report.pk).pk


def _alerts_and_actions() -> dict[str, list]:
    """A rule, a robot, a fired alert with a delivery and an action (made once), named with
    Chinese text, an emoji and an XSS payload (tests/security/xss.py): the alert and action
    pages are walked with them, and must show the names as text."""
    import datetime as dt

    from analytics.alerts.services import alert_fire
    from analytics.models import AlertDelivery, AlertRobot, AlertRule, ImprovementAction
    from tests.security.xss import mixed

    robot = AlertRobot.objects.first() or AlertRobot.objects.create(
        name=f"运营群 🤖 {mixed(5)}", kind="wecom", url="http://127.0.0.1:9/webhook/send?key=k"
    )
    rule = AlertRule.objects.first()
    if rule is None:
        rule = AlertRule.objects.create(name=f"NPS 周环比 📉 {mixed(4)}", kind="nps_drop",
                                        threshold=5)  # fmt: skip
        rule.robots.add(robot)
    alert = rule.alerts.first() or alert_fire(rule, key="nps:2026-W48", details={
        "metric": "nps", "current": 12.0, "previous": 31.5, "difference": -19.5,
        "p_value": 0.003, "n_current": 210, "n_previous": 198, "window": "week",
        "current_key": "2026-W48", "previous_key": "2026-W47",
    })  # fmt: skip
    delivery = alert.deliveries.first() or AlertDelivery.objects.create(alert=alert, robot=robot)
    action = ImprovementAction.objects.first()
    if action is None:
        from django.contrib.auth import get_user_model

        owner = get_user_model().objects.order_by("pk").first() or (
            get_user_model().objects.create(username="改进负责人", is_staff=True)
        )
        action = ImprovementAction.objects.create(
            title=f"回访贬损者 📞 {mixed(5)}", indicator="nps", baseline_period="2026Q3",
            expected_change=5, owner=owner, due_date=dt.date(2026, 12, 31), alert=alert,
        )  # fmt: skip
    return {
        "staff/alerts/rules/<int:pk>": [rule.pk],
        "staff/alerts/robots/<int:pk>": [robot.pk],
        "staff/alerts/<int:pk>": [alert.pk],
        "staff/alerts/deliveries/<int:pk>": [delivery.pk],
        "staff/actions/<int:pk>": [action.pk],
    }


class Unbuildable(LookupError):
    """A route with a parameter that ARGUMENTS does not say how to fill."""


def argument_values(
    *,
    survey,
    customer,
    distribution,
    imports: Sequence,
    item,
    topic,
    case,
    token: str,
    question_keys: Sequence[str] = ("nps",),
) -> dict[str, list]:
    """The values of each URL parameter, by the route up to that parameter.

    A new page under a known address (staff/cases/<int:pk>/something/) is built at once; a new
    kind of address (staff/stores/<int:pk>/) raises Unbuildable until it is added here.
    """
    return {
        "staff/surveys/<int:pk>": [survey.pk],
        "staff/surveys/<int:pk>/questions/<slug:key>": list(question_keys),
        "staff/surveys/<int:pk>/responses/<int:response_id>": [case.response_id],
        "staff/surveys/<int:pk>/results/shares/<int:share_id>": [_results_share(survey)[0].pk],
        "shared/results/<str:token>": [_results_share(survey)[1]],
        "staff/customers/<int:pk>": [customer.pk],
        "staff/customers/at-risk/<int:customer_id>": [customer.pk],
        "staff/customers/segments/rfm/<str:code>": ["important_value"],
        "staff/customers/segments/stage/<str:code>": ["new"],
        "staff/customers/segments/<str:kind>": ["stage"],
        "staff/customers/segments/<str:kind>/<str:code>": ["new"],
        "staff/evaluations/<str:period>": [_evaluated_period()],
        "staff/evaluations/<str:period>/indicators/<str:code>": WALKED_INDICATORS,
        "staff/evaluations/reports/<int:pk>": [_report()],
        **_alerts_and_actions(),
        "staff/distributions/survey/<int:survey_id>": [survey.pk],
        "staff/distributions/<int:pk>": [distribution.pk],
        "staff/distributions/links/<int:survey_id>": [survey.pk],
        "staff/analytics/imports/<int:pk>": [job.pk for job in imports],
        "staff/feedback/<int:pk>": [item.pk],
        "staff/feedback/topics/<int:pk>": [topic.pk],
        "staff/cases/<int:pk>": [case.pk],
        "admin/dashboard/export.<str:fmt>": ["csv", "xlsx"],
        "s/<slug:slug>": [survey.slug],
        "i/<str:token>": [token],
        "u/<str:token>": [token],
        "r/ref/<str:code>": ["UNKNOWN1"],  # an unknown code gets the same friendly page
    }


def build(route: Route, values: Mapping[str, Sequence]) -> list[str]:
    """The URLs of `route` for every combination of the values of its parameters."""
    parts, choices, rest = [], [], route.route
    for param in route.params:
        before, rest = rest.split(param, 1)
        parts.append(before)
        key = "".join(parts) + param  # the route up to the parameter: "staff/cases/<int:pk>"
        if key not in values:
            raise Unbuildable(f"{route.route}: no value for {param} (add {key!r} to ARGUMENTS)")
        choices.append([str(v) for v in values[key]])
        parts.append(param)
    urls = []
    for combination in itertools.product(*choices):
        text = route.route
        for param, value in zip(route.params, combination, strict=True):
            text = text.replace(param, value, 1)
        urls.append("/" + text)
    return urls


def pages_in(area: str, values: Mapping[str, Sequence]) -> list[tuple[str, Route]]:
    """(URL, route) of every route of the area, built with `values` (argument_values())."""
    return [(url, route) for route in routes_in(area) for url in build(route, values)]


def urls_in(area: str, values: Mapping[str, Sequence]) -> list[str]:
    return [url for url, _route in pages_in(area, values)]


def covered(found: Iterable[Route]) -> tuple[list[str], list[str]]:
    """(routes in no area and not excluded, exclusions that match no route)."""
    found = list(found)
    unknown = [r.route for r in found if _unclassified(r)]
    stale = [p for p in EXCLUDED if not any(r.route.startswith(p) for r in found)]
    return unknown, stale


def _unclassified(route: Route) -> bool:
    try:
        area_of(route)
    except KeyError:
        return True
    return False


# The API's URL parameters: anonymous callers are refused before any object is looked up, so
# any well-formed value does (the public submit is given a real survey by the caller).
API_ARGUMENTS = {"pk": "1", "format": "json", "period": "2026Q2"}


def api_urls(*, slug: str) -> list[tuple[str, Route]]:
    """(URL, route) of every route under /api/v1/, reversed with API_ARGUMENTS."""
    found = []
    for route in routes():
        if not route.route.startswith("api/v1/"):
            continue
        pattern = route.pattern.pattern
        names = list(getattr(pattern, "converters", {})) or list(pattern.regex.groupindex)
        kwargs = {name: slug if name == "slug" else API_ARGUMENTS[name] for name in names}
        found.append((reverse(route.name, kwargs=kwargs), route))
    return found
