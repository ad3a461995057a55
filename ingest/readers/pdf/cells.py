"""Cells: pieces stacked in one column at the document's line pitch, same font size.

A cell is a paragraph, a heading, a list item or one table cell (a cell that wraps over
several lines stays one cell).  MuPDF's own blocks are not trusted for this: it mixes
the cells of a table row into one block and splits one cell over two.  `Layout` builds
the cells; rows (`tables`) and blocks are made of them.
"""

from __future__ import annotations

from ingest.readers.pdf.pieces import Piece


class Cell:
    """Pieces stacked in one column: a paragraph, heading, list item or table cell."""

    __slots__ = ("_size", "last", "order", "pieces", "x0", "x1")

    def __init__(self, pieces: list[Piece], order: int) -> None:
        self.pieces = pieces
        self.order = order
        self.x0 = min(piece.x0 for piece in pieces)
        self.x1 = max(piece.x1 for piece in pieces)
        self.last = pieces[-1]
        self._size: float | None = None

    def add(self, piece: Piece) -> None:
        self.pieces.append(piece)
        self.x0 = min(self.x0, piece.x0)
        self.x1 = max(self.x1, piece.x1)
        self.last = piece
        self._size = None

    @property
    def top(self) -> float:
        return self.pieces[0].baseline - 0.75 * self.pieces[0].size

    @property
    def bottom(self) -> float:
        return self.last.baseline + 0.2 * self.last.size

    @property
    def size(self) -> float:
        """The font size of most of the cell's characters."""
        if self._size is None:
            sizes: dict[float, int] = {}
            for piece in self.pieces:
                sizes[piece.size] = sizes.get(piece.size, 0) + len(piece.text)
            self._size = max(sizes, key=sizes.__getitem__)
        return self._size

    @property
    def bold(self) -> bool:
        return all(piece.bold for piece in self.pieces)
