"""import_survey PATH [--slug S] [--user NAME]: a file of our format or SurveyJS JSON as a
new draft survey; every problem is listed and nothing is imported unless the whole file is."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from surveys.design.interchange.services import MAX_FILE_BYTES, survey_import
from surveys.errors import SurveyError


class Command(BaseCommand):
    help = "Import a survey file (SurveyHub's format or SurveyJS JSON) as a new draft."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the .json file")
        parser.add_argument("--slug", default="", help="the new survey's link name")
        parser.add_argument("--user", default="", help="recorded as the survey's creator")

    def handle(self, *args, path, slug="", user="", **options):
        try:
            with Path(path).open("rb") as file:
                content = file.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(path)s: %(reason)s") % {"path": path, "reason": exc.strerror}
            ) from None
        by = None
        if user:
            by = get_user_model().objects.filter(username=user).first()
            if by is None:
                raise CommandError(_("There is no user “%(user)s”.") % {"user": user})
        try:
            imported = survey_import(content=content, slug=slug, by=by)
        except SurveyError as exc:
            lines = list(dict.fromkeys(str(m) for m in (exc.message, *exc.errors.values())))
            raise CommandError("\n".join(lines)) from None
        survey = imported.survey
        for warning in imported.warnings:
            self.stderr.write(f"⚠ {warning}")
        self.stdout.write(f"{survey.pk} {survey.slug} {survey.title}")
