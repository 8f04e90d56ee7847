import mailbox

import pytest

from reviewer.errors import ReviewerError
from reviewer.reply_draft import reply_drafts
from reviewer.store import Store

ME = "Rev Iewer <rev@example.org>"


@pytest.fixture
def v2(tracked, db_path):
    return Store.open(db_path).load_series(1).latest


def _read(data: bytes, tmp_path) -> list:
    path = tmp_path / "d.mbox"
    path.write_bytes(data)
    return list(mailbox.mbox(str(path)))


def test_whole_series_is_one_reply_to_the_cover(v2, tmp_path):
    [mail] = _read(reply_drafts(v2, v2.patches, "Acked-by", ME), tmp_path)
    assert mail["In-Reply-To"] == f"<{v2.message_id}>"  # long message-id stays unencoded
    assert mail["Subject"] == f"Re: {v2.subject}"
    assert mail.get_payload().strip() == f"Acked-by: {ME}"


def test_subset_replies_to_each_patch(v2, tmp_path):
    mails = _read(reply_drafts(v2, [v2.patches[2], v2.patches[9]], "Reviewed-by", ME), tmp_path)
    assert [m["References"] for m in mails] == [
        f"<{v2.patches[2].message_id}>",
        f"<{v2.patches[9].message_id}>",
    ]
    assert all(m.get_payload().strip() == f"Reviewed-by: {ME}" for m in mails)


@pytest.mark.parametrize(
    ("trailer", "who", "picked", "error"),
    [
        ("Signed-off-by", ME, 1, "unknown trailer"),
        ("Reviewed-by", "", 1, "no reviewer identity"),
        ("Reviewed-by", ME, 0, "no patches selected"),
    ],
)
def test_bad_requests(v2, trailer, who, picked, error):
    with pytest.raises(ReviewerError, match=error):
        reply_drafts(v2, v2.patches[:picked], trailer, who)
