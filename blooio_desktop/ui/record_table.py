"""`RecordTableModel`: a table of immutable records, one per row, under fixed column titles, and
`record_table_view()`, the table view that shows one.

The outbox and the webhook workbench both show their records this way. A subclass names its
`columns`, says how a record is identified (`key_of`), what each column shows (`cells`) and which
extra roles it answers (`role_data`); the row bookkeeping and Qt's model API live here, once.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

Record = TypeVar("Record")
Index = QModelIndex | QPersistentModelIndex


class RecordTableModel(QAbstractTableModel, Generic[Record]):
    columns: tuple[str, ...] = ()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Record] = []

    # --- what a subclass says about its records -------------------------------------------------
    def key_of(self, record: Record) -> Hashable:
        raise NotImplementedError

    def cells(self, record: Record) -> tuple[str, ...]:
        """The text of each column, in `columns` order."""
        raise NotImplementedError

    def role_data(self, record: Record, column: int, role: int) -> Any:
        """Any role besides display and tooltip (which show `cells`)."""
        return None

    # --- rows -----------------------------------------------------------------------------------
    def row_of(self, key: Hashable) -> int | None:
        if key is None:
            return None
        return next((row for row, r in enumerate(self._rows) if self.key_of(r) == key), None)

    def _replace_all(self, records: Iterable[Record]) -> None:
        self.beginResetModel()
        self._rows = list(records)
        self.endResetModel()

    def _insert_row(self, row: int, record: Record) -> None:
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.insert(row, record)
        self.endInsertRows()

    def _remove_row(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        self.endRemoveRows()

    def _update_row(self, row: int, record: Record) -> None:
        self._rows[row] = record
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.columns) - 1))

    # --- Qt model API ---------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.columns)
        ):
            return self.columns[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        record, column = self._rows[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            cells = self.cells(record)
            return cells[column] if 0 <= column < len(cells) else ""
        return self.role_data(record, column, role)


def record_table_view(
    model: QAbstractItemModel, name: str, stretch: Collection[str], parent: QWidget
) -> QTableView:
    """A table of records: whole rows, one at a time, one line each; the `stretch` columns take
    the spare width and the others fit their contents."""
    table = QTableView(parent)
    table.setModel(model)
    table.setAccessibleName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().hide()
    table.setWordWrap(False)
    header = table.horizontalHeader()
    for column in range(model.columnCount()):
        title = model.headerData(column, Qt.Orientation.Horizontal)
        mode = (
            QHeaderView.ResizeMode.Stretch
            if title in stretch
            else QHeaderView.ResizeMode.ResizeToContents
        )
        header.setSectionResizeMode(column, mode)
    return table
