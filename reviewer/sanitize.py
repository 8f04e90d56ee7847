"""Neutralise untrusted mail text before it reaches a terminal or a Rich/Textual renderer.

Subjects, names and bodies come from mail and may carry terminal escape sequences (CSI, OSC,
bare ESC, C1 controls) or Rich markup. Every display path goes through these helpers.
"""

from __future__ import annotations

import re

# C0 controls except TAB and LF, DEL, and the C1 range (0x80-0x9f), which some terminals honour;
# and the invisible format characters that reorder or hide text (Trojan Source, CVE-2021-42574):
# bidi embeddings/overrides/isolates and marks, zero-width spaces and joiners, word joiner and
# invisible operators, the BOM, soft hyphen, Mongolian vowel separator.
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f\x80-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028\u2029"
    "\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    if code == 0x1B:
        return "^["
    if code < 0x20:
        return "^" + chr(code + 0x40)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"<U+{code:04X}>"


def clean_text(text: str) -> str:
    """Multi-line text with every control character (but tab/newline) made visible."""
    return _CONTROL.sub(_visible, text)


def clean_line(text: str) -> str:
    """A single display line: controls made visible, newlines and tabs folded to spaces."""
    return clean_text(text.replace("\r", " ").replace("\n", " ").replace("\t", " "))


def escape_markup(text: str) -> str:
    """Escape Rich/Textual markup so '[bold]' from mail is shown, not interpreted."""
    return text.replace("\\", "\\\\").replace("[", "\\[")
