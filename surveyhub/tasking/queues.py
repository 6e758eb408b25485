"""The Celery queues, named once. Workers are started per queue (see README)."""

from enum import StrEnum


class Queue(StrEnum):
    DEFAULT = "default"
    EMAIL = "email"
    NLP = "nlp"
    IMPORTS = "imports"
