"""Whether an SMS reply asks to stop the texts: "T", "TD", "退订" (or 退訂) and "N", as phones
send them — full-width letters, any case, spaces or punctuation around or between.

Pure Python, no Django: the inbound callbacks (surveys/channels/sms/replies.py) use it.
"""

import unicodedata

OPT_OUT_WORDS = frozenset({"T", "TD", "退订", "退訂", "N"})


def is_opt_out(text: str) -> bool:
    """True when the whole reply is one of the opt-out words (nothing else said)."""
    folded = unicodedata.normalize("NFKC", text or "")
    kept = "".join(
        ch for ch in folded if not ch.isspace() and not unicodedata.category(ch).startswith("P")
    )
    return kept.upper() in OPT_OUT_WORDS
