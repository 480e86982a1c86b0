"""``ipdesk --self-test`` (the check an installer build runs) and its step runner."""
import io
import re
import subprocess
import sys

from tests.conftest import subprocess_env


def test_self_test_passes_and_prints_every_step(tmp_path):
    result = subprocess.run([sys.executable, "-m", "ipdesk", "--self-test"], capture_output=True, text=True,
                            encoding="utf-8", env=subprocess_env(TMPDIR=str(tmp_path)), timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    for step in ("打开临时数据库", "建立单位", "写入记录", "生成附件1", "生成附件2", "导出附件2 PDF", "导出附件1 Excel",
                 "读回 Excel", "创建 Qt 窗口", "QtPdf 打开并渲染 PDF", "关闭并清理"):
        assert re.search(rf"^\[通过\] {re.escape(step)}", out, re.M), (step, out)
    assert "[失败]" not in out and out.rstrip().splitlines()[-1].startswith("自检通过")
    # The temporary folder is like a Chinese Windows user's: Chinese characters and spaces.
    folder = re.search(r"打开临时数据库（\d+ ms）：(.+)$", out, re.M).group(1)
    assert re.search(r"[\u4e00-\u9fff]", folder) and " " in folder and folder.startswith(str(tmp_path))
    assert list(tmp_path.iterdir()) == []  # cleaned up


def test_runner_stops_at_the_first_failure_and_names_it():
    from ipdesk.selftest import _Run

    out, ran = io.StringIO(), []
    run = _Run(out)
    assert run.step("第一步", lambda: ran.append(1) or "好")
    assert not run.step("第二步", lambda: 1 / 0)
    assert not run.step("第三步", lambda: ran.append(3))
    assert run.failed == "第二步" and ran == [1]
    text = out.getvalue()
    assert "[通过] 第一步" in text and "[失败] 第二步: ZeroDivisionError" in text and "第三步" not in text


def test_self_test_exit_status_names_the_failing_step(tmp_path, monkeypatch, capsys):
    # The temporary folder is a file: the very first step fails, the status is non-zero and names it.
    import tempfile

    from ipdesk.selftest import run_self_test

    blocker = tmp_path / "不是 文件夹"
    blocker.write_text("x")
    monkeypatch.setattr(tempfile, "tempdir", str(blocker))
    assert run_self_test() == 1
    out = capsys.readouterr().out
    assert "[失败] 打开临时数据库" in out and out.rstrip().splitlines()[-1] == "自检失败：打开临时数据库"
