"""Build the C hot loop of the sentiment features in place (``make setup`` runs this).

``feedback/nlp/_columns.c`` becomes ``feedback/nlp/_columns.<platform>.so`` beside it, with
the SHA-256 of the source compiled in: ``feedback.nlp.features`` uses the module only when
that hash matches the source on disk, so an edited source never runs stale machine code (it
falls back to the same features in Python, and says so). Rebuilds only when the source is
newer than the built module.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

from setuptools import Extension, setup

REPO_ROOT = Path(__file__).resolve().parent.parent
SOURCE = Path("feedback") / "nlp" / "_columns.c"


def main() -> None:
    os.chdir(REPO_ROOT)
    digest = hashlib.sha256((REPO_ROOT / SOURCE).read_bytes()).hexdigest()
    extension = Extension(
        "feedback.nlp._columns",
        [str(SOURCE)],
        define_macros=[("SOURCE_SHA256", f'"{digest}"')],
        extra_compile_args=["-O2", "-std=c11", "-Wall", "-Wextra", "-Wno-unused-parameter"],
    )
    setup(
        name="surveyhub-native",
        ext_modules=[extension],
        packages=[],
        py_modules=[],
        script_args=["-q", "build_ext", "--inplace"],
        options={"build": {"build_base": "var/build-native"}},
    )
    print(f"built {SOURCE.with_suffix('')} ({digest[:12]})", file=sys.stderr)


if __name__ == "__main__":
    main()
