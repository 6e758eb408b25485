from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from surveyhub.models import LoginLockout
from surveyhub.security.login_throttle import lockouts_clear


class Command(BaseCommand):
    help = (
        "List the log-in lockouts in force (too many failed log-ins or API keys), or lift "
        "them with --clear-username / --clear-ip / --clear-all."
    )

    def add_arguments(self, parser):
        parser.add_argument("--clear-username", metavar="USERNAME")
        parser.add_argument("--clear-ip", metavar="ADDRESS")
        parser.add_argument("--clear-all", action="store_true", help="lift every lockout")

    def handle(self, *args, clear_username, clear_ip, clear_all, **options):
        if clear_all:
            count = LoginLockout.objects.all().delete()[0]
            self.stdout.write(f"Lifted {count} lockout(s).")
            return
        if clear_username or clear_ip:
            count = lockouts_clear(username=clear_username, ip=clear_ip)
            if count == 0:
                raise CommandError("No lockout matches that username or address.")
            self.stdout.write(f"Lifted {count} lockout(s).")
            return
        now = timezone.now()
        locks = LoginLockout.objects.filter(locked_until__gt=now).order_by("locked_until")
        if not locks:
            self.stdout.write("No lockouts in force.")
        for lock in locks:
            until = timezone.localtime(lock.locked_until).isoformat(timespec="seconds")
            self.stdout.write(
                f"{lock.scope}\t{lock.value}\t{lock.failures} failures\tuntil {until}"
            )
