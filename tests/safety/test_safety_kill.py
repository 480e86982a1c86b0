"""kill -9 of a writing process at 200 random moments: the file stays sound and no acknowledged write is lost."""
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from ipdesk.db import backup as B
from ipdesk.db.connection import integrity_problems
from ipdesk.db.restore import restore

from tests.conftest import subprocess_env

ROUNDS = 200
WRITER = Path(__file__).with_name("writer.py")


def read_line(proc) -> str:
    line = proc.stdout.readline()
    assert line, "writer zygote died"
    return line.decode("utf-8").rstrip("\n")


def test_kill_9_at_200_random_moments(make_desk, tmp_path):
    desk = make_desk("杀 进程.db")
    db = desk.path
    desk.close()
    rng = random.Random(20261122)
    zygote = subprocess.Popen([sys.executable, str(WRITER)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              env=subprocess_env())
    stats = {"kills": 0, "acked": 0, "in_flight_committed": 0, "killed_before_ready": 0}
    started = time.perf_counter()
    pid = None  # the writing child of the current round, until reaped
    try:
        for rnd in range(ROUNDS):
            zygote.stdin.write(f"run\t{db}\t{rnd}\n".encode())
            zygote.stdin.flush()
            first = read_line(zygote)
            assert first.startswith("ready "), first
            pid = int(first.split()[1])
            lines = []
            if rnd == 0:  # however slow the machine, at least one backup completes (checked after the rounds)
                while not (line := read_line(zygote)).startswith("! backup"):
                    lines.append(line)
                lines.append(line)
            time.sleep(rng.uniform(0, 0.25))
            os.kill(pid, signal.SIGKILL)
            stats["kills"] += 1
            while not (line := read_line(zygote)).startswith("reaped "):
                lines.append(line)
            pid = None
            status = int(line.split()[2])
            assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, f"round {rnd}: {lines[-3:]}"
            check_round(db, rnd, lines, stats)
    finally:  # after a failed round too: no writer or zygote outlives the test
        if pid is not None:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        zygote.stdin.close()
        zygote.stdout.close()  # a zygote blocked writing to a full pipe gets EPIPE instead of hanging
        try:
            zygote.wait(timeout=30)
        except subprocess.TimeoutExpired:
            zygote.kill()
            zygote.wait()
    elapsed = time.perf_counter() - started
    # every file that carries a backup name is a sound backup; a killed backup leaves only a .tmp-* file
    backups = B.list_backups(db.parent / "backups")
    assert backups and all(B.verify(b.path) == [] for b in backups)
    restore(db)  # and the newest one restores
    assert integrity_problems(db) == []
    print(f"\nkill -9: {stats['kills']} kills survived in {elapsed:.0f} s, {stats['acked']} acknowledged writes all "
          f"present, {stats['in_flight_committed']} in-flight writes committed before the kill, "
          f"{len(backups)} backups verified")
    assert stats["kills"] == ROUNDS


def check_round(db: Path, rnd: int, lines: list[str], stats: dict) -> None:
    problems = integrity_problems(db)
    assert problems == [], f"round {rnd}: {problems}"
    conn = sqlite3.connect(db)
    try:
        rows = dict(conn.execute("SELECT title, remarks FROM work_items WHERE title LIKE ?", [f"r{rnd}-%"]))
    finally:
        conn.close()
    present_expected, absent_expected, remarks = set(), set(), {}
    pending = None
    for line in lines:
        mark, op, *args = line.split()
        if mark == "?":
            pending = (op, args)
            continue
        pending = None
        stats["acked"] += 1
        if op == "ins":
            present_expected.add(args[0])
        elif op == "many":
            present_expected.update(args)
        elif op == "upd":
            remarks[args[0]] = {args[1]}
        elif op == "del":
            present_expected.discard(args[0])
            absent_expected.add(args[0])
    if pending:  # the write in flight at the kill: either outcome is fine, but all or nothing
        op, args = pending
        if op == "del":
            present_expected.discard(args[0])
            stats["in_flight_committed"] += args[0] not in rows
        elif op == "upd":
            remarks[args[0]] = remarks.get(args[0], {None}) | {args[1]}
            stats["in_flight_committed"] += rows.get(args[0]) == args[1]
        elif op in ("ins", "many"):
            got = [t in rows for t in args]
            assert all(got) or not any(got), f"round {rnd}: half a batch {args}"
            stats["in_flight_committed"] += all(got)
    missing = present_expected - set(rows)
    assert not missing, f"round {rnd}: acknowledged records lost: {sorted(missing)[:5]}"
    assert not (absent_expected & set(rows)), f"round {rnd}: deleted records came back"
    for title, allowed in remarks.items():
        if title in rows:
            assert rows[title] in allowed, f"round {rnd}: {title} has {rows[title]}, expected {allowed}: {lines[-6:]}"
