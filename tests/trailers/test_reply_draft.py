import mailbox

import pytest

from reviewer.errors import ReviewerError
from reviewer.store.core import Store
from reviewer.trailers.reply_draft import reply_drafts

ME = "Rev Iewer <rev@example.org>"


@pytest.fixture
def store(tracked, db_path):
    return Store.open(db_path)


@pytest.fixture
def v2(store):
    return store.load_series(1).latest


def _read(data: bytes, tmp_path) -> list:
    path = tmp_path / "d.mbox"
    path.write_bytes(data)
    return list(mailbox.mbox(str(path)))


def test_whole_series_is_one_reply_to_the_cover(store, v2, tmp_path):
    [mail] = _read(reply_drafts(store, v2, v2.patches, "Acked-by", ME), tmp_path)
    assert mail["In-Reply-To"] == f"<{v2.message_id}>"  # long message-id stays unencoded
    assert mail["Subject"] == (
        "Re: [PATCH v2 00/13] mm: add bitmap VMA flag helpers and convert all mmap_prepare "
        "to use them"
    )
    assert mail["From"] == ME
    assert mail["To"] == "Lorenzo Stoakes <lorenzo.stoakes@oracle.com>"
    assert "linux-mm@kvack.org" in mail["Cc"] and "akpm@linux-foundation.org" in mail["Cc"]
    body = mail.get_payload()
    assert body.startswith("On Thu, Jan 22, 2026 at 16:06, Lorenzo Stoakes wrote:\n> ")
    assert body.rstrip().endswith(f"Acked-by: {ME}")


def test_subset_replies_to_each_patch(store, v2, tmp_path):
    picked = [v2.patches[2], v2.patches[9]]
    mails = _read(reply_drafts(store, v2, picked, "Reviewed-by", ME), tmp_path)
    assert [m["In-Reply-To"] for m in mails] == [f"<{p.message_id}>" for p in picked]
    assert [m["References"].split()[-1] for m in mails] == [f"<{p.message_id}>" for p in picked]
    assert (
        mails[0]["Subject"]
        == "Re: [PATCH v2 03/13] mm: add mk_vma_flags() bitmap flag macro helper"
    )
    assert all(m.get_payload().rstrip().endswith(f"Reviewed-by: {ME}") for m in mails)


@pytest.mark.parametrize(
    ("trailer", "who", "picked", "error"),
    [
        ("Signed-off-by", ME, 1, "unknown trailer"),
        ("Reviewed-by", "", 1, "no reviewer identity"),
        ("Reviewed-by", ME, 0, "no patches selected"),
    ],
)
def test_bad_requests(store, v2, trailer, who, picked, error):
    with pytest.raises(ReviewerError, match=error):
        reply_drafts(store, v2, v2.patches[:picked], trailer, who)
