"""? help: every key of the screen underneath, including those the footer leaves out."""

from __future__ import annotations

import re

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

GLOBAL_KEYS = [  # the app's keys (back, help, search come with every screen's bindings)
    ("Q", "Quit"),
    ("ctrl+p :", "Command palette"),
]


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close"),
        # tig keys scroll the list too: at 80x24 it is longer than the box
        Binding("j,down", "scroll(1)", show=False),
        Binding("k,up", "scroll(-1)", show=False),
        Binding("space,pagedown", "scroll(10)", show=False),
        Binding("b,pageup", "scroll(-10)", show=False),
        Binding("g,home", "edge(0)", show=False),
        Binding("G,end", "edge(1)", show=False),
    ]

    def __init__(self, under: Screen) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog help"):
            yield Static(self._text(), id="help-text")

    def action_scroll(self, lines: int) -> None:
        box = self.query_one(VerticalScroll)
        box.scroll_to(y=box.scroll_y + lines, animate=False)

    def action_edge(self, end: int) -> None:
        box = self.query_one(VerticalScroll)
        box.scroll_to(y=box.max_scroll_y if end else 0, animate=False)

    def _text(self) -> Text:
        out = Text(f"Keys: {screen_name(self.under)}\n", style="bold")
        rows: dict[str, str] = {}
        screen, focused = type(self.under), self.under.focused
        bindings = [
            *vars(screen).get("BINDINGS", []),
            *(_ours(type(focused)) if focused else []),
            *_ours(screen),  # back, help, search, cancel from ReviewerScreen
        ]
        for binding in bindings:
            if isinstance(binding, Binding) and binding.description:
                keys = key_names(binding.key)
                rows.setdefault(binding.description, keys)
        for description, keys in [*rows.items(), *((d, k) for k, d in GLOBAL_KEYS)]:
            out.append(f"  {keys:<22}", style="bold")
            out.append(f"{description}\n")
        return out


def screen_name(screen: Screen) -> str:
    """'series list' for SeriesListScreen: what a reviewer calls the screen."""
    name = type(screen).__name__.removesuffix("Screen")
    return re.sub(r"(?<!^)(?=[A-Z])", " ", name).lower()


def key_names(key: str) -> str:
    """'j down' for 'j,down', '.' for 'full_stop': keys as they are typed."""
    return " ".join(_key(k) for k in key.split(","))


def _ours(cls: type) -> list:
    """BINDINGS of the class and its bases from this package (not Textual's scroll keys)."""
    classes = [k for k in cls.__mro__ if k.__module__.startswith("tui.")]
    return [b for klass in classes for b in vars(klass).get("BINDINGS", [])]


def _key(key: str) -> str:
    names = {
        "escape": "Esc",
        "right_square_bracket": "]",
        "left_square_bracket": "[",
        "slash": "/",
        "question_mark": "?",
        "full_stop": ".",
        "comma": ",",
        "colon": ":",
        "less_than_sign": "<",
        "greater_than_sign": ">",
    }
    return names.get(key, key)
