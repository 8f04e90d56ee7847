#!/usr/bin/env python3
"""Build the synthetic series in samples/synthetic/ from the mini kernel tree in samples/minitree/.

The script creates a throwaway git repository from samples/minitree (commit "base"), commits a small
four-patch series modelled on the January 2026 VMA-flags series, and writes every revision as an mbox
thread with ``git format-patch`` (cover letter, base-commit, threading) plus hand-written replies
carrying trailers:

- v1-thread.mbox          [PATCH 0/4]: Acked-by on the cover, Reviewed-by on 2/4, and a Tested-by
                          on 4/4 whose address does not match the sender's.
- v1-resend-thread.mbox   [PATCH RESEND 0/4]: the same commits as v1, new mails; Reviewed-by on 1/4.
- v2-thread.mbox          [PATCH v2 0/4]: 1/4 carries the Reviewed-by (message-only), 2/4 changes code
                          in tools/testing/vma/vma_internal.h (code-changed), 3/4 has a reworded commit
                          message (message-only), 4/4 identical.
- v3-rebased-thread.mbox  [PATCH v3 0/4]: v2 rebased onto the "mm-new" branch (base + one unrelated
                          commit): same code, other line numbers, one changed context line.

Everything is deterministic (fixed names, dates, message-ids, git signature), so running the script
again reproduces the committed files byte for byte. Tests import ``build_base_repo`` to get a repo
whose HEAD is the base the series applies to.

Usage: python samples/make_synthetic.py [--out DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import git

HERE = Path(__file__).resolve().parent
MINITREE = HERE / "minitree"
OUT = HERE / "synthetic"

AUTHOR = ("Lorenzo Example", "lorenzo@example.org")
MAINTAINER = ("Andrew Example", "akpm@example.org")
LIST = "linux-mm@kvack.example.org"
SIGNATURE = "2.52.0"
BASE_DATE = "2026-01-05T09:00:00+00:00"
MM_NEW_DATE = "2026-01-20T09:00:00+00:00"
SERIES_SLUG = "vma-desc-flags"


def _ident_env(name: str, email: str, date: str) -> dict[str, str]:
    return {
        "GIT_AUTHOR_NAME": name,
        "GIT_AUTHOR_EMAIL": email,
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_NAME": name,
        "GIT_COMMITTER_EMAIL": email,
        "GIT_COMMITTER_DATE": date,
        "TZ": "UTC",
    }


def init_repo(path: Path) -> git.Repo:
    repo = git.Repo.init(path, initial_branch="master")
    with repo.config_writer() as cfg:
        cfg.set_value("user", "name", AUTHOR[0])
        cfg.set_value("user", "email", AUTHOR[1])
        cfg.set_value("commit", "gpgsign", "false")
        cfg.set_value("core", "autocrlf", "false")
        cfg.set_value("core", "abbrev", "12")
        cfg.set_value("format", "signature", SIGNATURE)
    return repo


def commit_all(repo: git.Repo, message: str, date: str, who: tuple[str, str] = AUTHOR) -> str:
    repo.git.add("-A")
    with repo.git.custom_environment(**_ident_env(who[0], who[1], date)):
        repo.git.commit("-q", "--no-verify", "--cleanup=verbatim", "-m", message)
    return repo.head.commit.hexsha


# ---------------------------------------------------------------------------------------------
# Edits: (path, old, new) string replacements applied to the work tree.

Edit = tuple[str, str, str]


def apply_edits(root: Path, edits: list[Edit]) -> None:
    for rel, old, new in edits:
        path = root / rel
        text = path.read_text()
        if text.count(old) < 1:
            raise SystemExit(f"make_synthetic: edit does not match in {rel}: {old[:60]!r}")
        path.write_text(text.replace(old, new))


MM_H = "include/linux/mm.h"
VMA_INTERNAL = "tools/testing/vma/vma_internal.h"

RENAME_ATOMIC: list[Edit] = [
    (
        MM_H,
        "static inline bool __vma_flag_atomic_valid(struct vm_area_struct *vma,\n"
        "\t\t\t\t\t   vma_flag_t bit)\n",
        "static inline bool __vma_atomic_valid_flag(struct vm_area_struct *vma, vma_flag_t bit)\n",
    ),
    (
        MM_H,
        "static inline void vma_flag_set_atomic(struct vm_area_struct *vma,\n"
        "\t\t\t\t       vma_flag_t bit)\n",
        "static inline void vma_set_atomic_flag(struct vm_area_struct *vma, vma_flag_t bit)\n",
    ),
    (
        MM_H,
        "static inline bool vma_flag_test_atomic(struct vm_area_struct *vma,\n"
        "\t\t\t\t\tvma_flag_t bit)\n",
        "static inline bool vma_test_atomic_flag(struct vm_area_struct *vma, vma_flag_t bit)\n",
    ),
    (MM_H, "if (__vma_flag_atomic_valid(vma, bit))", "if (__vma_atomic_valid_flag(vma, bit))"),
    ("mm/khugepaged.c", "vma_flag_test_atomic(vma, VMA_", "vma_test_atomic_flag(vma, VMA_"),
    ("mm/madvise.c", "vma_flag_set_atomic(vma, VMA_", "vma_set_atomic_flag(vma, VMA_"),
]

_DESC_TEST_SET = """\
/* Test whether the VMA flag bit is set in the VMA descriptor, non-atomically. */
static inline bool vma_desc_test_flag(const struct vm_area_desc *desc,
				      vma_flag_t bit)
{
	return test_bit((__force int)bit,
			ACCESS_PRIVATE(&desc->vma_flags, __vma_flags));
}

