"""The submission package ``.ipdx``: a zip with a manifest, the two tables as JSON, the checks and
explanations, and the Excel/PDF of both tables for people.

Writing: only from an approved month; the bytes sent are stored in ``submissions`` and
every later export writes those same bytes (re-send). Reading: the file is untrusted —
:func:`read_package` verifies size, member names, zip bomb ratios, format, version and
every SHA-256 before anything is parsed, and raises :class:`PackageError` with a reason.
"""
from __future__ import annotations

import hashlib
import io
import json
import re
import tempfile
import uuid
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from ..db import audit
from ..db import submissions as subs_db
from ..desk import Desk
from ..domain.identifiers import mask_ids_in_text, masked_for_upward
from ..domain.periods import Period
from ..errors import IpdeskError, too_large
from ..stats.annex1 import Annex1Table
from ..stats.annex2 import Annex2Table
from . import approval
from .tables import PackageError, annex1_from_json, annex2_from_json
from ..catalog import get_catalog
from ..reports.export import write_table
from ..stats import checks

FORMAT_NAME = "ipdesk-package"
FORMAT_VERSION = 1
SUFFIX = ".ipdx"
MANIFEST = "manifest.json"
JSON_MEMBERS = ("annex1.json", "annex2.json", "checks.json")
HUMAN_MEMBERS = ("annex1.xlsx", "annex1.pdf", "annex2.xlsx", "annex2.pdf")
ALLOWED_MEMBERS = frozenset((MANIFEST, *JSON_MEMBERS, *HUMAN_MEMBERS))

