"""The patch screen's attestation line: b4's verdict (DKIM, patatt) on each patch mail.

What the store knows shows at once (a stored verdict, else "not checked (offline)" or "not
checked yet"); online, the patches not checked yet are checked by b4 in a worker thread (DNS
look-ups), and the results are stored on the UI thread, which owns the store, so the next look
(and the next session) does not check again.
"""

from __future__ import annotations

from functools import partial

from rich.text import Text

from tui import safe

STYLES = {"pass": "green", "fail": "bold red", "none": "dim", "not-checked": "yellow"}


class PatchAttestation:
    def load_attestation(self) -> None:
        from reviewer.results.attestation import check_all, pending, stored_attestations

        key = (self.series.id, self.revision.message_id)
        results = self.rapp.results.attestations
        if key in results:
            return
        store, offline = self.rapp.store, self.rapp.offline
        results[key] = stored_attestations(store, self.revision, offline)
        if offline:
            return
        _known, todo = pending(store, self.revision)
        if not todo:
            return
        self._attest_todo = todo
        self._attest_worker = self.run_worker(
            partial(check_all, todo, False), thread=True, group="attest", exit_on_error=False
        )

    def attestation_loaded(self, event) -> bool:
        from reviewer.results.attestation import Attestation, Verdict, save

        worker = event.worker
        if worker is not getattr(self, "_attest_worker", None) or not worker.is_finished:
            return False
        todo = self._attest_todo
        checked = worker.result
        if checked is None:  # the check itself failed: say so, store nothing
            why = f"check failed: {worker.error}" if worker.error else "check cancelled"
            checked = {mid: Attestation(Verdict.NOT_CHECKED, why) for mid in todo}
        else:
            save(self.rapp.store, todo, checked)
        self.rapp.results.attestations[(self.series.id, self.revision.message_id)].update(checked)
        self.refresh_info()
        self.ready(f"attestation {len(checked)}")
        return True

    def attestation_text(self, patch) -> Text:
        """The "attestation: DKIM/kernel.org signed" line under the title."""
        results = self.rapp.results.attestations.get((self.series.id, self.revision.message_id))
        result = results.get(patch.message_id) if results else None
        text = Text("attestation: ", style="dim")
        if result is None:
            return text + Text("not checked yet", style=STYLES["not-checked"])
        return text + safe.line(result.line(), STYLES.get(result.verdict.value, ""))
