"""The consolidated 附件1 and 附件2 of a city or region written out together (报送 page, ``consolidate``)."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Callable

from ..db.identity import refuse_protected_output
from ..desk import Desk
from ..domain.periods import Period
from ..errors import IpdeskError
from ..outputs import replace_output
from ..exchange.consolidate import consolidate
from .export import write_table


def write_consolidated(desk: Desk, period: str | Period, fmt: str, path: str | Path,
                       progress: Callable[..., None] | None = None) -> list[Path]:
    """附件1 to ``path`` and 附件2 beside it (…-附件2); ``json`` holds both in one file. Both are written under
    temporary names and moved into place together at the end: 取消 (raised by ``progress``) or a failure part
    way leaves neither, and never one without the other."""
    if fmt not in ("json", "pdf", "xlsx"):
        raise IpdeskError(f"不支持的输出格式：{fmt}（应为 pdf、xlsx 或 json）", f"unsupported format: {fmt}")
    report = progress or (lambda *_a: None)
    path = Path(path)
    targets = [path] if fmt == "json" else [path, path.with_name(f"{path.stem}-附件2{path.suffix}")]
    for target in targets:
        refuse_protected_output(target)
    report("正在汇总…")
    annex1, annex2 = consolidate(desk, period)
    path.parent.mkdir(parents=True, exist_ok=True)
    temps = [t.with_name(f".{t.name}.{os.getpid()}.part") for t in targets]
    try:
        if fmt == "json":
            temps[0].write_text(json.dumps({"annex1": annex1.to_json(), "annex2": annex2.to_json()},
                                           ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        else:
            report("正在输出附件1…")
            write_table(desk, annex1, fmt, temps[0], progress)
            report("正在输出附件2…")
            write_table(desk, annex2, fmt, temps[1], progress)
        report("正在保存…")  # the last moment 取消 is heard: from here both files get their names
        for temp, target in zip(temps, targets):
            replace_output(temp, target)
    finally:
        for temp in temps:
            try:
                temp.unlink()
            except FileNotFoundError:
                pass
    return targets
