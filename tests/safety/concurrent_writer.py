"""One of two programs writing to the same file at once (test_safety_concurrent.py).

argv: ``<db> <tag> <other tag> <n> <sync dir>``. The two programs meet at a barrier every ``PHASE`` writes
(a progress file each in ``<sync dir>``): within a phase they race freely for the file, but neither can run
through all its writes while the other is still starting up or descheduled on a loaded machine. They exit when
their stdin closes (the test ended or died), so no writer outlives it.
"""
import os
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from ipdesk.db import backup as B  # noqa: E402
from ipdesk.desk import Desk  # noqa: E402
from ipdesk.errors import IpdeskError  # noqa: E402

PHASE = 25
WAIT_FOR_OTHER_S = 120  # generous: the other program may be importing on a machine busy with other tests
MAX_BUSY_IN_A_ROW = 12  # each refusal already waited SQLite's 5 s busy timeout: ~1 min of being told "in use"


def exit_with_parent() -> None:
    while os.read(0, 1024):  # raw fd: a daemon thread must not hold the buffered stdin's lock at shutdown
        pass
    # EOF: the test closed our stdin or died
    os._exit(70)


def publish(sync: Path, tag: str, phase: int) -> None:
    tmp = sync / f".{tag}.tmp"
    tmp.write_text(str(phase))
    os.replace(tmp, sync / tag)  # the other program never reads half a number


def wait_for(sync: Path, other: str, phase: int) -> None:
    deadline = time.monotonic() + WAIT_FOR_OTHER_S
    while True:
        try:
            if int((sync / other).read_text()) >= phase:
                return
        except (FileNotFoundError, ValueError):
            pass
        if time.monotonic() > deadline:
            sys.exit(f"program {other} did not reach phase {phase} within {WAIT_FOR_OTHER_S} s")
        time.sleep(0.002)


def write(desk: Desk, tag: str, i: int) -> None:
    if i % 50 == 49:
        desk.records.save_many("work_items", [{"date": "2026-05-06", "kind": "宣传活动", "title": f"{tag}-{i}-{j}", "count_a": 1}
                                      for j in range(3)], label="批量")
    else:
        desk.records.save("work_items", {"date": "2026-05-06", "kind": "宣传活动", "title": f"{tag}-{i}", "count_a": 1})


def main(db: str, tag: str, other: str, n: int, sync: Path) -> None:
    threading.Thread(target=exit_with_parent, daemon=True).start()
    desk = Desk.open(db)
    desk.user = "管理员"
    busy = 0
    for i in range(n):
        if i % PHASE == 0:
            publish(sync, tag, i // PHASE)
            wait_for(sync, other, i // PHASE)
        in_a_row = 0
        while True:
            try:
                write(desk, tag, i)
                break
            except IpdeskError as exc:
                if "另一个程序" not in exc.zh or in_a_row >= MAX_BUSY_IN_A_ROW:
                    raise
                busy += 1  # told 数据库正被另一个程序使用: the user would try again
                in_a_row += 1
        if i % 100 == 99:
            B.backup_now(desk, "auto")
    publish(sync, tag, n // PHASE + 1)
    desk.close(backup=True)
    print(f"done {tag} busy={busy}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), Path(sys.argv[5]))
