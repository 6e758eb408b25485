from celery import Celery
from django.conf import settings

from surveyhub.tasking.declare import enqueue


def test_enqueue_returns_false_instead_of_raising_when_the_broker_is_down(caplog, monkeypatch):
    # A real broker address with nothing listening: the connection is refused. (Celery lets
    # CELERY_BROKER_URL override the broker argument, so take it out of this test's way.)
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    app = Celery("down", broker="redis://127.0.0.1:1/0", set_as_current=False)
    app.conf.broker_transport_options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    app.conf.broker_connection_timeout = 1

    @app.task(name="tests.noop", shared=False)
    def noop():
        return None

    assert enqueue(noop) is False
    assert "could not enqueue tests.noop" in caplog.text
