"""The platforms an account of the bank (or a fake of one) lives on, with their names."""

from flask_babel import lazy_gettext as _l

LABELS = {
    "website": _l("Website"),
    "facebook": _l("Facebook"),
    "instagram": _l("Instagram"),
    "x": _l("X"),
    "linkedin": _l("LinkedIn"),
    "xing": _l("XING"),
    "tiktok": _l("TikTok"),
    "youtube": _l("YouTube"),
    "whatsapp": _l("WhatsApp channel"),
    "threads": _l("Threads"),
    "mastodon": _l("Mastodon"),
    "app_store": _l("App store"),
    "other": _l("Other"),
}
PLATFORMS = tuple(LABELS)


def platform_label(platform: str) -> str:
    """A platform's name in the reader's language (an unknown key as it is)."""
    label = LABELS.get(platform)
    return str(label) if label is not None else platform
