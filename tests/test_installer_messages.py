"""installer/ChineseSimplified.isl against Inno Setup 6.4's Default.isl: same keys, same placeholders, same accelerators.

Inno's own Default.isl is not kept in the repository; its keys and each message's signature (placeholders,
accelerator letter, full stop) are, in installer/inno_default_messages.txt. Where Default.isl is at hand
(IPDESK_INNO_DIR = the folder holding it, e.g. node_modules/innosetup/bin, as .ci/windows_installer sets),
the signatures are derived from it and the checked-in list must equal them, so it cannot go stale.

    python tests/test_installer_messages.py path/to/Default.isl > installer/inno_default_messages.txt
"""
from __future__ import annotations

import os
import re
import sys
from collections import Counter
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CHINESE = REPO / "installer" / "ChineseSimplified.isl"
KEY_LIST = REPO / "installer" / "inno_default_messages.txt"
TRANSLATED_SECTIONS = ("Messages", "CustomMessages")
# Inno Setup's placeholders: %1..%9, %n (line break), and the wizard's [name], [name/ver], [gb], [mb].
PLACEHOLDER = re.compile(r"%[1-9n]|\[(?:name/ver|name|gb|mb)\]")
# "&N" marks an accelerator; "&&" is a literal ampersand.
ACCELERATOR = re.compile(r"&(&|.)")
CJK = re.compile(r"[\u4e00-\u9fff]")
# Messages that are only placeholders and units in every language.
NO_WORDS = {"ComponentSize1", "ComponentSize2", "UninstallDisplayNameMark", "UninstallDisplayNameMarks"}


def parse_isl(path: Path) -> dict[str, dict[str, str]]:
    """Sections of an .isl file: {section: {key: value}} (Inno reads UTF-8 with a BOM as Unicode)."""
    sections: dict[str, dict[str, str]] = {}
    current = None
    for raw in path.read_text(encoding="utf-8-sig").splitlines():
        line = raw.strip()
        if not line or line.startswith(";"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
            continue
        key, sep, value = raw.partition("=")
        assert sep and current is not None, f"{path.name}: not a key=value line: {raw!r}"
        assert key.strip() not in current, f"{path.name}: {key.strip()} given twice"
        current[key.strip()] = value
    return sections


def accelerators(value: str) -> list[str]:
    return [m.group(1).upper() for m in ACCELERATOR.finditer(value) if m.group(1) != "&"]


def signature(value: str) -> tuple[str, str, str]:
    """(sorted placeholders, accelerator letters, ending) of one message; '-' where there are none."""
    ending = "empty" if not value else "stop" if value.endswith(".") else "-"
    return (" ".join(sorted(PLACEHOLDER.findall(value))) or "-", "".join(accelerators(value)) or "-", ending)


def signatures_of_default(path: Path) -> dict[tuple[str, str], tuple[str, str, str]]:
    sections = parse_isl(path)
    return {(section, key): signature(value)
            for section in TRANSLATED_SECTIONS for key, value in sections[section].items()}


def read_key_list() -> dict[tuple[str, str], tuple[str, str, str]]:
    out = {}
    for line in KEY_LIST.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            section, key, placeholders, accel, ending = line.split("\t")
            out[(section, key)] = (placeholders, accel, ending)
    return out


def format_key_list(sigs: dict[tuple[str, str], tuple[str, str, str]]) -> str:
    lines = ["# Inno Setup 6.4 Default.isl: section, key, placeholders, accelerator letters, ending (empty/stop/-).",
             "# Written by: python tests/test_installer_messages.py path/to/Default.isl"]
    lines += ["\t".join((*k, *v)) for k, v in sigs.items()]
    return "\n".join(lines) + "\n"


def default_isl() -> Path | None:
    folder = os.environ.get("IPDESK_INNO_DIR")
    path = Path(folder) / "Default.isl" if folder else None
    return path if path and path.is_file() else None


@pytest.fixture(scope="module")
def reference():
    path = default_isl()
    return signatures_of_default(path) if path else read_key_list()


@pytest.fixture(scope="module")
def chinese():
    return parse_isl(CHINESE)


def test_key_list_matches_default_isl_when_present():
    path = default_isl()
    if path is None:
        pytest.skip("IPDESK_INNO_DIR does not point at Inno Setup's Default.isl (.ci/windows_installer sets it)")
    assert read_key_list() == signatures_of_default(path), (
        "installer/inno_default_messages.txt is stale: rewrite it from Default.isl (module docstring)")


def test_file_is_utf8_with_bom_and_crlf():
    data = CHINESE.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    data.decode("utf-8")
    assert data.count(b"\n") == data.count(b"\r\n")


def test_language_options(chinese):
    opts = chinese["LangOptions"]
    name = re.sub(r"<([0-9A-Fa-f]{4})>", lambda m: chr(int(m.group(1), 16)), opts["LanguageName"])
    assert name == "简体中文"
    assert opts["LanguageID"] == "$0804"
    assert opts["LanguageCodePage"] == "936"


def test_every_message_and_no_other(chinese, reference):
    for section in TRANSLATED_SECTIONS:
        expected = {key for (sec, key) in reference if sec == section}
        got = set(chinese[section])
        assert got == expected, f"[{section}] missing {sorted(expected - got)}, unknown {sorted(got - expected)}"


def test_placeholders_accelerators_and_full_stops(chinese, reference):
    problems = []
    for (section, key), (placeholders, accel, ending) in reference.items():
        value = chinese[section].get(key)
        if value is None:
            continue  # reported by test_every_message_and_no_other
        mine = signature(value)
        if Counter(mine[0].split()) != Counter(placeholders.split()):
            problems.append(f"{key}: placeholders {mine[0]!r}, Default.isl has {placeholders!r}")
        if mine[1] != accel:
            problems.append(f"{key}: accelerator {mine[1]!r}, Default.isl has {accel!r}")
        if ending == "empty" and value:
            problems.append(f"{key}: empty in Default.isl")
        if ending != "empty" and not value:
            problems.append(f"{key}: not translated")
        if ending == "-" and value.endswith(("。", ".")):
            problems.append(f"{key}: ends with a full stop, but Setup appends its own")
    assert not problems, "\n".join(problems)


def test_messages_are_chinese(chinese):
    english = [key for section in TRANSLATED_SECTIONS for key, value in chinese[section].items()
               if value and key not in NO_WORDS and not CJK.search(value)]
    assert not english, f"untranslated: {english}"


def test_wizard_buttons_use_windows_wording(chinese):
    m = chinese["Messages"]
    assert m["ButtonNext"] == "下一步(&N) >"
    assert m["ButtonBack"] == "< 上一步(&B)"
    assert m["ButtonCancel"] == "取消"
    assert m["ButtonFinish"] == "完成(&F)"
    assert m["ButtonWizardBrowse"] == "浏览(&R)..."
    assert "安装向导" in m["WelcomeLabel1"]


def test_script_uses_the_shipped_file():
    iss = (REPO / "installer" / "ipdesk.iss").read_text(encoding="utf-8")
    assert '#define ChineseIsl AddBackslash(SourcePath) + "ChineseSimplified.isl"' in iss


if __name__ == "__main__":
    sys.stdout.write(format_key_list(signatures_of_default(Path(sys.argv[1]))))
