import os

from django.core.wsgi import get_wsgi_application

from surveyhub.env import env_bool

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "surveyhub.settings")
application = get_wsgi_application()


def _start_in_process_scheduler() -> None:
    """Without a broker (the embedded default) there is no celery beat: the web process runs
    the beat schedule itself (surveyhub/tasking/scheduler.py). Only here, in the web server
    (runserver, gunicorn), never in tests, workers or other management commands."""
    from django.conf import settings

    from surveyhub.celery import app
    from surveyhub.tasking.scheduler import start_in_process_scheduler

    database = settings.DATABASES["default"]
    lock_path = None
    if database["ENGINE"] == "django.db.backends.sqlite3":
        lock_path = f"{database['NAME']}.scheduler.lock"  # one scheduler per database file
    start_in_process_scheduler(app.conf.beat_schedule, lock_path=lock_path)


if env_bool("SURVEYHUB_IN_PROCESS_SCHEDULER", True):
    _start_in_process_scheduler()
