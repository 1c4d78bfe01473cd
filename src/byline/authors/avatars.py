"""Generated avatars: initials on a colour picked from the name, drawn with CSS only, so
no outside service (Gravatar) learns who reads or comments, and no request is made."""

import hashlib

PALETTE_SIZE = 12


def initials(name: str) -> str:
    words = [word for word in name.split() if word[:1].isalnum()]
    if not words:
        return "?"
    if len(words) == 1:
        return words[0][:1].upper()
    return (words[0][:1] + words[-1][:1]).upper()


def colour_index(seed: str) -> int:
    """A stable colour per name; md5 is used as a spreader, not for security."""
    digest = hashlib.md5(seed.strip().lower().encode(), usedforsecurity=False).digest()
    return digest[0] % PALETTE_SIZE
