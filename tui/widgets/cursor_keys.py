"""tig-style cursor keys shared by the line-API widgets (they implement the same actions)."""

from textual.binding import Binding

CURSOR_BINDINGS = [
    Binding("j,down", "cursor(1)", "Down", show=False),
    Binding("k,up", "cursor(-1)", "Up", show=False),
    Binding("g,home", "first", "Top", show=False),
    Binding("G,end", "last", "Bottom", show=False),
    Binding("space,pagedown", "page(1)", "Page", show=False),
    Binding("b,pageup", "page(-1)", "Page up", show=False),
]
