"""Two programs on one file: both write safely through SQLite's locking (WAL, BEGIN IMMEDIATE, 5 s busy wait);
a writer blocked longer is told 数据库正被另一个程序使用. Restore, which needs the file alone, refuses."""
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from ipdesk.db import backup as B
from ipdesk.db.connection import integrity_problems

from tests.conftest import subprocess_env

WRITER = Path(__file__).with_name("concurrent_writer.py")
PHASE = 25  # concurrent_writer.PHASE
N = 300


def test_two_programs_write_concurrently_without_corruption(make_desk, tmp_path):
    desk = make_desk("两个 程序.db")
    db = desk.path
    desk.close()
    sync = tmp_path / "sync"
    sync.mkdir()
    procs, logs = [], []
    try:
        for tag, other in (("甲", "乙"), ("乙", "甲")):
            out, err = open(tmp_path / f"{tag}.out", "w+b"), open(tmp_path / f"{tag}.err", "w+b")
            logs.append((out, err))
            # stdin stays open as a lifeline: a writer exits when it closes, even if this test is killed
            procs.append(subprocess.Popen([sys.executable, str(WRITER), str(db), tag, other, str(N), str(sync)],
                                          stdin=subprocess.PIPE, stdout=out, stderr=err, env=subprocess_env()))
        deadline = time.monotonic() + 600  # ~5 s when idle; generous for a machine shared by several test runs
        for p in procs:
            p.wait(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        for p in procs:  # on a failure or timeout above: never leave a writer behind
            if p.poll() is None:
                p.kill()
            p.wait()
            p.stdin.close()
    outs = []
    for p, (out, err) in zip(procs, logs):
        out.seek(0), err.seek(0)
        outs.append(out.read().decode("utf-8").strip())
        assert p.returncode == 0, err.read().decode("utf-8")
        out.close(), err.close()
    assert integrity_problems(db) == []
    conn = sqlite3.connect(db)
    try:
        for tag in ("甲", "乙"):
            titles = {r[0] for r in conn.execute("SELECT title FROM work_items WHERE title LIKE ?", [f"{tag}-%"])}
            expected = {f"{tag}-{i}" for i in range(N) if i % 50 != 49} | {
                f"{tag}-{i}-{j}" for i in range(N) if i % 50 == 49 for j in range(3)}
            assert titles == expected
        order = [r[0][0] for r in conn.execute("SELECT title FROM work_items ORDER BY id")]
        switches = sum(a != b for a, b in zip(order, order[1:]))
        # the writers meet every PHASE writes, so both write in every phase: each phase has at least one switch
        assert switches >= N // PHASE, f"the two programs did not write at the same time ({switches} switches)"
        audited = conn.execute("SELECT count(*) FROM audit_log WHERE table_name = 'work_items'").fetchone()[0]
        assert audited == 2 * (N - N // 50 + 3 * (N // 50))
        op_ids = conn.execute("SELECT count(DISTINCT op_id), count(*) FROM audit_log WHERE table_name = 'work_items' "
                              "AND action = 'insert' GROUP BY op_id HAVING count(*) > 3").fetchall()
        assert op_ids == []  # two programs never shared an operation id
    finally:
        conn.close()
    assert all(B.verify(b.path) == [] for b in B.list_backups(db.parent / "backups"))
    print(f"\n{' '.join(outs)} switches={switches}")
