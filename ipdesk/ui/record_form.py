"""The record form generated from a field list: labels, editors, a message under each field.

Enter saves (Ctrl+Enter inside a long text), Esc cancels, Tab follows the field order.
Saving runs through the op runner; a refusal puts each Chinese message under its field
in red and moves the focus to the first wrong field. Subclasses add what one record kind needs.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QGridLayout, QGroupBox, QLabel, QMessageBox, QScrollArea,
                               QVBoxLayout, QWidget)

from ..domain import fields as F
from ..domain.identifiers import identifier_message, normalize_identifier
from ..errors import IpdeskError
from .context import AppContext
from .ops import show_error
from .widgets.field_editors import FieldEditor

ERROR_STYLE = "color: #c0392b;"
HINT_STYLE = "color: #666666;"
PENDING_STYLE = "background: #fff3cd;"
REFUSED_STYLE = "color: #9a6700;"  # a keystroke or paste that was not taken: said, not an error
_WIDE_KINDS = (F.LONGTEXT, F.MULTI)


class RecordForm(QDialog):
    """Base dialog: ``TABLE`` and ``FIELDS`` say what it edits; ``saved`` carries the Changes."""

    TABLE = ""
    FIELDS: tuple[F.Field, ...] = ()
    WHAT = "记录"
    ID_FIELDS: tuple[str, ...] = ()  # USCC / ID number fields checked as typed
    WIDE_FIELDS: tuple[str, ...] = ()  # text fields that take a whole row

    saved = Signal(object)

    def __init__(self, ctx: AppContext, record_id: int | None = None, prefill: dict | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx, self.desk, self.record_id = ctx, ctx.desk, record_id
        self.changes = None
        self.record = self.desk.records.get_record(self.TABLE, record_id) if record_id else {}
        self.editors: dict[str, FieldEditor] = {}
        self.messages: dict[str, QLabel] = {}
        self.labels: dict[str, QLabel] = {}
        self.cells: dict[str, QWidget] = {}
        self.setWindowTitle(self.window_title())
        self.setModal(True)

        layout = QVBoxLayout(self)
        self.banner = QLabel(self)
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(ERROR_STYLE)
        self.banner.hide()
        self.header = self.build_header()
        if self.header is not None:
            layout.addWidget(self.header)
        layout.addWidget(self.banner)
        body = self.build_body()
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.NoFrame)
        scroll.setWidget(body)
        layout.addWidget(scroll, 1)
        self.buttons = QDialogButtonBox(self)
        self.save_button = self.buttons.addButton("保存", QDialogButtonBox.AcceptRole)
        self.cancel_button = self.buttons.addButton("取消", QDialogButtonBox.RejectRole)
        self.save_button.setDefault(True)
        self.save_button.setToolTip("保存（Enter）")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.cancel)
        for extra in self.extra_buttons():
            self.buttons.addButton(extra, QDialogButtonBox.ActionRole)
        layout.addWidget(self.buttons)
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self.save)
        QShortcut(QKeySequence("Ctrl+Enter"), self, activated=self.save)
        QShortcut(QKeySequence("Ctrl+S"), self, activated=self.save)

        for name in self.ID_FIELDS:
            if name in self.editors:
                self.editors[name].changed.connect(lambda n=name: self.check_identifier(n))
                if "party_kind" in self.editors:  # the code is checked as the kind of party chosen
                    self.editors["party_kind"].changed.connect(lambda n=name: self.check_identifier(n))
        self.errors_shown: dict[str, str] = {}  # field → the error under it, re-checked as the form changes
        self.notes: set[str] = set()  # fields showing why a keystroke or paste was refused
        for name, editor in self.editors.items():
            editor.changed.connect(lambda n=name: self.field_changed(n))
            editor.refused.connect(lambda text, n=name: self.refused(n, text))
        self.load(self.record or {}, prefill or {})
        self.loaded: dict | None = None  # the values as first shown (subclasses may still set defaults)
        self.set_tab_order()
        first = self.first_editor()
        if first is not None:
            first.focus_widget.setFocus()

    # ---- building ------------------------------------------------------------------------------
    def window_title(self) -> str:
        return f"修改{self.WHAT}" if self.record_id else f"新增{self.WHAT}"

    def build_header(self) -> QWidget | None:
        return None

    def extra_buttons(self) -> list:
        return []

    def editor_fields(self) -> tuple[F.Field, ...]:
        return self.FIELDS

    def completions(self, field: F.Field) -> list[str] | None:
        return self.desk.records.completions(self.TABLE, field.name) if field.complete and field.kind == F.TEXT else None

    def build_body(self) -> QWidget:
        body = QWidget(self)
        layout = QVBoxLayout(body)
        groups: dict[str, list[F.Field]] = {}
        for f in self.editor_fields():
            groups.setdefault(f.group, []).append(f)
        for title, fields in groups.items():
            box = QGroupBox(title, body) if title else QWidget(body)
            self.fill_grid(box, fields)
            layout.addWidget(box)
            extra = self.after_group(title, box)
            if extra is not None:
                layout.addWidget(extra)
        layout.addStretch(1)
        # One label width for every group, so the editors line up down the whole form.
        width = max((label.sizeHint().width() for label in self.labels.values()), default=0)
        for label in self.labels.values():
            label.setMinimumWidth(width)
        return body

    def after_group(self, title: str, box: QWidget) -> QWidget | None:
        return None

    def fill_grid(self, box: QWidget, fields: list[F.Field]) -> None:
        """Two fields a row (label, editor); long texts and multi-choices take a whole row."""
        grid = QGridLayout(box)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        grid.setHorizontalSpacing(10)
        row, col = 0, 0
        for f in fields:
            editor = FieldEditor(f, self.completions(f), box)
            self.editors[f.name] = editor
            message = QLabel(box)
            message.setWordWrap(True)
            message.setStyleSheet(ERROR_STYLE)
            message.hide()
            self.messages[f.name] = message
            cell = QWidget(box)
            cell_layout = QVBoxLayout(cell)
            cell_layout.setContentsMargins(0, 0, 0, 0)
            cell_layout.setSpacing(2)
            cell_layout.addWidget(editor.widget)
            cell_layout.addWidget(message)
            self.cells[f.name] = cell
            label = QLabel("" if f.kind == F.FLAG else f.label + ("＊" if f.required else ""), box)
            label.setBuddy(editor.focus_widget)
            label.setAlignment(Qt.AlignRight | Qt.AlignTop)
            label.setContentsMargins(0, 4, 0, 0)
            self.labels[f.name] = label
            wide = f.kind in _WIDE_KINDS or f.name in self.WIDE_FIELDS
            if wide and col:
                row, col = row + 1, 0
            grid.addWidget(label, row, col * 2)
            grid.addWidget(cell, row, col * 2 + 1, 1, 3 if wide else 1, Qt.AlignTop)
            if wide or col:
                row, col = row + 1, 0
            else:
                col = 1

    def first_editor(self) -> FieldEditor | None:
        return next(iter(self.editors.values()), None)

    def set_tab_order(self) -> None:
        chain = [w for e in self.editors.values() for w in e.focus_chain()] + [self.save_button, self.cancel_button]
        for a, b in zip(chain, chain[1:]):
            QWidget.setTabOrder(a, b)

    # ---- values --------------------------------------------------------------------------------
    def load(self, record: dict, prefill: dict) -> None:
        for name, editor in self.editors.items():
            if name in prefill:
                editor.set_value(prefill[name])
            elif name in record:
                editor.set_value(record[name])

    def raw(self) -> dict:
        return {name: editor.value() for name, editor in self.editors.items()}

    # ---- messages ------------------------------------------------------------------------------
    def show_message(self, name: str, text: str | None, style: str = ERROR_STYLE) -> None:
        label = self.messages.get(name)
        if label is None:
            return
        label.setText(text or "")
        label.setStyleSheet(style)
        label.setVisible(bool(text))

    def clear_messages(self) -> None:
        for name in self.messages:
            self.show_message(name, None)
        self.errors_shown = {}
        self.notes = set()
        self.banner.hide()
        for name in self.ID_FIELDS:
            self.check_identifier(name)

    def check_identifier(self, name: str) -> None:
        """USCC / ID number as typed: a count while short, the check-digit verdict at 18 characters."""
        text = normalize_identifier(self.editors[name].value() or "")
        kind = self.editors["party_kind"].value() if "party_kind" in self.editors else None
        if not text:
            self.show_message(name, None)
        elif len(text) < 18:
            self.show_message(name, f"已输入{len(text)}位，共18位", HINT_STYLE)
        else:
            message = identifier_message(text, kind or None, self.ctx.desk.today())
            self.show_message(name, message or "✓ 校验通过", ERROR_STYLE if message else "color: #1e7e34;")

    def show_errors(self, errors: dict[str, str], summary: str = "") -> None:
        """Every error at once, each under its field; the focus goes to the first."""
        order = list(self.editors)
        shown = [n for n in order if n in errors]
        for name in shown:
            self.show_message(name, errors[name])
        self.errors_shown = {n: errors[n] for n in shown}
        self.notes -= set(shown)
        others = [message for name, message in errors.items() if name not in self.editors]
        self._banner(len(shown), others or ([summary] if summary and not shown else []))
        if shown:
            self.editors[shown[0]].focus_widget.setFocus(Qt.OtherFocusReason)

    def _banner(self, count: int, others: list[str]) -> None:
        text = (f"请改正标红的 {count} 项后再保存。" if count > 1 else "请改正标红的项目后再保存。") if count else ""
        if others:
            text += "；".join(others)
        self.banner.setText(text)
        self.banner.setVisible(bool(text))

    def filter_errors(self, errors: dict[str, str]) -> dict[str, str]:
        """The errors saving would refuse with (a subclass may let some through, as the core does)."""
        return errors

    def typed_problems(self) -> dict[str, str]:
        """The fields whose text is no value at all (a date that is not one …), read from the editors: on the GUI
        thread, which alone may touch widgets, before the rest is checked on the worker."""
        return {name: f"{editor.field.label}：{problem}" for name, editor in self.editors.items()
                if (problem := editor.problem())}

    def collect_errors(self, raw: dict, typed: dict[str, str]) -> dict[str, str]:
        """Every error of the form as typed, without writing: ``typed`` (:meth:`typed_problems`, on their fields)
        and every rule the core checks on the rest (run on the worker: it reads the database)."""
        rest = {k: v for k, v in raw.items() if k not in typed}
        _merged, errors = self.desk.records.validate(self.TABLE, rest, self.record_id)
        errors = self.filter_errors({k: v for k, v in errors.items() if k not in typed})
        return {**errors, **typed}

    def field_changed(self, name: str) -> None:
        """A note on a refused keystroke goes with the next change; shown errors are checked again, and each
        one fixed disappears (no new ones appear while typing: they wait for 保存)."""
        if name in self.notes and name not in self.errors_shown:
            self.notes.discard(name)
            if name in self.ID_FIELDS:
                self.check_identifier(name)
            else:
                self.show_message(name, None)
        if not self.errors_shown:
            return
        raw, typed = self.raw(), self.typed_problems()
        self.ctx.ops.run(lambda: self.collect_errors(raw, typed), self._rechecked, lambda _exc: None,
                         emit_changes=False)

    def _rechecked(self, errors: dict[str, str]) -> None:
        for name in list(self.errors_shown):
            if name in errors:
                self.errors_shown[name] = errors[name]
                self.show_message(name, errors[name])
            else:
                del self.errors_shown[name]
                if name in self.ID_FIELDS:
                    self.check_identifier(name)
                else:
                    self.show_message(name, None)
        self._banner(len(self.errors_shown), [])

    def refused(self, name: str, text: str) -> None:
        """A keystroke or paste the field did not take: why, under the field (until the next change)."""
        if name in self.errors_shown:
            return  # the error stays in view; the refusal is the lesser news
        self.notes.add(name)
        self.show_message(name, text, REFUSED_STYLE)

    def showEvent(self, event) -> None:
        if self.loaded is None:
            self.loaded = self.raw()  # to tell whether Esc would throw typing away
        super().showEvent(event)

    def is_dirty(self) -> bool:
        return self.loaded is not None and self.changes is None and self.raw() != self.loaded

    def confirm_discard(self) -> bool:
        """Typing is not thrown away without asking."""
        if not self.is_dirty():
            return True
        answer = QMessageBox.question(self, "放弃修改", "已填写的内容尚未保存，确定放弃吗？",
                                      QMessageBox.Yes | QMessageBox.No, QMessageBox.No)
        return answer == QMessageBox.Yes

    def cancel(self) -> None:
        """Esc / 取消: close at once when nothing was typed, else ask first."""
        if self.confirm_discard():
            self.reject()

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key_Escape and not event.modifiers():
            self.cancel()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event) -> None:
        # The window's own close button asks too; a close by the program (shutdown) does not.
        if event.spontaneous() and not self.confirm_discard():
            event.ignore()
            return
        super().closeEvent(event)

    # ---- saving --------------------------------------------------------------------------------
    def perform_save(self, raw: dict):
        """The core call that writes the record (runs on the op runner's worker)."""
        return self.desk.records.save(self.TABLE, raw, self.record_id)

    def save(self) -> None:
        if not self.save_button.isEnabled():
            return
        self.clear_messages()
        raw, typed = self.raw(), self.typed_problems()
        if typed:
            # A date that is not one is never handed on, nor turned into another date; the other fields'
            # errors are shown with it, not one save later.
            self.ctx.ops.run(lambda: self.collect_errors(raw, typed), self.show_errors, self._failed, parent=self,
                             emit_changes=False)
            return
        self.save_button.setEnabled(False)
        self.ctx.ops.run(lambda: self.perform_save(raw), self._saved, self._failed, parent=self)

    def _saved(self, changes) -> None:
        self.save_button.setEnabled(True)
        self.changes = changes
        self.saved.emit(changes)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(exc, IpdeskError):
            self.show_errors(exc.field_errors, exc.zh)
        else:
            show_error(exc, self)