/* Set the VMA flag bit in the VMA descriptor, non-atomically. */
static inline void vma_desc_set_flag(struct vm_area_desc *desc,
				     vma_flag_t bit)
{
	__set_bit((__force int)bit, ACCESS_PRIVATE(&desc->vma_flags, __vma_flags));
}
"""

_DESC_CLEAR = """\

/* Clear the VMA flag bit in the VMA descriptor, non-atomically. */
static inline void vma_desc_clear_flag(struct vm_area_desc *desc,
				       vma_flag_t bit)
{
	__clear_bit((__force int)bit, ACCESS_PRIVATE(&desc->vma_flags, __vma_flags));
}
"""

_MM_ANCHOR = "static inline void vma_set_anonymous(struct vm_area_struct *vma)\n"
_TOOLS_ANCHOR = "static inline bool is_shared_maywrite(vm_flags_t vm_flags)\n"


def desc_helpers(mirror_clear: bool) -> list[Edit]:
    """v1 forgot to mirror vma_desc_clear_flag() into the userland test header; v2 adds it."""
    tools = _DESC_TEST_SET + (_DESC_CLEAR if mirror_clear else "")
    return [
        (MM_H, _MM_ANCHOR, _DESC_TEST_SET + _DESC_CLEAR + "\n" + _MM_ANCHOR),
        (VMA_INTERNAL, _TOOLS_ANCHOR, tools + "\n" + _TOOLS_ANCHOR),
    ]


SECRETMEM: list[Edit] = [
    (
        "mm/secretmem.c",
        "\tif ((desc->vm_flags & (VM_SHARED | VM_MAYSHARE)) == 0)\n"
        "\t\treturn -EINVAL;\n"
        "\n"
        "\tif (!mlock_future_ok(desc->mm, desc->vm_flags | VM_LOCKED, len))\n"
        "\t\treturn -EAGAIN;\n"
        "\n"
        "\tdesc->vm_flags |= VM_LOCKED | VM_DONTDUMP;\n",
        "\tif (!vma_desc_test_flag(desc, VMA_SHARED_BIT) &&\n"
        "\t    !vma_desc_test_flag(desc, VMA_MAYSHARE_BIT))\n"
        "\t\treturn -EINVAL;\n"
        "\n"
        "\tif (!mlock_future_ok(desc->mm, desc->vm_flags | VM_LOCKED, len))\n"
        "\t\treturn -EAGAIN;\n"
        "\n"
        "\tvma_desc_set_flag(desc, VMA_LOCKED_BIT);\n"
        "\tvma_desc_set_flag(desc, VMA_DONTDUMP_BIT);\n",
    ),
]

MEM_AIO: list[Edit] = [
    (
        "drivers/char/mem.c",
        "\t/* Remap-pfn-range will mark the range VM_IO. */\n",
        "\t/* Remap-pfn-range will mark the range with the I/O flag. */\n",
    ),
    (
        "drivers/char/mem.c",
        "\tif (desc->vm_flags & VM_SHARED)\n\t\treturn shmem_zero_setup_desc(desc);\n",
        "\tif (vma_desc_test_flag(desc, VMA_SHARED_BIT))\n\t\treturn shmem_zero_setup_desc(desc);\n",
    ),
    (
        "fs/aio.c",
        "\tdesc->vm_flags |= VM_DONTEXPAND;\n",
        "\tvma_desc_set_flag(desc, VMA_DONTEXPAND_BIT);\n",
    ),
]

# The unrelated upstream commit that makes "mm-new": it shifts every hunk of the series in mm.h and
# secretmem.c and rewrites one context line of the mem.c hunk (not adjacent to the changed line, so
# plain git am fails there but git am --3way merges).
MM_NEW: list[Edit] = [
    (
        MM_H,
        "struct folio_batch;\n",
        "struct folio_batch;\nstruct mmu_gather;\nstruct vm_fault;\nstruct vm_special_mapping;\n",
    ),
    (
        MM_H,
        "extern unsigned long max_mapnr;\n",
        "extern unsigned long max_mapnr;\n\n"
        "/*\n * Linux kernel virtual memory manager primitives.\n"
        " * The idea being to have a \"virtual\" mm in the same way\n"
        " * we have a virtual fs - giving a cleaner interface to the\n"
        " * mm details, and allowing different kinds of memory mappings\n"
        " * (from shared memory to executable loading to arbitrary\n"
        " * mmap() functions).\n */\n",
    ),
    (
        "mm/secretmem.c",
        "#define SECRETMEM_MODE_MASK\t(0x0)\n",
        "/*\n * Define mode and flag masks to allow validation of the system call\n"
        " * parameters.\n */\n#define SECRETMEM_MODE_MASK\t(0x0)\n",
    ),
    (
        "drivers/char/mem.c",
        "#ifndef CONFIG_MMU\n\treturn -ENOSYS;\n#endif\n\tif (desc->vm_flags",
        "#ifndef CONFIG_MMU\n\treturn -ENODEV;\n#endif\n\tif (desc->vm_flags",
    ),
]
MM_NEW_MESSAGE = """\
mm: describe the mm primitives, return -ENODEV for nommu /dev/zero mmap

