"""Several processes writing one store at once, on both backends: nothing lost, no duplicate,
no "database is locked" shown, and each reviewer's rows kept apart."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from reviewer.store.core import Store
from tests import synthetic_archive as synth

REPO = Path(__file__).resolve().parents[2]
WRITERS, ROUNDS = 4, 3


def test_concurrent_writers_lose_nothing(cli, any_db, tmp_path):
    shared = tmp_path / "shared.mbox"
    shared.write_bytes(synth.mbox(synth.series(0, patches=2)))
    assert cli("track", "--offline", "--db", str(any_db), shared).code == 0
    env = dict(os.environ, HOME=str(tmp_path), GIT_CONFIG_NOSYSTEM="1")
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.store_writer",
                str(any_db),
                str(w),
                "--rounds",
                str(ROUNDS),
            ],
            cwd=REPO,
            env=env,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )  # fmt: skip
        for w in range(1, WRITERS + 1)
    ]
    reports = []
    for p in procs:
        out, err = p.communicate(timeout=600)
        assert p.returncode == 0, err
        assert "locked" not in err and "Traceback" not in err, err
        reports.append(json.loads(out.strip().splitlines()[-1]))

    store = Store.open(any_db)
    shared_id = store.get_series(synth.cover_id(0)).id
    # every writer's own series exists once, set by hand as the writer left it
    own = [store.get_series(mid) for r in reports for mid in r["series"]]
    assert len({s.id for s in own}) == len(own) == WRITERS * ROUNDS
    assert len(store.series_ids()) == 1 + WRITERS * ROUNDS
    assert {s.state for s in own} == {"changes-requested"}
    # every reply landed on the shared series, its trailers derived once
    stored = store.message_ids(shared_id)
    assert all(mid in stored for r in reports for mid in r["replies"])
    assert len(stored) == 1 + 2 + WRITERS * ROUNDS
    reviewed = [t for p in store.load_series(shared_id).latest.patches for t in p.trailers]
    assert len(reviewed) == WRITERS * ROUNDS
    # each writer's own state and progress, apart from the others'
    mine = {r["reviewer"]: r["state"] for r in store.reviewer_states(shared_id)}
    assert mine == {r["writer"]: "reviewing" for r in reports}
    done = {(r["reviewer"], r["patch_message_id"]) for r in store.patch_reviews(shared_id)}
    assert done == {(r["writer"], mid) for r in reports for mid in r["done"]}
    assert {r["reviewer"] for r in store.team()} >= {r["writer"] for r in reports}
