from django.core.management.base import BaseCommand

from surveyhub.demo import seed_all


class Command(BaseCommand):
    help = "Create a realistic demo: users per role and data for every capability. Idempotent."

    def handle(self, *args, **options):
        seed_all(log=self.stdout.write)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
