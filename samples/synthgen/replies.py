"""Who replies to which revision with which trailers; cover subject and blurbs."""

from __future__ import annotations

from synthgen.mail import Reply, message_id

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