MAX_PACKAGE_BYTES = 30 * 1024 * 1024      # a month's package is well under 1 MB
MAX_MEMBER_BYTES = 20 * 1024 * 1024       # uncompressed, per member
MAX_TOTAL_BYTES = 60 * 1024 * 1024        # uncompressed, all members
# A PDF's and a workbook's contents are compressed inside already (deflating them again saves ~4 %): stored as
# they are, a receiver reads a package's members in 0.4 ms instead of 1.4 (1,236 packages in a region's year).
COMPRESSED_INSIDE = (".pdf", ".xlsx")
MAX_RATIO = 200                           # uncompressed / compressed; JSON compresses ~10×
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def app_version() -> str:
    try:
        from importlib.metadata import version

        return version("ipdesk")
    except Exception:  # noqa: BLE001 - running from a source tree
        return "0.1.0"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _dump(data) -> bytes:
    """A JSON member as written: compact (people read the PDF and xlsx members; 附件1 is 75 KB instead of 100 and
    a receiver stores it as it came)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def mask_annex2_json(data: dict) -> dict:
    """Hide 身份证号 of individual parties, in their column and wherever one was typed into a text (当事人,
    备注 …); 统一社会信用代码 of companies stay as they are."""
    label = next(c.label for c in get_catalog(data.get("catalog_version")).annex2_columns if c.id == "party_id_no")
    rows = []
    for row in data.get("rows", []):
        masked = {key: mask_ids_in_text(value) if isinstance(value, str) else value for key, value in row.items()}
        masked[label] = masked_for_upward(row.get(label) or "", None)
        rows.append(masked)
    return {**data, "rows": rows}


def _human_members(desk: Desk, annex1: Annex1Table, annex2: Annex2Table) -> dict[str, bytes]:
    """Excel and PDF of both tables."""
    out = {}
    with tempfile.TemporaryDirectory(prefix="ipdesk-pkg-") as tmp:
        for name, table in (("annex1", annex1), ("annex2", annex2)):
            for fmt in ("xlsx", "pdf"):
                path = Path(tmp) / f"{name}.{fmt}"
                write_table(desk, table, fmt, path)
                out[path.name] = path.read_bytes()
    return out


def build_package(desk: Desk, submission: dict, *, mask: bool, correction_of: str | None) -> tuple[bytes, dict]:
    """The package bytes and manifest for a stored submission."""
    annex1_json, annex2_json = approval.frozen_json(desk, submission["id"])
    if mask:
        annex2_json = mask_annex2_json(annex2_json)
    checks_json = {"findings": json.loads(submission["checks_json"] or "[]"),
                   "explanations": json.loads(submission["explanations_json"] or "{}")}
    members = {"annex1.json": _dump(annex1_json), "annex2.json": _dump(annex2_json),
               "checks.json": _dump(checks_json)}
    members.update(_human_members(desk, annex1_from_json(annex1_json), annex2_from_json(annex2_json)))
    unit = desk.unit
    p = Period.parse(submission["period"])
    manifest = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "package_uuid": str(uuid.uuid4()),
        "unit": {"code": unit["code"], "name": unit["name"], "parent_code": unit["parent_code"]},
        "period": p.code,
        "period_label": p.label,
        "catalog_version": submission["catalog_version"],
        "revision": submission["revision"],
        "correction_of": correction_of,
        "approved_by": submission["approved_by"],
        "approved_at": submission["approved_at"],
        "created_at": approval.now_text(desk),
        "app_version": app_version(),
        "personal_ids_masked": bool(mask),
        "counts": {"annex1_cells": len(annex1_json["cells"]), "annex2_rows": len(annex2_json["rows"]),
                   "findings": len(checks_json["findings"])},
        "members": {name: {"sha256": sha256(data), "size": len(data)} for name, data in members.items()},
    }
    manifest[MANIFEST_DIGEST] = manifest_digest(manifest)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(MANIFEST, _dump(manifest))
        for name, data in members.items():
            zf.writestr(name, data, compress_type=zipfile.ZIP_STORED if name.endswith(COMPRESSED_INSIDE)
                        else zipfile.ZIP_DEFLATED)
    return buf.getvalue(), manifest


def export_package(desk: Desk, period: str | Period, out: str | Path, *, mask: bool = True) -> dict:
    """Write the approved month's package to ``out``; the first export fixes the bytes, later ones re-send them.

    Returns the manifest.
    """
    p = approval.month_period(period)
    sub = approval.active_submission(desk, p)
    if sub is None:
        raise IpdeskError(f"{p.label}尚未审核（或已发起更正未重新审核），不能导出报送包",
                          f"{p.code} is not approved: no package can be exported")
    if sub.get("stale_reason"):
        raise IpdeskError(f"{p.label}已审核的汇总与现在的数字不符（{sub['stale_reason']}），请先发起更正、重新审核后再报送",
                          f"{p.code}: the approved consolidation is stale; reopen and approve again")
    if sub["package_uuid"]:
        if bool(sub["package_masked"]) != bool(mask):
            raise IpdeskError(
                f"{p.label}的报送包已于{sub['exported_at']}生成（身份证号{'已' if sub['package_masked'] else '未'}隐藏），"
                "重新发送只能发送同一个包；如需更改请发起更正", "package already produced with the other masking choice")
        blob = subs_db.package_blob(desk.db, sub["id"])
        _write_atomic(Path(out), blob)
        with audit.operation(desk.db, desk.user, f"重新发送报送包 {p.label}") as op:
            op.log("resend", "submissions", sub["id"], None, {"package_uuid": sub["package_uuid"], "path": str(out)})
        return json.loads(zipfile.ZipFile(io.BytesIO(blob)).read(MANIFEST))
    earlier = subs_db.earlier_package_uuid(desk.db, desk.unit["code"], p.code, sub["revision"])
    blob, manifest = build_package(desk, sub, mask=mask, correction_of=earlier)
    digest = sha256(blob)
    with audit.operation(desk.db, desk.user, f"导出报送包 {p.label}") as op:
        subs_db.store_package(desk.db, sub["id"], uuid=manifest["package_uuid"], sha256=digest,
                              exported_at=manifest["created_at"], blob=blob, masked=mask)
        op.log("export", "submissions", sub["id"], None,
               {"package_uuid": manifest["package_uuid"], "sha256": digest, "path": str(out),
                "correction_of": manifest["correction_of"]})
        _write_atomic(Path(out), blob)
    return manifest


def _write_atomic(path: Path, data: bytes) -> None:
    from ..db.identity import write_replacing

    write_replacing(path, lambda tmp: tmp.write_bytes(data))


# ---- reading (untrusted input) ----------------------------------------------------------------
@dataclass
class Package:
    """A verified package: its manifest, the parsed JSON members and the rebuilt tables."""

    manifest: dict
    sha256: str  # of the whole file
    annex1_json: dict
    annex2_json: dict
    checks: dict
    annex1: Annex1Table
    annex2: Annex2Table
    # annex1.json's text as it came, checked against its hash and parsed into annex1_json: stored as it is
    # (writing the parsed document again was ~0.6 ms of a received package's ~9 ms).
    annex1_text: str | None = None

    @property
    def uuid(self) -> str:
        return self.manifest["package_uuid"]

    @property
    def unit_code(self) -> str:
        return self.manifest["unit"]["code"]

    @property
    def unit_name(self) -> str:
        return self.manifest["unit"]["name"]

    @property
    def period(self) -> str:
        return self.manifest["period"]

    @property
    def revision(self) -> int:
        return self.manifest["revision"]


def _bad_name(name: str) -> bool:
    return (name.startswith(("/", "\\")) or "\\" in name or "/" in name or ".." in name
            or (len(name) > 1 and name[1] == ":") or "\x00" in name)


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """At most the allowed size, whatever the header claims (a zip bomb may lie)."""
    with zf.open(info) as fh:
        data = fh.read(MAX_MEMBER_BYTES + 1)
    if len(data) > MAX_MEMBER_BYTES:
        raise PackageError(f"包内文件 {info.filename} 解压后过大（超过 {MAX_MEMBER_BYTES // 1024 // 1024} MB）",
                           "member too large")
    return data


# A surrogate code point can only come from a \\u escape: UTF-8 decoding refuses an encoded one.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def _json(data: bytes, name: str):
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # ValueError: an int of over 4,300 digits
        raise PackageError(f"包内文件 {name} 不是有效的 JSON", f"{name}: invalid JSON") from None
    if not _SURROGATE_ESCAPE.search(data):  # no escape that could be one: ~2 ms a package saved
        return doc
    try:
        # "\ud800" is valid JSON but no text: SQLite, the audit log and every message would fail on it later.
        json.dumps(doc, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise PackageError(f"包内文件 {name} 含有无效字符（单独的代理码位），已拒收", f"{name}: lone surrogate") from None
    return doc


_SHA256 = re.compile(r"^[0-9a-f]{64}$")
MANIFEST_DIGEST = "manifest_sha256"
MAX_LABEL = 200
MAX_COUNT = 10_000_000


def manifest_digest(m: dict) -> str:
    """SHA-256 of the manifest's canonical JSON without its own digest. It covers the manifest as the members'
    hashes cover them: an edited or damaged manifest is refused. It is not a signature: whoever can rewrite a
    package can recompute it."""
    body = {k: v for k, v in m.items() if k != MANIFEST_DIGEST}
    return sha256(json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8"))


def _timestamp(m: dict, key: str, *, required: bool) -> None:
    """A manifest time is ``YYYY-MM-DDTHH:MM:SS`` (what approval.now_text writes): later code compares and
    slices it, so "not-a-date" must never get in."""
    value = m.get(key)
    if value is None and not required:
        return
    from datetime import datetime

    try:
        if not isinstance(value, str) or len(value) > 40:
            raise ValueError
        stamp = datetime.fromisoformat(value)
        if not 2000 <= stamp.year <= 2999:
            raise ValueError
    except ValueError:
        raise PackageError(f"报送包清单中的时间 {key} 无效：{str(value)[:40]}", f"bad {key} in manifest") from None


def _text(m: dict, key: str, *, required: bool) -> None:
    value = m.get(key)
    if value is None and not required:
        return
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_LABEL:
        raise PackageError(f"报送包清单中的 {key} 无效", f"bad {key} in manifest")


def _check_manifest(m) -> dict:
    """Every field of the manifest by type and range; nothing in it is used before this passes."""
    if not isinstance(m, dict) or m.get("format") != FORMAT_NAME:
        raise PackageError("不是 ipdesk 报送包（清单格式名称不符）", "not an ipdesk package")
    if m.get("format_version") != FORMAT_VERSION:
        raise PackageError(f"报送包格式版本 {str(m.get('format_version'))[:10]} 本程序不支持（支持版本 {FORMAT_VERSION}），"
                           "请双方使用相同版本的程序", "unsupported package format version")
    if MANIFEST_DIGEST in m and m[MANIFEST_DIGEST] != manifest_digest(m):
        raise PackageError("报送包清单的校验值不符，清单可能被改动或损坏，已拒收", "manifest digest mismatch")
    unit = m.get("unit")
    if not (isinstance(m.get("package_uuid"), str) and _UUID.match(m["package_uuid"])):
        raise PackageError("报送包编号（UUID）无效", "bad package uuid")
    if not (isinstance(unit, dict) and isinstance(unit.get("code"), str) and re.fullmatch(r"\d{6}", unit["code"])
            and isinstance(unit.get("name"), str) and unit["name"].strip() and len(unit["name"]) <= MAX_LABEL
            and (unit.get("parent_code") is None
                 or (isinstance(unit["parent_code"], str) and re.fullmatch(r"\d{6}", unit["parent_code"])))):
        raise PackageError("报送包清单中的单位信息无效", "bad unit in manifest")
    if not isinstance(m.get("revision"), int) or isinstance(m["revision"], bool) or not 1 <= m["revision"] <= 999:
        raise PackageError("报送包清单中的版次无效", "bad revision")
    if m.get("correction_of") is not None and not (isinstance(m["correction_of"], str)
                                                   and _UUID.match(m["correction_of"])):
        raise PackageError("报送包清单中的“更正对象”无效", "bad correction_of")
    try:
        p = Period.parse(m.get("period"))
    except IpdeskError:
        raise PackageError(f"报送包期间无法识别：{str(m.get('period'))[:20]}", "bad period") from None
    if p.kind != "month" or p.code != m["period"]:
        raise PackageError(f"报送包期间应为月份：{m['period']}", "period is not a month")
    members = m.get("members")
    if not isinstance(members, dict) or not all(
            isinstance(v, dict) and isinstance(v.get("sha256"), str) and _SHA256.match(v["sha256"])
            and (v.get("size") is None or (type(v["size"]) is int and 0 <= v["size"] <= MAX_MEMBER_BYTES))
            for v in members.values()):
        raise PackageError("报送包清单缺少文件校验值", "manifest has no member hashes")
    _timestamp(m, "created_at", required=True)
    _timestamp(m, "approved_at", required=False)
    _text(m, "catalog_version", required=True)
    for key in ("approved_by", "app_version", "period_label"):
        _text(m, key, required=False)
    if "personal_ids_masked" in m and not isinstance(m["personal_ids_masked"], bool):
        raise PackageError("报送包清单中的 personal_ids_masked 无效", "bad personal_ids_masked")
    counts = m.get("counts")
    if counts is not None and not (isinstance(counts, dict) and all(
            type(v) is int and 0 <= v <= MAX_COUNT for v in counts.values())):
        raise PackageError("报送包清单中的计数无效", "bad counts in manifest")
    return m


MAX_MONEY_FEN = 10 ** 13  # 1,000 亿元 in a month: beyond any office, and far from a float's limits
RATIO_UNIT = "%"


def check_figures(table: Annex1Table) -> None:
    """A received table is checked like a form before anything is stored: counts are whole numbers, every
    figure is within sane bounds (1.7e308 summed to Infinity in a consolidation), and the catalogue's hard
    rules hold (立案 99 against a 合计 of 5). Raises PackageError naming the first problems."""
    values = table.values
    for cid, cell in table.catalog.cells().items():
        if cell.unit == RATIO_UNIT:
            continue
        limit = MAX_MONEY_FEN if cell.is_money else MAX_COUNT
        v = values[cid]
        for which, value in (("current", v.current), ("ytd", v.ytd), ("prev_current", v.prev_current),
                             ("prev_ytd", v.prev_ytd)):
            if value is None or (type(value) is int and -limit <= value <= limit):  # most figures, at a glance
                continue
            whole = float(value).is_integer()
            if abs(value) > limit or not whole:
                place = f"{cell.row_label}·{cell.column_label}" if cell.column_label else cell.row_label
                why = "数值超出合理范围" if whole else f"应为整数（{cell.unit}）"
                raise PackageError(f"附件1“{place}”{why}：{str(value)[:30]}，已拒收",
                                   f"annex1 {cid} {which}: {'out of range' if whole else 'not a whole number'}")
    errors = [f for f in checks.check_rules(table) + checks.check_ytd_not_below_period(table) if f.is_error]
    if errors:
        shown = "；".join(f.message for f in errors[:3])
        raise PackageError(f"附件1未通过统计表校验（{len(errors)} 处错误）：{shown}，已拒收",
                           f"annex1 fails {len(errors)} hard checks")


def read_package(path: str | Path) -> Package:
    """Open and verify a package file; nothing about it is trusted before this returns."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError:
        raise PackageError(f"无法读取文件：{path.name}", f"cannot read {path}") from None
    if size > MAX_PACKAGE_BYTES:
        zh, en = too_large(size, MAX_PACKAGE_BYTES)
        raise PackageError(f"{zh}，不是正常的报送包", f"{en}: not a package")
    try:
        data = path.read_bytes()
    except OSError:  # a folder, a file being written, no permission
        raise PackageError(f"无法读取文件：{path.name}（不是报送包文件）", f"cannot read {path}") from None
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise PackageError("文件已损坏或不是报送包（无法作为 zip 打开）", "not a readable zip") from None
    infos = zf.infolist()
    names = [i.filename for i in infos]
    for name in names:
        if _bad_name(name):
            raise PackageError(f"包内含有非法路径“{name[:80]}”（指向文件夹之外或带目录），已拒收",
                               f"illegal member path {name!r}")
    if len(set(names)) != len(names):
        raise PackageError("包内文件名重复，已拒收", "duplicate member names")
    unexpected = sorted(set(names) - ALLOWED_MEMBERS)
    if unexpected:
        raise PackageError(f"包内含有不应有的文件：{'、'.join(unexpected)[:120]}", "unexpected members")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > MAX_MEMBER_BYTES or total > MAX_TOTAL_BYTES:
            raise PackageError(f"包内文件 {info.filename} 解压后过大，疑似压缩炸弹，已拒收", "member too large")
        if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise PackageError(f"包内文件 {info.filename} 压缩比异常，疑似压缩炸弹，已拒收", "suspicious ratio")
    if MANIFEST not in names:
        raise PackageError("包内缺少清单 manifest.json", "no manifest")
    try:
        manifest = _check_manifest(_json(_read_member(zf, zf.getinfo(MANIFEST)), MANIFEST))
        declared = set(manifest["members"])
        if declared | {MANIFEST} != set(names) or not set(JSON_MEMBERS) <= declared:
            raise PackageError("包内文件与清单不一致（有缺失或多余的文件）", "members differ from manifest")
        contents = {}
        for name in declared:
            content = _read_member(zf, zf.getinfo(name))
            size = manifest["members"][name].get("size")
            if sha256(content) != manifest["members"][name]["sha256"] or size not in (None, len(content)):
                raise PackageError(f"文件 {name} 的校验值（SHA-256）与清单不符，包可能被篡改或损坏，已拒收",
                                   f"{name}: SHA-256 mismatch")
            contents[name] = content
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, zlib.error, NotImplementedError, RuntimeError,
            struct.error) as exc:
        # A damaged zip fails inside zipfile in many ways (bad offsets, truncated streams, encryption,
        # unknown compression): all of them are a refusal (found by tests/safety/test_safety_fuzz.py).
        if isinstance(exc, PackageError):
            raise
        raise PackageError("包内文件已损坏（无法解压或 CRC 校验失败）", f"corrupt member: {exc}") from None
    a1 = _json(contents["annex1.json"], "annex1.json")
    a2 = _json(contents["annex2.json"], "annex2.json")
    checks_doc = _json(contents["checks.json"], "checks.json")
    if not isinstance(checks_doc, dict):
        raise PackageError("checks.json 格式不正确", "checks.json: not an object")
    unit, period = manifest["unit"]["code"], manifest["period"]
    annex1 = annex1_from_json(a1, unit_code=unit, period=period)
    annex2 = annex2_from_json(a2, unit_code=unit, period=period)
    if a1.get("catalog_version") != manifest["catalog_version"] or a2.get("catalog_version") != manifest[
            "catalog_version"]:
        raise PackageError("附件与清单的统计表版本不一致", "catalogue version mismatch")
    check_figures(annex1)
    counts = manifest.get("counts") or {}
    if counts.get("annex2_rows") not in (None, len(a2["rows"])):
        raise PackageError("清单中的附件2行数与内容不符", "row count mismatch")
    return Package(manifest, sha256(data), a1, a2, checks_doc, annex1, annex2,
                   annex1_text=contents["annex1.json"].decode("utf-8"))