Forward-declare the structures later helpers need, restore the description
of what include/linux/mm.h provides, document the secretmem masks and
return -ENODEV rather than -ENOSYS from mmap_zero_prepare() on nommu.

Signed-off-by: Andrew Example <akpm@example.org>
"""

# ---------------------------------------------------------------------------------------------
# Commit messages.

SOB = f"Signed-off-by: {AUTHOR[0]} <{AUTHOR[1]}>"
PEDRO_RB = "Reviewed-by: Pedro Example <pfalcato@example.net>"

MSG_RENAME = f"""\
mm: rename vma_flag_test/set_atomic() to vma_test/set_atomic_flag()

In order to stay consistent between functions which manipulate a vm_flags_t
argument of the form of vma_flags_...() and those which manipulate a
VMA (in this case the flags field of a VMA), rename
vma_flag_[test/set]_atomic() to vma_[test/set]_atomic_flag().

This lays the groundwork for adding VMA descriptor flag helpers in a
subsequent commit.

{SOB}
"""

MSG_HELPERS = f"""\
mm: add vma_desc_test/set/clear_flag() helpers

Add helpers which test, set and clear an individual VMA flag bit in a VMA
descriptor, so mmap_prepare hooks can stop open-coding operations on the
legacy desc->vm_flags field.

Also mirror the helpers into the userland VMA test header so they can be
used by the VMA tests.

{SOB}
"""

MSG_SECRETMEM_V1 = f"""\
mm: update secretmem to use VMA flags on mmap_prepare

This patch updates secretmem to use the new vma_flags_t type which will
soon supersede vm_flags_t altogether.

No functional changes intended.

{SOB}
"""

MSG_SECRETMEM_V2 = f"""\
mm: update secretmem to use VMA flags on mmap_prepare

Update secretmem_mmap_prepare() to test and set flags in the VMA
descriptor with the vma_desc_*_flag() helpers rather than manipulating the
legacy desc->vm_flags field directly.

This is laying the groundwork for eliminating vm_flags_t from
vm_area_desc.

No functional changes intended.

{SOB}
"""

MSG_MEM_AIO = f"""\
mm: update /dev/zero and the aio ring to use VMA flags on mmap_prepare

Convert the remaining simple mmap_prepare users, mmap_zero_prepare() and
aio_ring_mmap_prepare(), to the vma_desc_*_flag() helpers.

