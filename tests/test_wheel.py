"""The project installed from its wheel (not editable): the shipped data files come with it.

A wheel without resources/ installs a program whose calendar is empty, so every 办案时限 is computed on
weekends only. The test builds the wheel, installs it into a fresh virtual environment (the dependencies come
from this one) and works out a lead's time limit across 国庆节 2026 from a folder outside the checkout.
"""
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_installed_wheel_carries_the_calendar_and_divisions(tmp_path):
    wheels = tmp_path / "wheels"
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", str(REPO), "-w", str(wheels)],
                           capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    (wheel,) = wheels.glob("ipdesk-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    # pyproject lists the packages by hand (discovery cannot see the resources mapping): a new one must be added.
    for module in (REPO / "ipdesk").rglob("*.py"):
        assert module.relative_to(REPO).as_posix() in names
    for shipped in (REPO / "resources").rglob("*"):
        if shipped.is_file():
            assert "ipdesk/resources/" + shipped.relative_to(REPO / "resources").as_posix() in names

    venv = tmp_path / "环境 venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", str(venv)], check=True)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    # The venv's python runs this environment's pip, which installs into the venv (sys.prefix).
    installed = subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
                               capture_output=True, text=True, env=env, timeout=120)
    assert installed.returncode == 0, installed.stderr

    work = tmp_path / "工作 目录"  # outside the checkout: nothing can come from its resources/ folder
    work.mkdir()
    (work / "rec.json").write_text(json.dumps({"cases": [
        {"name": "某商店销售侵犯注册商标专用权商品案", "category": "商标侵权", "lead_date": "2026-09-28"}]},
        ensure_ascii=False), encoding="utf-8")

    def run(*args):
        done = subprocess.run([str(python), "-m", "ipdesk", "--db", str(work / "东胜 区.db"), *args], cwd=work,
                              capture_output=True, text=True, encoding="utf-8", env=env, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout

    where = subprocess.run([str(python), "-c", "import ipdesk; print(ipdesk.__file__)"], cwd=work,
                           capture_output=True, text=True, env=env, check=True).stdout
    assert Path(where.strip()).is_relative_to(venv)
    run("init", "--unit-code", "150602", "--unit-name", "东胜区市场监督管理局", "--parent-code", "150600")
    run("load", str(work / "rec.json"))
    (limit,) = json.loads(run("deadlines", "--all", "--format", "json"))
    # 15 working days from 28 September: 10-19 on weekends only; 国庆节 (1–7 October, 10 October worked) → 10-23.
    assert (limit["due"], limit["estimated"]) == ("2026-10-23", False)
    assert "2026-10-01\t放假\t国庆节" in run("holidays", "list", "--year", "2026")
