"""Small modal dialogs: a one-line prompt and a pick-one list. Results go to the callback."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option


class PromptScreen(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, question: str, value: str = "") -> None:
        super().__init__()
        self.question, self.value = question, value

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(self.question))
            yield Input(value=self.value, id="prompt-input")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ChoiceScreen(ModalScreen[str | None]):
    """Pick one of ``choices`` (value, label) with j/k/Enter; Esc/q cancels."""

    BINDINGS = [
        Binding("escape,q", "cancel", "Cancel"),
        # tig/mutt: the cursor stops at the ends (OptionList's own keys wrap to the other end)
        Binding("j,down", "move(1)", "Down", show=False, priority=True),
        Binding("k,up", "move(-1)", "Up", show=False, priority=True),
        Binding("g", "edge(0)", "First", show=False),
        Binding("G", "edge(-1)", "Last", show=False),
    ]

    def __init__(
        self, question: str, choices: list[tuple[str, Text | str]], current: str | None = None
    ) -> None:
        super().__init__()
        self.question, self.choices, self.current = question, choices, current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(self.question))
            options = [
                Option(label if isinstance(label, Text) else Text(label), id=value)
                for value, label in self.choices
            ]
            yield OptionList(*options, id="choices")

    def on_mount(self) -> None:
        values = [v for v, _ in self.choices]
        if self.current in values:
            self.query_one(OptionList).highlighted = values.index(self.current)

    def action_move(self, delta: int) -> None:
        options = self.query_one(OptionList)
        at = options.highlighted if options.highlighted is not None else -delta
        options.highlighted = max(0, min(at + delta, options.option_count - 1))

    def action_edge(self, which: int) -> None:
        options = self.query_one(OptionList)
        options.highlighted = options.option_count - 1 if which < 0 else 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