{SOB}
"""


@dataclass
class PatchSpec:
    message: str
    edits: list[Edit]


def series_v1() -> list[PatchSpec]:
    return [
        PatchSpec(MSG_RENAME, RENAME_ATOMIC),
        PatchSpec(MSG_HELPERS, desc_helpers(mirror_clear=False)),
        PatchSpec(MSG_SECRETMEM_V1, SECRETMEM),
        PatchSpec(MSG_MEM_AIO, MEM_AIO),
    ]


def series_v2() -> list[PatchSpec]:
    return [
        PatchSpec(MSG_RENAME.replace(SOB, f"{PEDRO_RB}\n{SOB}"), RENAME_ATOMIC),
        PatchSpec(MSG_HELPERS, desc_helpers(mirror_clear=True)),
        PatchSpec(MSG_SECRETMEM_V2, SECRETMEM),
        PatchSpec(MSG_MEM_AIO, MEM_AIO),
    ]


def commit_series(repo: git.Repo, specs: list[PatchSpec], start_date: str) -> list[str]:
    """Commit each patch spec on top of HEAD, one minute apart from start_date."""
    day, clock = start_date.split("T")
    hour = int(clock[:2])
    shas = []
    for i, spec in enumerate(specs):
        apply_edits(Path(repo.working_tree_dir), spec.edits)
        shas.append(commit_all(repo, spec.message, f"{day}T{hour:02d}:{i:02d}:00+00:00"))
    return shas


# ---------------------------------------------------------------------------------------------
# Repositories.


def build_base_repo(path: Path) -> git.Repo:
    """A repo at path: master = the mini tree ("base", HEAD), mm-new = base + one upstream commit."""
    repo = init_repo(path)
    shutil.copytree(MINITREE, path, dirs_exist_ok=True)
    commit_all(repo, "mini kernel tree: base for the synthetic series\n", BASE_DATE, MAINTAINER)
    repo.git.branch("mm-new")
    repo.git.checkout("-q", "mm-new")
    apply_edits(path, MM_NEW)
    commit_all(repo, MM_NEW_MESSAGE, MM_NEW_DATE, MAINTAINER)
    repo.git.checkout("-q", "master")
    return repo


# ---------------------------------------------------------------------------------------------
# Mails.


@dataclass
class Thread:
    label: str  # "v1", "v1-resend", "v2", "v3"
    date: str  # RFC 2822 date of the cover letter; patches follow one second apart
    mails: list[str]  # the rendered mails, cover first
    ids: list[str]  # message-id of each mail (without <>), cover first
    subjects: list[str]


def message_id(label: str, index: int) -> str:
    digest = hashlib.sha1(f"{SERIES_SLUG}-{label}-{index}".encode()).hexdigest()[:12]
    return f"20260119-{SERIES_SLUG}-{label}-{index}-{digest}@example.org"


def _split_headers(text: str) -> tuple[list[list[str]], str]:
    head, body = text.split("\n\n", 1)
    headers: list[list[str]] = []
    for line in head.split("\n"):
        if line.startswith("From ") and not headers:
            headers.append(["", line])  # the mbox separator line git format-patch writes
        elif line[:1] in (" ", "\t") and headers:
            headers[-1][1] += "\n" + line
        else:
            name, _, value = line.partition(":")
            headers.append([name, value.lstrip(" ")])
    return headers, body


def _join_headers(headers: list[list[str]], body: str) -> str:
    return "\n".join(f"{n}: {v}" if n else v for n, v in headers) + "\n\n" + body


def _set_header(headers: list[list[str]], name: str, value: str) -> None:
    for h in headers:
        if h[0].lower() == name.lower():
            h[1] = value
            return
    headers.append([name, value])


def _drop_header(headers: list[list[str]], name: str) -> None:
    headers[:] = [h for h in headers if h[0].lower() != name.lower()]


def _date_plus(date: str, seconds: int) -> str:
    from datetime import timedelta
    from email.utils import format_datetime, parsedate_to_datetime

    return format_datetime(parsedate_to_datetime(date) + timedelta(seconds=seconds))


def format_thread(
    repo: git.Repo,
    base: str,
    tip: str,
    label: str,
    date: str,
    reroll: int | None,
    prefix: str,
    cover_subject: str,
    blurb: str,
) -> Thread:
    """git format-patch base..tip, then fix ids, threading and dates so the output is stable."""
    with tempfile.TemporaryDirectory() as tmp:
        args = [
            "--cover-letter",
            "--thread=shallow",
            f"--base={base}",
            f"--subject-prefix={prefix}",
            f"--to={LIST}",
            f"--cc={MAINTAINER[0]} <{MAINTAINER[1]}>",
            f"--signature={SIGNATURE}",
            "-o",
            tmp,
        ]
        if reroll:
            args.append(f"--reroll-count={reroll}")
        with repo.git.custom_environment(**_ident_env(*AUTHOR, "2026-01-19T00:00:00+00:00")):
            repo.git.format_patch(*args, f"{base}..{tip}")
        files = sorted(Path(tmp).glob("*.patch"))
        raw = [f.read_text() for f in files]
    ids = [message_id(label, i) for i in range(len(raw))]
    mails, subjects = [], []
    for i, text in enumerate(raw):
        headers, body = _split_headers(text)
        _set_header(headers, "Date", _date_plus(date, i))
        _set_header(headers, "Message-ID", f"<{ids[i]}>")
        _drop_header(headers, "In-Reply-To")
        _drop_header(headers, "References")
        if i:
            headers.append(["In-Reply-To", f"<{ids[0]}>"])
            headers.append(["References", f"<{ids[0]}>"])
        if i == 0:
            for h in headers:
                if h[0] == "Subject":
                    h[1] = h[1].replace("*** SUBJECT HERE ***", cover_subject)
            body = body.replace("*** BLURB HERE ***", blurb.rstrip("\n"))
        subject = next(v for n, v in headers if n == "Subject").replace("\n", "")
        subjects.append(subject)
        mails.append(_join_headers(headers, body))
    return Thread(label, date, mails, ids, subjects)


@dataclass
class Reply:
    to_index: int  # 0 = cover
    sender: tuple[str, str]
    text: str  # body written above the quote
    quote: int = 6  # how many lines of the replied-to body to quote
    after: str = ""  # text after the quote


def render_reply(thread: Thread, reply: Reply, n: int) -> str:
    parent_id = thread.ids[reply.to_index]
    parent_subject = thread.subjects[reply.to_index]
    _, parent_body = _split_headers(thread.mails[reply.to_index])
    quoted = "\n".join(("> " + ln).rstrip() for ln in parent_body.split("\n")[: reply.quote])
    refs = f"<{thread.ids[0]}>" if reply.to_index == 0 else f"<{thread.ids[0]}> <{parent_id}>"
    date = _date_plus(thread.date, 3600 * (n + 1))
    rid = message_id(f"{thread.label}-reply", n)
    header = (
        f"From: {reply.sender[0]} <{reply.sender[1]}>\n"
        f"To: {AUTHOR[0]} <{AUTHOR[1]}>\n"
        f"Cc: {LIST}, {MAINTAINER[0]} <{MAINTAINER[1]}>\n"
        f"Subject: Re: {parent_subject}\n"
        f"Date: {date}\n"
        f"Message-ID: <{rid}>\n"
        f"In-Reply-To: <{parent_id}>\n"
        f"References: {refs}\n"
        "MIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=utf-8\n"
        "Content-Transfer-Encoding: 8bit\n"
    )
    intro = f"On {thread.date}, {AUTHOR[0]} wrote:\n"
    body = intro + quoted + "\n\n" + reply.text.rstrip("\n") + "\n"
    if reply.after:
        body += "\n" + reply.after.rstrip("\n") + "\n"
    return header + "\n" + body


def to_mbox(thread: Thread, replies: list[Reply]) -> str:
    mails = list(thread.mails) + [render_reply(thread, r, n) for n, r in enumerate(replies)]
    out = []
    for mail in mails:
        if not mail.startswith("From "):
            mail = "From mboxrd@z Thu Jan  1 00:00:00 1970\n" + mail
        head, body = mail.split("\n", 1)
        # mboxrd: quote body lines that look like separators.
        lines = [(">" + ln) if ln.lstrip(">").startswith("From ") else ln for ln in body.split("\n")]
        out.append(head + "\n" + "\n".join(lines).rstrip("\n") + "\n\n")
    return "".join(out)


VLASTIMIL = ("Vlastimil Example", "vbabka@example.org")
DAVID = ("David Example", "david@example.org")
PEDRO = ("Pedro Example", "pfalcato@example.net")
ZI = ("Zi Example", "ziy@example.com")

COVER_SUBJECT = "mm: add VMA descriptor flag helpers and convert mmap_prepare users"
BLURB_V1 = """\
Add helpers to test, set and clear individual VMA flag bits in a VMA
descriptor and convert the simple mmap_prepare users to them, as a further
step towards replacing vm_flags_t with the vma_flags_t bitmap.

