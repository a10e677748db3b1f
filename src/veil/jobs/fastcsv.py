"""CSV bytes of a DataFrame, identical to ``frame.to_csv(index=False)``: moved to
:mod:`veil.io.fastcsv` (``veil.io.write_table`` writes CSV with it too); kept importable here."""

from veil.io.fastcsv import ROWS_PER_PIECE, csv_pieces, to_csv_bytes

__all__ = ["ROWS_PER_PIECE", "csv_pieces", "to_csv_bytes"]
