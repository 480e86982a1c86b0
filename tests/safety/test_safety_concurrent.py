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
N = 300


def test_two_programs_write_concurrently_without_corruption(make_desk):
    desk = make_desk("两个 程序.db")
    db = desk.path
    desk.close()
    start_at = time.time() + 3  # both programs are imported and open before the first write
    procs = [subprocess.Popen([sys.executable, str(WRITER), str(db), tag, str(N), str(start_at)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=subprocess_env())
             for tag in ("甲", "乙")]
    outs = [p.communicate(timeout=300) for p in procs]
    for p, (out, err) in zip(procs, outs):
        assert p.returncode == 0, err.decode("utf-8")
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
        assert switches >= 10, "the two programs did not actually write at the same time"
        audited = conn.execute("SELECT count(*) FROM audit_log WHERE table_name = 'work_items'").fetchone()[0]
        assert audited == 2 * (N - N // 50 + 3 * (N // 50))
        op_ids = conn.execute("SELECT count(DISTINCT op_id), count(*) FROM audit_log WHERE table_name = 'work_items' "
                              "AND action = 'insert' GROUP BY op_id HAVING count(*) > 3").fetchall()
        assert op_ids == []  # two programs never shared an operation id
    finally:
        conn.close()
    assert all(B.verify(b.path) == [] for b in B.list_backups(db.parent / "backups"))
    print("\n" + " ".join(o[0].decode("utf-8").strip() for o in outs))