The atomic flag helpers are renamed first for consistency."""
BLURB_V2 = (
    BLURB_V1
    + """

v2:
* Mirror vma_desc_clear_flag() into the userland VMA test header as well,
  as per Vlastimil.
* Reword the secretmem commit message.
* Propagate tags (thanks everyone!)

v1 resend:
https://lore.kernel.org/all/"""
    + message_id("v1-resend", 0)
    + "/"
)
BLURB_V3 = (
    BLURB_V2.replace("\n\nv2:", "\n\nv3:\n* Rebased on mm-new, no code changes.\n\nv2:", 1)
    + "\n\nv2:\nhttps://lore.kernel.org/all/"
    + message_id("v2", 0)
    + "/"
)

REPLIES = {
    "v1": [
        Reply(0, DAVID, "Nice cleanup.", after=f"Acked-by: {DAVID[0]} <{DAVID[1]}>"),
        Reply(
            2,
            VLASTIMIL,
            "vma_desc_clear_flag() is not mirrored in tools/testing/vma/vma_internal.h,\n"
            "please add it there too. With that:",
            quote=4,
            after=f"Reviewed-by: {VLASTIMIL[0]} <{VLASTIMIL[1]}>",
        ),
        Reply(
            4,
            ZI,
            "Booted and ran the mmap tests on x86_64, works fine.",
            after="Tested-by: Zi Example <zi.example@nvidia.example.com>",
        ),
    ],
    "v1-resend": [
        Reply(1, PEDRO, "LGTM.", after=f"Reviewed-by: {PEDRO[0]} <{PEDRO[1]}>"),
    ],
    "v2": [
        Reply(0, DAVID, "Still looks good.", after=f"Acked-by: {DAVID[0]} <{DAVID[1]}>"),
        Reply(2, VLASTIMIL, "Thanks!", after=f"Reviewed-by: {VLASTIMIL[0]} <{VLASTIMIL[1]}>"),
    ],
    "v3": [
        Reply(3, PEDRO, "", after=f"Reviewed-by: {PEDRO[0]} <{PEDRO[1]}>"),
    ],
}


