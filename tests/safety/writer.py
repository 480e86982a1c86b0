"""A writer for the kill -9 test: a zygote that imports ipdesk once, then forks one writing child per round.

stdin:  ``run\t<db>\t<round>`` per round.  stdout: ``ready <pid>``, then for every write the child prints
``? <op> ...`` before it and ``! <op> ...`` once ``Desk`` returned (the write is acknowledged);
after the child dies the zygote prints ``reaped <pid> <status>``.
"""
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from ipdesk.db import backup as B  # noqa: E402
from ipdesk.desk import Desk  # noqa: E402


def say(line: str) -> None:
    os.write(1, (line + "\n").encode("utf-8"))  # one write per line: never half a line in the pipe


def child(db: str, rnd: int) -> None:
    rng = random.Random(rnd)
    desk = Desk.open(db)
    desk.user = "管理员"
    say(f"ready {os.getpid()}")
    mine: list[tuple[int, str]] = []
    for k in range(100000):
        roll = rng.random()
        title = f"r{rnd}-{k}"
        if roll < 0.6 or not mine:
            say(f"? ins {title}")
            ch = desk.records.save("work_items", {"date": "2026-03-05", "kind": "宣传活动", "title": title, "count_a": 1})
            mine.append((ch.record_id, title))
            say(f"! ins {title}")
        elif roll < 0.75:
            titles = [f"{title}-{j}" for j in range(5)]
            say("? many " + " ".join(titles))
            desk.records.save_many("work_items", [{"date": "2026-04-06", "kind": "宣传活动", "title": t, "count_a": 2}
                                          for t in titles], label="批量")
            say("! many " + " ".join(titles))
        elif roll < 0.9:
            rid, target = rng.choice(mine)
            say(f"? upd {target} u{k}")
            desk.records.save("work_items", {"remarks": f"u{k}"}, rid)
            say(f"! upd {target} u{k}")
        elif roll < 0.97:
            rid, target = mine.pop(rng.randrange(len(mine)))
            say(f"? del {target}")
            desk.records.delete("work_items", rid)
            say(f"! del {target}")
        else:
            say("? backup")
            path = B.backup_now(desk, "auto")
            say(f"! backup {path.name}")
    desk.close()


def main() -> None:
    for line in sys.stdin:
        _, db, rnd = line.rstrip("\n").split("\t")
        pid = os.fork()
        if pid == 0:
            try:
                child(db, int(rnd))
            finally:
                os._exit(0)
        _, status = os.waitpid(pid, 0)
        say(f"reaped {pid} {status}")


if __name__ == "__main__":
    main()
