"""What one side of a patch says about a changed block: the flag names, constants and initialisers
visible around it (side_info, block_info), the function it is in, the conditions it sits under,
the names it writes, and the trimmed text of both sides (trim_fragment)."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from tree_sitter import Node

from reviewer.flagmodel.c_parse import nodes_of, parse, text_of
from reviewer.flagmodel.equivalence import SideInfo
from reviewer.flagmodel.hunk_pairs import FileDiff
from reviewer.flagmodel.patch_view import PatchView
from reviewer.flagmodel.tree_state import (
    names_under,
)


class _Same:
    """A memo key that is one object itself (diff objects are compared by value and are not
    hashable); the memo keeps the object alive, so its id is never reused under it."""

    __slots__ = ("obj",)

    def __init__(self, obj: object) -> None:
        self.obj = obj

    def __hash__(self) -> int:
        return id(self.obj)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Same) and other.obj is self.obj


def enclosing_function(root: Node, numbers: list[int], line: int) -> str:
    """Name of the function definition around a real line number of one side."""
    try:
        row = numbers.index(line)
    except ValueError:
        return ""
    node = root.descendant_for_point_range((row, 0), (row, 0))
    while node is not None:
        if node.type == "function_definition":
            decl = node.child_by_field_name("declarator")
            while decl is not None and decl.type != "function_declarator":
                decl = decl.child_by_field_name("declarator")
            name = decl.child_by_field_name("declarator") if decl is not None else None
            return text_of(name) if name is not None else ""
        node = node.parent
    return ""


def side_info(root: Node) -> SideInfo:
    info = SideInfo(flag_names={"vm_flags", "vma_flags"})
    for node in nodes_of(root, "parameter_declaration", "declaration", "field_declaration"):
        type_node = node.child_by_field_name("type")
        type_text = text_of(type_node) if type_node is not None else ""
        strong = type_text in ("vm_flags_t", "vma_flags_t")
        if node.type == "parameter_declaration":
            for decl in node.children_by_field_name("declarator"):
                name, _value = _declared(decl)
                if name:
                    info.params.add(name)
                    if type_text == "vma_flag_t" and decl.type == "identifier":
                        info.bit_params.add(name)  # a bit number the caller chooses
        if strong:
            for decl in node.children_by_field_name("declarator"):
                inner = (
                    decl.child_by_field_name("declarator")
                    if decl.type == "init_declarator"
                    else decl
                )
                if inner is not None and inner.type == "pointer_declarator":
                    name, _value = _declared(decl)
                    info.pointer_names.add(name)
        if "vm_area_struct" in type_text or "vm_area_desc" in type_text:
            for decl in node.children_by_field_name("declarator"):
                name, value = _declared(decl)
                if name:
                    info.vma_names.add(name)
                designated = _designated_flags(value)
                if name and designated is not None:  # { .flags = flags, }: its flags' value
                    info.decl_rows.setdefault(name, []).append((node.start_point[0], designated))
                    info.inits[name] = designated
        for decl in node.children_by_field_name("declarator"):
            name, value = _declared(decl)
            if not name:
                continue
            if strong:
                info.flag_names.add(name)
            if strong or type_text == "vma_flag_t":
                # (a bit-typed local is not a subject, but its initialiser gives its value)
                info.decl_rows.setdefault(name, []).append((node.start_point[0], value))
                if value is not None:
                    info.inits[name] = value
            elif value is not None and node.type == "declaration" and _is_const(node):
                info.consts.setdefault(name, value)
    return info


def _enclosing_node(root: Node, numbers: list[int], line: int) -> Node | None:
    try:
        row = numbers.index(line)
    except ValueError:
        return None
    node = root.descendant_for_point_range((row, 0), (row, 0))
    while node is not None and node.type != "function_definition":
        node = node.parent
    return node


@lru_cache(maxsize=1024)
def shared_side_info(root: Node) -> SideInfo:
    """side_info() of one parse, shared by the blocks of a hunk: read only."""
    return side_info(root)


def _hunk_inits(info: SideInfo, numbers: list[int], line: int) -> dict[str, Node]:
    """When the function around a block cannot be parsed: for each flags name, its nearest
    declaration above the block (a parameter or a declaration without a value hides an
    earlier function's initialiser)."""
    try:
        row = numbers.index(line)
    except ValueError:
        return {}
    return _initialisers_above(info, row)


def _same_function(fn: Node, numbers: list[int], line: int, section: str) -> bool:
    """The parsed function around a block is the one git names for the block's hunk (or the
    function starts in the same run of lines as the block): hunks of several functions joined
    can glue one function's body to another's declarations."""
    decl = fn.child_by_field_name("declarator")
    while decl is not None and decl.type != "function_declarator":
        decl = decl.child_by_field_name("declarator")
    name_node = decl.child_by_field_name("declarator") if decl is not None else None
    name = text_of(name_node) if name_node is not None else ""
    if name and f"{name}(" in section:
        return True
    try:
        row = numbers.index(line)
    except ValueError:
        return False
    rows = numbers[fn.start_point[0] : row + 1]
    return bool(rows) and all(b == a + 1 for a, b in zip(rows, rows[1:], strict=False))


def block_info(
    file_info: SideInfo, root: Node, numbers: list[int], line: int, section: str | None = None
) -> SideInfo:
    """What one side says about the names of a block: the file's flag names, plus the
    declarations and initialisers of the enclosing function (data flow across the changed
    function: a local's visible initialiser gives its value)."""
    fn = _enclosing_node(root, numbers, line)
    if fn is None:  # no function around the block is visible: initialisers of its hunk
        return replace(file_info, inits=_hunk_inits(file_info, numbers, line), elsewhere=set())
    inner = shared_side_info(fn)  # (the blocks of one function share it: read only)
    if section is not None and not _same_function(fn, numbers, line, section):
        # a body glued to another hunk's function: the file's nearest declarations
        inits = _hunk_inits(file_info, numbers, line)
    else:
        inits = _hunk_inits(inner, numbers, line)
    return SideInfo(
        flag_names=file_info.flag_names | inner.flag_names,
        consts={**file_info.consts, **inner.consts},
        inits=inits,
        vma_names=file_info.vma_names | inner.vma_names,
        pointer_names=set(inner.pointer_names),
        params=set(inner.params),
        bit_params=set(inner.bit_params),
    )


def _designated_flags(value: Node | None) -> Node | None:
    """The value a designated initialiser list gives an object's flags field, if it does."""
    from reviewer.flagmodel.interp_values import FLAG_FIELDS

    if value is None or value.type != "initializer_list":
        return None
    for pair in value.named_children:
        if pair.type != "initializer_pair":
            continue
        designators = pair.children_by_field_name("designator")
        field = text_of(designators[-1]).lstrip(".") if len(designators) == 1 else ""
        if field in FLAG_FIELDS or field == "flags":
            return pair.child_by_field_name("value")
    return None


def _declared(decl: Node) -> tuple[str, Node | None]:
    value = None
    if decl.type == "init_declarator":
        value = decl.child_by_field_name("value")
        decl = decl.child_by_field_name("declarator")
    while decl is not None and decl.type != "identifier":
        decl = decl.child_by_field_name("declarator")
    return (text_of(decl) if decl is not None else ""), value


def _is_const(node: Node) -> bool:
    return any(c.type == "type_qualifier" and text_of(c) == "const" for c in node.children)


def trim_fragment(old_text: str, new_text: str) -> tuple[str, str]:
    """Both sides of a block without the context they share that closes or continues an
    enclosing construct the block does not show: a leading ``}`` / ``} else`` / ``else`` of an
    earlier branch (the block then runs as its own ``if``; the earlier conditions are the same
    unchanged context on both sides), a trailing ``}`` / ``};`` that closes more than the block
    opens (the end of an initialiser or body), and the ``\\`` line splices of a macro body
    whose ``#define`` line is not in the block. Anything else is left alone."""
    old, new = old_text.split("\n"), new_text.split("\n")
    body = [ln for ln in old[:-1] + new[:-1] if ln.strip()]
    if (
        body
        and all(ln.rstrip().endswith("\\") for ln in body)
        and not any(ln.lstrip().startswith("#") for ln in old + new)
    ):  # lines of a macro body (its #define line not in the block)
        old = [ln.rstrip().removesuffix("\\") for ln in old]
        new = [ln.rstrip().removesuffix("\\") for ln in new]
    while old and new:
        o_head, n_head = old[0].strip(), new[0].strip()
        if o_head == n_head == "}":
            old, new = old[1:], new[1:]
            continue
        for prefix in ("} else if", "else if"):
            if o_head.startswith(prefix) and n_head.startswith(prefix):
                cut = len(prefix) - 2
                old = [o_head[cut:]] + old[1:]
                new = [n_head[cut:]] + new[1:]
                break
        else:
            break
    while (
        old
        and new
        and old[-1].strip() == new[-1].strip()
        and old[-1].strip() in ("}", "};", "},")
        and _depth(old) < 0
        and _depth(new) < 0
    ):
        old, new = old[:-1], new[:-1]
    return "\n".join(old), "\n".join(new)


def _depth(lines: list[str]) -> int:
    from reviewer.flagmodel.c_parse import strip_comments

    code = strip_comments("\n".join(lines))
    return code.count("{") - code.count("}")


def own_hunk_inits(block, side: str) -> dict[str, Node]:
    keep = " -" if side == "old" else " +"
    lines = [ln for ln in block.hunk.lines if ln.tag in keep]
    first = block.hunk.lines[block.start]
    rows = [i for i, ln in enumerate(lines) if ln is first]
    if not rows:
        before = [ln for ln in block.hunk.lines[: block.start] if ln.tag in keep]
        row = len(before)
    else:
        row = rows[0]
    root = parse("\n".join(ln.text for ln in lines))
    return _initialisers_above(shared_side_info(root), row)


def function_of(view: PatchView, f: FileDiff, block) -> str:
    """The function a block is in: from the parse, else the one git names in the hunk header.
    Asked for each block by the region, the moved-statement and the block steps: computed once
    per block (trees and diffs are never edited)."""
    return _function_of(_Same(view), _Same(f), _Same(block))


@lru_cache(maxsize=4096)
def _function_of(view_key: _Same, f_key: _Same, block_key: _Same) -> str:
    view, f, block = view_key.obj, f_key.obj, block_key.obj
    # the block's own hunk parsed alone first: a function header inside the hunk, above the
    # block, names it for sure (the file's hunks joined can glue it to the function git
    # names in the hunk header: June 2026 9/13, create_init_stack_vma() read as
    # relocate_vma_down())
    lines = [ln for ln in block.hunk.lines if ln.tag in " +"]
    text = "\n".join(ln.text for ln in lines)
    text += "\n}" * max(0, text.count("{") - text.count("}"))  # the hunk ends inside it
    own = parse(text)
    func = enclosing_function(own, [ln.new_no or 0 for ln in lines], block.line)
    if func:
        return func
    func = enclosing_function(view.new_roots[f.path], view.new_numbers[f.path], block.line)
    if func:
        return func
    head = block.hunk.section.strip()
    # git cuts the header at the first line: close what it leaves open
    # (`struct vm_area_struct *__install_special_mapping(`)
    head += ")" * max(0, head.count("(") - head.count(")"))
    root = parse(head + ";")
    for decl in nodes_of(root, "function_declarator"):
        name = decl.child_by_field_name("declarator")
        if name is not None and name.type == "identifier":
            return text_of(name)
    return ""


def changed_names_by_function(view: PatchView, f: FileDiff, blocks) -> dict[str, list]:
    """function name -> [(block, identifiers on its changed lines)] of one file."""
    out: dict[str, list] = {}
    for block in blocks:
        func = function_of(view, f, block)
        if not func:
            continue
        # what the block writes on one side only: a computation moved between blocks
        # (written on both sides it is a parallel conversion, decided block by block)
        new_w, old_w = _written_names(block.side("new")), _written_names(block.side("old"))
        moved = {_canon_name(n) for n in new_w} ^ {_canon_name(n) for n in old_w}
        names = {n for n in new_w | old_w if _canon_name(n) in moved}
        out.setdefault(func, []).append((block, names))
    return out


def _canon_name(name: str) -> str:
    """A local's name without its representation (vm_flags / vma_flags, newflags /
    new_vma_flags), to tell a parallel conversion from a computation that moved."""
    return name.replace("vma_", "").replace("vm_", "").replace("_", "")


_MUTATORS = ("set", "clear", "reset", "mod", "overwrite", "init", "assign", "and", "append")


@lru_cache(maxsize=4096)
def _written_names(text: str) -> frozenset[str]:
    """Names a block may change: assignment targets and the objects passed by address or as
    the first argument of a flags mutator (vma_flags_set(&x, ...), vm_flags_set(vma, ...))."""
    from reviewer.flagmodel.c_parse import parse_statements

    frag = parse_statements(text)
    out: set[str] = set()
    for stmt in frag.statements:
        # (a declaration's initialiser is not a competing write: it is the value the data flow
        # of the block already starts from)
        for node in nodes_of(stmt, "assignment_expression", "call_expression"):
            if node.type == "assignment_expression":
                target = node.child_by_field_name("left")
            else:
                fn = text_of(node.child_by_field_name("function"))
                args = node.child_by_field_name("arguments")
                if args is None or not args.named_children:
                    continue
                if not any(m in fn for m in _MUTATORS):
                    continue
                target = args.named_children[0]
            if target is not None:
                out |= set(names_under(target))
    return frozenset(out)


def block_guards(root: Node, text: str, numbers: list[int], line: int) -> list[Node]:
    """The conditions a block of one side sits under: enclosing ``if`` conditions (the block
    in the consequence) and ``#ifdef``/``#ifndef``/``#if`` lines visible in the hunks."""
    try:
        row = numbers.index(line)
    except ValueError:
        return []
    lines = text.split("\n")
    src = lines[row] if row < len(lines) else ""
    col = len(src) - len(src.lstrip())
    node = root.descendant_for_point_range((row, col), (row, col))
    out: list[Node] = []
    child = node
    node = node.parent if node is not None else None
    while node is not None:
        if node.type == "if_statement" and child == node.child_by_field_name("consequence"):
            out.append(node.child_by_field_name("condition"))
        elif node.type in ("preproc_ifdef", "preproc_if") and child.type not in (
            "preproc_else",
            "preproc_elif",
        ):
            out.append(node)
        child, node = node, node.parent
    return [g for g in out if g is not None]


def _initialisers_above(info: SideInfo, row: int) -> dict[str, Node]:
    """Each name's value from its nearest declaration above `row` (none when that declaration
    has no initialiser)."""
    out: dict[str, Node] = {}
    for name, decls in info.decl_rows.items():
        above = [(r, v) for r, v in decls if r < row]
        if above:
            value = max(above, key=lambda rv: rv[0])[1]
            if value is not None:
                out[name] = value
    return out


def function_hunks_info(block, side: str) -> SideInfo | None:
    """(Read only: shared by the blocks of one hunk.) See _function_hunks_info()."""
    return _function_hunks_info(_Same(block.file), _Same(block.hunk), side)


@lru_cache(maxsize=2048)
def _function_hunks_info(file_key: _Same, hunk_key: _Same, side: str) -> SideInfo | None:
    """What the hunks of the block's function say, parsed without the rest of the file: the
    hunks git names that function in, back to the one its definition starts in. Used when the
    whole side does not parse around the block (a hunk that ends inside an initialiser or a
    comment glues the next hunks to it), so a local declared in an earlier hunk of the same
    function (``vm_flags_t prev_flags = vm_flags;``) is still a flags name with its value."""
    this = hunk_key.obj
    name = _section_function(this.section)
    if not name:
        return None
    keep = " -" if side == "old" else " +"
    hunks = file_key.obj.hunks
    chosen = []
    for hunk in reversed(hunks[: hunks.index(this) + 1]):
        texts = [ln.text for ln in hunk.lines if ln.tag in keep]
        starts = any(f"{name}(" in t and not t.rstrip().endswith(";") for t in texts)
        if hunk is not this and _section_function(hunk.section) != name and not starts:
            break
        chosen.insert(0, "\n".join(uncut_comments(texts)))
        if starts:
            break
    text = "\n\n".join(chosen)
    root = parse(text + "\n" + "}" * max(_brace_depth(text), 0))  # (the function goes on)
    for fn in nodes_of(root, "function_definition"):
        if _definition_name(fn) == name:
            return shared_side_info(fn)
    return None


def _brace_depth(text: str) -> int:
    from reviewer.flagmodel.c_parse import strip_comments

    code = strip_comments(text)
    return code.count("{") - code.count("}")


@lru_cache(maxsize=4096)
def _section_function(section: str) -> str:
    root = parse(section.strip() + ";")
    for decl in nodes_of(root, "function_declarator"):
        name = decl.child_by_field_name("declarator")
        if name is not None and name.type == "identifier":
            return text_of(name)
    return ""


def _definition_name(fn: Node) -> str:
    decl = fn.child_by_field_name("declarator")
    while decl is not None and decl.type != "function_declarator":
        decl = decl.child_by_field_name("declarator")
    name = decl.child_by_field_name("declarator") if decl is not None else None
    return text_of(name) if name is not None else ""


def add_function_hunks(info: SideInfo, block, side: str, parsed: bool) -> None:
    """Widen a block's info with function_hunks_info(): its flags names, VMA and pointer
    names, and initialisers: of the names the info has none for when the side parsed around
    the block (`parsed`), else of every name (the info then holds the file's nearest
    declarations, which may belong to another function)."""
    extra = function_hunks_info(block, side)
    if extra is None:
        return
    info.flag_names = info.flag_names | extra.flag_names
    info.vma_names = info.vma_names | extra.vma_names
    info.pointer_names = info.pointer_names | extra.pointer_names
    for name, value in extra.inits.items():
        if not parsed or name not in info.inits:
            info.inits[name] = value


_COMMENT_TOKENS = re.compile(
    r"/\*|\*/"  # block comment delimiters
    r"|//[^\n]*"  # line comment
    r'|"(?:\\.|[^"\\\n])*"?'  # string literal
    r"|'(?:\\.|[^'\\\n])*'?"  # char literal
)


def uncut_comments(lines: list[str]) -> list[str]:
    """A hunk's lines with the block comments its edges cut made whole: the lines before the
    first ``*/`` of a hunk that starts inside a comment are blanked (up to the delimiter), and
    a comment still open at its end is closed on its last line (joined with the next hunk, an
    open comment would swallow it; a comment's tail would parse as code). Rows are kept."""
    out = list(lines)
    inside = started = False
    for row, text in enumerate(out):
        col = 0
        for match in _COMMENT_TOKENS.finditer(text):
            token = match.group()
            if inside:
                inside = token != "*/"
            elif token == "/*":
                inside = started = True
            elif token == "*/" and not started:
                # the hunk starts inside a comment: blank its tail up to the delimiter
                out[:row] = [""] * row
                col = match.end()
            started = True if token in ("/*", "*/") else started
        if col:
            out[row] = " " * col + text[col:]
    if inside and out:
        out[-1] += " */"
    return out