def generate(out: Path) -> dict[str, str]:
    """Write the four thread mboxes into out; return the commit ids that matter."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "minitree"
        repo = build_base_repo(path)
        base = repo.head.commit.hexsha
        mm_new = repo.commit("mm-new").hexsha

        repo.git.checkout("-q", "-b", "series-v1", base)
        v1_tip = commit_series(repo, series_v1(), "2026-01-19T12:00:00+00:00")[-1]
        repo.git.checkout("-q", "-b", "series-v2", base)
        v2_tip = commit_series(repo, series_v2(), "2026-01-22T12:00:00+00:00")[-1]
        repo.git.checkout("-q", "-b", "series-v3", mm_new)
        v3_tip = commit_series(repo, series_v2(), "2026-01-26T08:00:00+00:00")[-1]

        threads = [
            (
                "v1-thread.mbox",
                format_thread(
                    repo, base, v1_tip, "v1", "Mon, 19 Jan 2026 14:48:51 +0000", None,
                    "PATCH", COVER_SUBJECT, BLURB_V1,
                ),
            ),
            (
                "v1-resend-thread.mbox",
                format_thread(
                    repo, base, v1_tip, "v1-resend", "Mon, 19 Jan 2026 21:13:20 +0000", None,
                    "PATCH RESEND", COVER_SUBJECT, BLURB_V1,
                ),
            ),
            (
                "v2-thread.mbox",
                format_thread(
                    repo, base, v2_tip, "v2", "Thu, 22 Jan 2026 16:06:09 +0000", 2,
                    "PATCH", COVER_SUBJECT, BLURB_V2,
                ),
            ),
            (
                "v3-rebased-thread.mbox",
                format_thread(
                    repo, mm_new, v3_tip, "v3", "Mon, 26 Jan 2026 10:00:00 +0000", 3,
                    "PATCH", COVER_SUBJECT, BLURB_V3,
                ),
            ),
        ]
        for name, thread in threads:
            key = thread.label
            (out / name).write_text(to_mbox(thread, REPLIES[key]))
        return {"base": base, "mm-new": mm_new, "v1": v1_tip, "v2": v2_tip, "v3": v3_tip}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--out", type=Path, default=OUT, help="output directory")
    args = parser.parse_args(argv)
    shas = generate(args.out)
    for name, sha in shas.items():
        print(f"{name:7} {sha}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
