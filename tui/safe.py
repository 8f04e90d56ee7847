"""Untrusted mail text as Rich ``Text`` objects: controls made visible, never parsed as markup."""

from __future__ import annotations

from rich.text import Text

from reviewer.sanitize import clean_line, clean_text


def line(text: str, style: str = "") -> Text:
    """One display line from mail (subject, name, message-id)."""
    return Text(clean_line(text), style=style, no_wrap=True, end="")


def block(text: str, style: str = "") -> Text:
    """Several lines from mail (a cover letter or commit message), tabs as 8 columns."""
    return Text(clean_text(text).expandtabs(8), style=style)


def join(*parts: Text | str, sep: str = "") -> Text:
    """Join pieces into one Text; plain str pieces are ours (never mail) but still not markup."""
    out = Text(no_wrap=True, end="")
    for number, part in enumerate(parts):
        if number and sep:
            out.append(sep)
        out.append(part if isinstance(part, Text) else Text(part))
    return out


def name_only(person: str) -> str:
    """'Name <addr>' -> 'Name' (the address when there is no name)."""
    name = person.split("<", 1)[0].strip().strip('"')
    return name or person.strip("<> ")
