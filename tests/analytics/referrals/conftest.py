"""The import fixtures of tests/analytics/imports (a private MEDIA_ROOT, `import_file`)."""

from tests.analytics.imports.conftest import _media_root, import_file  # noqa: F401
