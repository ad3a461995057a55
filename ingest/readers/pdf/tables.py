"""Table rows: cells side by side that share a vertical band.

Cells whose vertical extents overlap (top-aligned, or a short cell centred beside a
tall one) make one row, cells in x order; `Layout` makes a row of more than one cell a
TABLE_ROW block, "cell | cell".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ingest.readers.pdf.cells import Cell


@dataclass
class Row:
    cells: list[Cell] = field(default_factory=list)
    top: float = 0.0
    bottom: float = 0.0


def has_neighbour(cell: Cell, cells: list[Cell]) -> bool:
    """Whether another cell sits beside `cell`, sharing part of its height."""
    return any(
        other is not cell
        and (other.x1 <= cell.x0 + 1 or cell.x1 <= other.x0 + 1)
        and other.top < cell.bottom
        and cell.top < other.bottom
        for other in cells
    )


def rows_of(cells: list[Cell]) -> list[Row]:
    """Cells in reading order; cells side by side that share a vertical band form a row."""
    rows: list[Row] = []
    for cell in cells:
        home = None
        for row in reversed(rows[-30:]):
            if cell.top < row.bottom and row.top < cell.bottom and joins_row(row, cell):
                home = row
                break
        if home is None:
            rows.append(Row([cell], cell.top, cell.bottom))
        else:
            home.cells.append(cell)
            home.top = min(home.top, cell.top)
            home.bottom = max(home.bottom, cell.bottom)
    for row in rows:
        row.cells.sort(key=lambda cell: cell.x0)
    return rows


def joins_row(row: Row, cell: Cell) -> bool:
    """Side by side with every cell of the row, and aligned at the top with one of them
    or a short cell beside a taller one (vertically centred)."""
    for other in row.cells:
        if cell.x0 < other.x1 - 1 and other.x0 < cell.x1 - 1:
            return False
    for other in row.cells:
        if abs(cell.pieces[0].baseline - other.pieces[0].baseline) <= 0.6 * cell.size:
            return True
        short, tall = (cell, other) if len(cell.pieces) <= len(other.pieces) else (other, cell)
        if len(short.pieces) <= 2 and tall.top <= short.top and short.bottom <= tall.bottom:
            return True
    return False
