"""Bidi and zero-width characters are made visible like the other controls (issue 12, item 4)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewer.sanitize import clean_line, clean_text

HOSTILE = Path(__file__).resolve().parent / "hostile"
INVISIBLE = ["\u202e", "\u202a", "\u202c", "\u2066", "\u2067", "\u2068", "\u2069", "\u200b",
             "\u200c", "\u200d", "\u200e", "\u200f", "\u2060", "\ufeff", "\u061c", "\u00ad",
             "\u2028", "\u2029"]  # fmt: skip


@pytest.mark.parametrize("char", INVISIBLE, ids=[f"U+{ord(c):04X}" for c in INVISIBLE])
def test_invisible_format_characters_are_shown(char):
    shown = clean_line(f"a{char}b")
    code = ord(char)
    assert shown == (f"a\\x{code:02x}b" if code <= 0xFF else f"a<U+{code:04X}>b")
    assert char not in clean_text(f"x\n{char}\n")


def test_ordinary_text_is_untouched():
    text = "mm: fix für 日本語 — ok\tnext\nline"
    assert clean_text(text) == text
    assert clean_line("\x1b[31m\x9b") == "^[[31m\\x9b"


def test_a_spoofed_subject_is_visible_in_show(cli):
    assert cli("track", "--offline", HOSTILE / "bidi-subject.mbox").code == 0
    out = cli("show", "1").out
    assert "<U+202E>gnp.tixe<U+202C>" in out and "zero<U+200B>width" in out
    assert not any(c in out for c in INVISIBLE)
