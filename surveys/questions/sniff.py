"""What a file is, judged by its bytes, never its name or the browser's word for it.

Kinds a file-upload question can allow: image (PNG, JPEG, GIF, WebP — no SVG, which can
carry script), pdf, office (Word, Excel and PowerPoint files of Office 2007 on: a ZIP whose
parts say so), text (UTF-8 text without control characters). Pure Python.
"""

import io
import zipfile

IMAGE_MAGIC = [
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"GIF87a", "image/gif", "gif"),
    (b"GIF89a", "image/gif", "gif"),
]
OFFICE_PARTS = [
    ("word/", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    ("xl/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    ("ppt/", "application/vnd.openxmlformats-officedocument.presentationml.presentation",
     "pptx"),
]  # fmt: skip


def sniff(data: bytes) -> tuple[str, str, str] | None:
    """(kind, content type, extension) of the bytes, or None when none of the known kinds."""
    for magic, content_type, extension in IMAGE_MAGIC:
        if data.startswith(magic):
            return "image", content_type, extension
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image", "image/webp", "webp"
    if data.startswith(b"%PDF-"):
        return "pdf", "application/pdf", "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _office(data)
    return _text(data)


def _office(data: bytes) -> tuple[str, str, str] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    for prefix, content_type, extension in OFFICE_PARTS:
        if any(name.startswith(prefix) for name in names):
            return "office", content_type, extension
    return None


def _text(data: bytes) -> tuple[str, str, str] | None:
    if not data:
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    if any(ch < " " and ch not in "\r\n\t" for ch in text):
        return None
    return "text", "text/plain; charset=utf-8", "txt"
