"""One of two programs writing to the same file at once (test_safety_concurrent.py)."""
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from ipdesk.db import backup as B  # noqa: E402
from ipdesk.desk import Desk  # noqa: E402
from ipdesk.errors import IpdeskError  # noqa: E402


def main(db: str, tag: str, n: int) -> None:
    desk = Desk.open(db)
    desk.user = "管理员"
    busy = 0
    deadline = float(sys.argv[4])
    while time.time() < deadline:  # both start writing at the same moment
        time.sleep(0.005)
    for i in range(n):
        while True:
            try:
                if i % 50 == 49:
                    desk.save_many("work_items", [{"date": "2026-05-06", "kind": "宣传活动", "title": f"{tag}-{i}-{j}", "count_a": 1}
                                                  for j in range(3)], label="批量")
                else:
                    desk.save("work_items", {"date": "2026-05-06", "kind": "宣传活动", "title": f"{tag}-{i}", "count_a": 1})
                break
            except IpdeskError as exc:
                if "另一个程序" not in exc.zh:
                    raise
                busy += 1  # told 数据库正被另一个程序使用: the user would try again
        if i % 100 == 99:
            B.backup_now(desk, "auto")
    desk.close(backup=True)
    print(f"done {tag} busy={busy}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
