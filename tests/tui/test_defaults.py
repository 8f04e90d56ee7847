"""Defaults that do not write into the user's kernel tree (issue 15 item 10)."""

from pathlib import Path

from tests.tui.conftest import drive, wait_mark
from tui.screens.dialogs import ChoiceScreen, PromptScreen


def _identity(
    monkeypatch, tmp_path, text="[user]\n\tname = Rev Iewer\n\temail = rev@example.org\n"
):
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    (tmp_path / "gitconfig").write_text(text)


def _prompt_defaults(make_app, keys_before_prompt):
    async def scenario(pilot):
        await pilot.press("enter")
        await wait_mark(pilot, "series 1 v2")
        await pilot.press(*keys_before_prompt)
        await pilot.pause()
        screen = pilot.app.screen
        if isinstance(screen, PromptScreen):
            return screen.query_one("#prompt-input").value
        return None

    return drive(make_app(), scenario)


def test_export_and_reply_default_to_the_data_dir_not_the_cwd(
    make_app, tmp_path, monkeypatch, isolated_env
):
    import platformdirs

    _identity(monkeypatch, tmp_path)
    kernel = tmp_path / "linux"
    kernel.mkdir()
    monkeypatch.chdir(kernel)
    data = Path(platformdirs.user_data_dir("reviewer"))
    export = _prompt_defaults(make_app, ["e"])
    reply = _prompt_defaults(make_app, ["R", "enter"])
    assert export == str(data / "series-1-v2.mbx")
    assert reply == str(data / "reply-1-v2.mbox")


def test_configured_output_dir_wins(make_app, tmp_path, monkeypatch):
    out = tmp_path / "review-out"
    _identity(
        monkeypatch,
        tmp_path,
        "[user]\n\tname = R\n\temail = r@example.org\n[reviewer]\n\toutput-dir = "
        + str(out)
        + "\n",
    )
    assert _prompt_defaults(make_app, ["e"]) == str(out / "series-1-v2.mbx")


def test_apply_prompt_does_not_offer_a_directory_that_is_not_a_kernel_tree(
    make_app, tmp_path, monkeypatch
):
    _identity(monkeypatch, tmp_path)
    monkeypatch.chdir(tmp_path)
    assert _prompt_defaults(make_app, ["a"]) == ""
    tree = tmp_path / "linux"
    (tree / "include" / "linux").mkdir(parents=True)
    (tree / "include" / "linux" / "mm.h").write_text("")
    (tree / "Makefile").write_text("")
    monkeypatch.chdir(tree)
    assert _prompt_defaults(make_app, ["a"]) == str(tree)


def test_identity_is_checked_before_any_question(make_app, tmp_path, monkeypatch):
    _identity(monkeypatch, tmp_path, "")

    async def scenario(pilot):
        await pilot.press("enter")
        await wait_mark(pilot, "series 1 v2")
        await pilot.press("R")
        await pilot.pause()
        return type(pilot.app.screen), [n.message for n in pilot.app._notifications]

    screen, toasts = drive(make_app(), scenario)
    assert screen is not ChoiceScreen and screen is not PromptScreen
    assert any("set git config user.name and user.email" in t for t in toasts)
