"""Random test vectors for the helper harness and the model's answer for each."""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import lru_cache

from reviewer.flagmodel import registry


@dataclass(frozen=True)
class Case:
    helper: registry.Helper
    call: str  # C statement(s) producing output
    words: list[int]  # initial flag words
    operand: list[int] | int  # bits list, mask words or word value
    label: str


def _rand_words(rng: random.Random, nbits: int, wbits: int) -> list[int]:
    nwords = (nbits + wbits - 1) // wbits
    return [rng.getrandbits(wbits) for _ in range(nwords)]


def cases_for(helpers: list[registry.Helper], nbits: int, by_value: set[str]) -> list[Case]:
    """The cases of a group of helpers: drawn from a generator seeded by the word size, so the
    same helpers give the same cases (memoised by value: groups and the fix-up compare mode's
    second check ask for the same ones again)."""
    return list(_cases(tuple(helpers), nbits, frozenset(by_value)))


@lru_cache(maxsize=1024)
def _cases(
    helpers: tuple[registry.Helper, ...], nbits: int, by_value: frozenset[str]
) -> tuple[Case, ...]:
    rng = random.Random(nbits)
    wbits = 32 if nbits == 32 else 64
    out: list[Case] = []
    for h in helpers:
        for i in range(12):
            words = _rand_words(rng, nbits, wbits)
            if i % 3 == 0:
                words = [w & rng.getrandbits(wbits) & rng.getrandbits(wbits) for w in words]
            count = 1 if h.args == "bit" else rng.randint(0 if h.args == "mask" else 1, 3)
            bits = sorted(
                {rng.randrange(nbits) for _ in range(count)}
                | (
                    {rng.choice(_set_bits(words, wbits) or [0])}
                    if i % 2 and h.args == "bits"
                    else set()
                )
            )
            if h.args == "bit":
                bits = bits[:1]
            mask_words = [0] * len(words)
            for b in bits:
                mask_words[b // wbits] |= 1 << (b % wbits)
            value = rng.getrandbits(wbits)
            call = _call(h, words, bits, mask_words, value, wbits)
            if h.name in by_value:
                call = call.replace("vma_flags_t *arg = &obj;", "vma_flags_t arg = obj;")
            out.append(
                Case(
                    h,
                    call,
                    words,
                    bits
                    if h.args in ("bits", "bit")
                    else (mask_words if h.args == "mask" else value),
                    f"{h.name}#{i}",
                )
            )
    return tuple(out)


def _set_bits(words: list[int], wbits: int) -> list[int]:
    return [i * wbits + b for i, w in enumerate(words) for b in range(wbits) if w >> b & 1]


def _init(words: list[int], wbits: int) -> str:
    return "{{" + ", ".join(f"0x{w:x}UL" for w in words) + "}}"


def _call(
    h: registry.Helper, words: list[int], bits: list[int], mask: list[int], value: int, wbits: int
) -> str:
    init = _init(words, wbits)
    setup = {
        "flags_ptr": f"vma_flags_t obj = {init}; vma_flags_t *arg = &obj;",
        "desc": f"struct vm_area_desc d = {{ .vma_flags = {init} }}; "
        "struct vm_area_desc *arg = &d; vma_flags_t *out = &d.vma_flags;",
        "vma": f"struct vm_area_struct v = {{ .flags = {init} }}; "
        "struct vm_area_struct *arg = &v; vma_flags_t *out = &v.flags;",
    }
    if h.kind == "mk":
        args = ", ".join(str(b) for b in bits)
        return f"hx_dirty_stack(); {{ vma_flags_t r = {h.name}({args}); hx_print_words(&r); }}"
    pre = setup.get(h.target, setup["flags_ptr"])
    if h.target == "flags_ptr":
        pre += " vma_flags_t *out = &obj;"
    if h.args == "bits" or h.args == "bit":
        rest = ", " + ", ".join(str(b) for b in bits) if bits else ""
    elif h.args == "mask":
        rest = f", (vma_flags_t){_init(mask, wbits)}"
    elif h.args == "word":
        rest = f", 0x{value:x}UL"
    else:
        rest = ""
    call = f"{h.name}(arg{rest})"
    if h.kind in ("any", "all", "single"):
        return f"{{ {pre} hx_put_int((int)!!{call}); }}"
    return f"{{ {pre} {call}; hx_print_words(out); }}"


def expected(c: Case, nbits: int) -> list[int] | int:
    wbits = 32 if nbits == 32 else 64
    full = sum(w << (i * wbits) for i, w in enumerate(c.words))
    h = c.helper
    if h.args in ("bits", "bit"):
        operand = sum(1 << b for b in c.operand)  # type: ignore[union-attr]
    elif h.args == "mask":
        operand = sum(w << (i * wbits) for i, w in enumerate(c.operand))  # type: ignore[arg-type]
    elif h.args == "word":
        operand = int(c.operand)  # type: ignore[arg-type]
    else:
        operand = 0
    word0 = (1 << wbits) - 1
    if h.kind == "mk":
        result = operand
    elif h.kind == "any":
        return int(full & operand != 0)
    elif h.kind == "all":
        return int(full & operand == operand)
    elif h.kind == "single":
        return int(full & operand != 0)
    elif h.kind in ("set", "word_set"):
        result = full | operand
    elif h.kind in ("clear", "word_clear"):
        result = full & ~operand
    elif h.kind == "word_assign":
        result = ((full & ~word0) | operand) if h.word0_only else operand
    elif h.kind == "clear_all":
        result = 0
    else:
        raise ValueError(h.kind)
    return [(result >> (i * wbits)) & word0 for i in range(len(c.words))]
