"""Build the one-folder bundle (dist/ipdesk/) and run its ``--self-test`` offscreen.

    python installer/build.py                 # from a clean clone, any OS: bundle + self-test
    python installer/build.py --installer     # Windows: then Inno Setup → dist/ipdesk-<version>-setup.exe
    python installer/build.py --top 20        # also list the 20 largest files (to tighten the excludes)

Prints the build time and the bundle size; exits non-zero when the build or the self-test fails.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "installer"))
import bundle_config as cfg  # noqa: E402

DIST = REPO / "dist"
BUNDLE = DIST / "ipdesk"
GENERATED = REPO / "build" / "installer"


def folder_size(path: Path) -> tuple[int, int]:
    files = [p for p in path.rglob("*") if p.is_file() and not p.is_symlink()]
    return sum(p.stat().st_size for p in files), len(files)


def build_bundle() -> float:
    started = time.perf_counter()
    cmd = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
           "--distpath", str(DIST), "--workpath", str(REPO / "build" / "pyinstaller"),
           str(REPO / "installer" / "ipdesk.spec")]
    print("$ " + " ".join(cmd), flush=True)
    subprocess.run(cmd, cwd=REPO, check=True)
    return time.perf_counter() - started


def executable() -> Path:
    return BUNDLE / ("ipdesk.exe" if sys.platform == "win32" else "ipdesk")


def self_test() -> tuple[int, float]:
    """Run the bundled program the way a user's PC would: no PYTHONPATH, not from the source tree."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONIOENCODING"] = "utf-8"
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="ipdesk 自检 运行目录 ") as cwd:
        rc = subprocess.run([str(executable()), "--self-test"], cwd=cwd, env=env).returncode
    return rc, time.perf_counter() - started


def top_files(n: int) -> None:
    files = sorted((p for p in BUNDLE.rglob("*") if p.is_file()), key=lambda p: p.stat().st_size, reverse=True)
    for p in files[:n]:
        print(f"  {p.stat().st_size / 1e6:7.2f} MB  {p.relative_to(BUNDLE)}")


def inno_setup(version: str) -> Path:
    iscc = shutil.which("iscc") or next((str(p) for p in (
        Path(os.environ.get("ProgramFiles(x86)", r"C:\Program Files (x86)")) / "Inno Setup 6" / "ISCC.exe",
        Path(os.environ.get("LOCALAPPDATA", "")) / "Programs" / "Inno Setup 6" / "ISCC.exe") if p.exists()), None)
    if not iscc:
        raise SystemExit("Inno Setup 6 (ISCC.exe) not found: install it from https://jrsoftware.org/isdl.php")
    subprocess.run([iscc, str(REPO / "installer" / "ipdesk.iss")], cwd=REPO, check=True)
    return DIST / f"ipdesk-{version}-setup.exe"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build dist/ipdesk/ and self-test it.")
    parser.add_argument("--no-build", action="store_true", help="only self-test the existing bundle")
    parser.add_argument("--installer", action="store_true", help="then build the Windows installer (Inno Setup)")
    parser.add_argument("--top", type=int, default=0, help="list the N largest files in the bundle")
    args = parser.parse_args(argv)

    version = cfg.project_version(REPO)
    GENERATED.mkdir(parents=True, exist_ok=True)
    cfg.write_iss_defines(version, GENERATED / "version.iss")
    build_s = 0.0
    if not args.no_build:
        build_s = build_bundle()
    size, count = folder_size(BUNDLE)
    if args.top:
        top_files(args.top)
    rc, test_s = self_test()
    print(f"ipdesk {version}: build {build_s:.1f} s, bundle {size / 1e6:.1f} MB in {count} files "
          f"({BUNDLE.relative_to(REPO)}), self-test {'passed' if rc == 0 else f'FAILED (exit {rc})'} "
          f"in {test_s:.1f} s", flush=True)
    if rc != 0:
        return 1
    if args.installer:
        setup = inno_setup(version)
        print(f"installer: {setup} ({setup.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
