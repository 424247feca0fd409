"""Every read and write of tables: CSV and Excel files in, CSV and Excel files out.

Reading is strict where a mistake would silently change the pairing and
forgiving where the file is only messy:

- The header line is the only source of column names (no index is ever
  inferred from the data). A row with more or fewer fields than the header is
  an error naming its spreadsheet line (the header is line 1), because it
  means the columns have shifted; the usual cause is a cell holding the
  delimiter without double quotes. Extra fields that are all empty (a
  trailing delimiter on every row) lose nothing and are dropped.
- Completely blank rows (Excel leaves ``;;;;`` rows at the end of a sheet)
  are skipped and reported in :attr:`Table.blank_lines`.
- A byte-order mark, ``;``, ``,`` or tab delimiters, CRLF line ends and
  UTF-16 text (Excel's "Unicode Text") are all read. A file that is not
  UTF-8, or an Excel workbook given as CSV, gets a message saying what to do
  in Excel.
- A cell written in the spreadsheet-safe form ``'=...`` (see below) is read
  back as ``=...``.

Writing never overwrites a file the data was read from, and overwrites any
other existing file only when asked (``force=True``, ``--force`` in the
command line). Every text cell that a spreadsheet could take for a formula
(starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a
leading ``'`` (OWASP guidance on CSV injection: ids come from web forms).
Text printed to a terminal has its control characters escaped
(:func:`for_terminal`).

Excel files need the optional extra ``excel`` (``pip install
'mentormatch-pairing[excel]'``), which installs openpyxl. openpyxl was picked
over python-calamine because it both reads and writes ``.xlsx`` (calamine
only reads), is pure Python (no compiled wheel to miss on a platform) and is
what pandas itself uses to write Excel.
"""

from __future__ import annotations

import csv
import io
import os
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Final

import pandas as pd

from mentormatch._validation import check_flag, describe, fail, param_where
from mentormatch.exceptions import InvalidInputError

__all__ = [
    "EXCEL_SUFFIXES",
    "MissingFileError",
    "Table",
    "check_target",
    "for_terminal",
    "read_table",
    "safe_frame",
    "unescape",
    "write_csv",
    "write_excel",
    "write_table",
]

#: Suffixes read and written as Excel workbooks.
EXCEL_SUFFIXES: Final = (".xlsx", ".xlsm")
#: What ``pip install`` needs for Excel files.
EXCEL_EXTRA: Final = "pip install 'mentormatch-pairing[excel]'"
_DELIMITERS: Final = (",", ";", "\t")
_FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")
_ZIP_MAGIC: Final = b"PK\x03\x04"
_OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0"  # the old binary .xls


class MissingFileError(InvalidInputError, FileNotFoundError):
    """A file given to read a cohort (or pairs to keep) does not exist.

    It is both an :class:`~mentormatch.InvalidInputError` (so a
    ``ValueError``) and a :class:`FileNotFoundError`, and its message names
    the path.

    Examples
    --------
    >>> import mentormatch as mm
    >>> try:
    ...     mm.Cohort.from_csv("no_such_students.csv", "no_such_managers.csv")
    ... except FileNotFoundError as err:
    ...     print(err)
    parameter 'students_path' of Cohort.from_csv: expected an existing CSV file, got 'no_such_students.csv' (no such file).
    """

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


@dataclass(frozen=True)
class Table:
    """One table read from a file, before any checks of its meaning.

    Attributes
    ----------
    frame : pandas.DataFrame
        Columns named by the header; every cell a ``str`` (``""`` when
        empty), trimmed of surrounding spaces.
    lines : tuple of int
        The spreadsheet line of each row of ``frame`` (the header is line 1).
    blank_lines : tuple of int
        Lines skipped because every cell on them was empty.
    source : str
        The path as given, for messages.
    delimiter : str or None
        The CSV field delimiter used (``None`` for Excel).
    """

    frame: pd.DataFrame
    lines: tuple[int, ...]
    blank_lines: tuple[int, ...]
    source: str
    delimiter: str | None


def _as_path(path: Any, where: str, what: str) -> Path:
    if not isinstance(path, (str, os.PathLike)) or isinstance(path, bytes):
        raise fail(where, f"a path to {what}", describe(path))
    return Path(path)


def read_table(
    path: Any,
    *,
    param: str,
    owner: str,
    delimiter: str | None = None,
    kind: str = "any",
) -> Table:
    """Read one table from a ``.csv``, ``.tsv`` or ``.xlsx`` file.

    Parameters
    ----------
    path : str or path-like
    param, owner : str
        The parameter and function that received ``path``, for messages.
    delimiter : {None, ",", ";", "\\t"}, default None
        CSV only; ``None`` detects it from the header line (``.tsv`` files
        default to tab).
    kind : {"any", "csv", "excel"}, default "any"
        ``"any"`` chooses by suffix (``.xlsx`` and ``.xlsm`` are Excel,
        anything else CSV).

    Returns
    -------
    Table

    Raises
    ------
    MissingFileError
        When the file does not exist.
    InvalidInputError
        When the file cannot be read as a table (see the module notes).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from mentormatch.io import read_table
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "s.csv"
    >>> _ = path.write_bytes("\\ufeffid;programme\\r\\ns1;Juridik;\\r\\n;;\\r\\n".encode())
    >>> table = read_table(path, param="path", owner="example")
    >>> table.frame.to_dict("list"), table.lines, table.blank_lines, table.delimiter
    ({'id': ['s1'], 'programme': ['Juridik']}, (2,), (3,), ';')
    """
    noun = {"csv": "CSV file", "excel": "Excel workbook (.xlsx)"}.get(kind, "CSV or Excel file")
    where = param_where(param, owner)
    file = _as_path(path, where, f"a {noun}")
    if not file.is_file():
        err = MissingFileError(
            f"{where}: expected an existing {noun}, got '{path}' (no such file)."
        )
        err.filename = str(path)
        raise err
    excel = kind == "excel" or (kind == "any" and file.suffix.lower() in EXCEL_SUFFIXES)
    if excel:
        return _read_excel(file, str(path), where)
    if delimiter is None and file.suffix.lower() == ".tsv":
        delimiter = "\t"
    return _read_csv(file, str(path), where, delimiter)


def _decode(raw: bytes, source: str, where: str) -> str:
    if raw.startswith(_ZIP_MAGIC):
        raise fail(
            where,
            "a CSV text file (or pass the .xlsx file itself, named .xlsx)",
            f"'{source}', which is an Excel workbook",
        )
    if raw.startswith(_OLE_MAGIC):
        raise fail(
            where,
            "a CSV text file (in Excel: Save As 'CSV UTF-8', or as .xlsx)",
            f"'{source}', which is an old-style .xls workbook",
        )
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")  # Excel's "Unicode Text" export
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise fail(
            where,
            "a file saved as 'CSV UTF-8' (in Excel: Save As > 'CSV UTF-8'), "
            "or the .xlsx file itself",
            f"'{source}', which is not UTF-8 (line {line}: byte {raw[exc.start]:#04x}, "
            "perhaps Windows-1252 or Latin-1)",
        ) from None


def _read_csv(file: Path, source: str, where: str, delimiter: str | None) -> Table:
    raw = file.read_bytes()
    text = _decode(raw, source, where)
    if not text.strip():
        raise fail(where, "a header line and rows", f"'{source}', an empty file")
    if delimiter is None:
        header = text.lstrip("\r\n").splitlines()[0]
        counts = {d: header.count(d) for d in _DELIMITERS}
        delimiter = max(_DELIMITERS, key=lambda d: counts[d]) if any(counts.values()) else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = list(reader)
    except csv.Error as exc:
        raise fail(
            f"file '{source}', line {reader.line_num}",
            "well-formed CSV (check the double quotes)",
            str(exc),
        ) from None
    return _table(records, source, delimiter)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel stores every number as a float
    return unescape(str(value).strip())


def _table(records: Sequence[Sequence[Any]], source: str, delimiter: str | None) -> Table:
    """Header and rows (spreadsheet line = position + 1) into a :class:`Table`."""
    at = f"file '{source}'"
    cells = [[_cell(v) for v in record] for record in records]
    first = next((k for k, row in enumerate(cells) if any(row)), None)
    if first is None:
        raise fail(at, "a header line and rows", "an empty file")
    if first != 0:
        raise fail(f"{at}, line 1", "the header (column names)", "an empty line")
    header = list(cells[0])
    while header and not header[-1]:
        header.pop()  # a trailing delimiter (or empty Excel columns) after the last name
    if "" in header:
        column = header.index("") + 1
        raise fail(f"{at}, line 1", "a name for every column", f"none for column {column}")
    width = len(header)
    rows: list[list[str]] = []
    lines: list[int] = []
    blank: list[int] = []
    where_quote = (
        f" (a cell that contains {delimiter!r} must be in double quotes)" if delimiter else ""
    )
    for k, row in enumerate(cells[1:], start=2):
        if not any(row):
            blank.append(k)
            continue
        if len(row) > width and not any(row[width:]):
            row = row[:width]  # trailing empty fields: nothing can shift
        if len(row) != width:
            shown = (delimiter or " | ").join(records[k - 1])
            raise fail(
                f"{at}, line {k}",
                f"{width} fields as in the header on line 1{where_quote}",
                f"{len(row)} fields: {describe(shown)}",
            )
        rows.append(row)
        lines.append(k)
    frame = pd.DataFrame(rows, columns=header, dtype=object)
    if not rows:
        frame = pd.DataFrame({name: pd.Series([], dtype=object) for name in header})
    return Table(frame, tuple(lines), tuple(blank), source, delimiter)


def _openpyxl(where: str) -> Any:
    try:
        import openpyxl
    except ImportError:
        raise fail(
            where, f"Excel support, the optional extra 'excel' ({EXCEL_EXTRA})", "no openpyxl"
        ) from None
    return openpyxl


def _read_excel(file: Path, source: str, where: str) -> Table:
    openpyxl = _openpyxl(where)
    with open(file, "rb") as handle:
        start = handle.read(4)
    if not start.startswith(_ZIP_MAGIC):
        plain = "an old-style .xls workbook" if start.startswith(_OLE_MAGIC) else "not one"
        raise fail(
            where,
            "an Excel workbook (.xlsx; a CSV file should be named .csv)",
            f"'{source}', {plain}",
        )
    try:
        book = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise fail(where, "a readable Excel workbook", f"'{source}' ({exc})") from None
    try:
        sheet = book.worksheets[0]
        records = [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()
    return _table(records, source, None)


def unescape(text: str) -> str:
    """Undo the spreadsheet-safe escape of :func:`safe_frame` (``'=x`` to ``=x``).

    Parameters
    ----------
    text : str
        A cell as read from a file.

    Returns
    -------
    str
        The cell without one leading ``'`` when what follows would start a
        formula; otherwise ``text`` unchanged.

    Examples
    --------
    >>> from mentormatch.io import unescape
    >>> unescape("'-5"), unescape("'quoted"), unescape("s1")
    ('-5', "'quoted", 's1')
    """
    return text[1:] if text.startswith("'") and _needs_escape(text[1:]) else text


def _needs_escape(text: str) -> bool:
    # Quotes then a formula start: text already in the escaped form is escaped
    # again, so that reading (which unescapes once) gives back what was written.
    return text.lstrip("'").startswith(_FORMULA_START)


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells cannot start a spreadsheet formula.

    Such a cell gets a leading ``'``; :func:`unescape` (applied by every
    reader here) removes it again.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table to write.

    Returns
    -------
    pandas.DataFrame
        A copy; numeric, boolean and date columns are unchanged.

    Examples
    --------
    >>> import pandas as pd
    >>> from mentormatch.io import safe_frame
    >>> safe_frame(pd.DataFrame({"id": ["=1+1", "s1"], "n": [-1, 2]}))["id"].tolist()
    ["'=1+1", 's1']
    """
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype.kind in "biufcmM":
            continue
        out[column] = pd.Series(
            ["'" + v if isinstance(v, str) and _needs_escape(v) else v for v in out[column]],
            index=out.index,
            dtype=object,
        )
    return out


def check_target(
    path: Any,
    *,
    param: str,
    owner: str,
    protect: Iterable[str | os.PathLike[str]] = (),
    force: bool = False,
) -> Path:
    """The path to write to, after checking it is safe to write there.

    Parameters
    ----------
    path : str or path-like
        Where the caller wants to write.
    param, owner : str
        The parameter and function that received ``path``, for messages.
    protect : iterable of str or path-like, default ()
        Files never to be written over (the inputs).
    force : bool, default False
        Allow writing over an existing file that is not in ``protect``.

    Returns
    -------
    pathlib.Path
        ``path`` as a path.

    Raises
    ------
    InvalidInputError
        When ``path`` is one of the files in ``protect`` (the inputs), or
        exists and ``force`` is false.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from mentormatch.io import check_target
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "pairs.csv"
    >>> _ = path.write_text("x")
    >>> check_target(path, param="path", owner="example")
    Traceback (most recent call last):
    ...
    mentormatch.exceptions.InvalidInputError: parameter 'path' of example: expected a file that does not exist yet (or force=True to overwrite it), got '...pairs.csv', which exists.
    """
    where = param_where(param, owner)
    target = _as_path(path, where, "a file to write")
    force = check_flag(force, param_where("force", owner))
    if isinstance(protect, (str, bytes)) or not isinstance(protect, Iterable):
        raise fail(param_where("protect", owner), "an iterable of paths", describe(protect))
    for source in protect:
        if _same_file(target, Path(source)):
            raise fail(
                where,
                "a file other than the input files (the data was read from it)",
                f"'{path}', an input file",
            )
    if target.exists() and not force:
        raise fail(
            where,
            "a file that does not exist yet (or force=True to overwrite it)",
            f"'{path}', which exists",
        )
    return target


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def write_csv(
    frame: pd.DataFrame,
    path: str | os.PathLike[str] | IO[str],
    *,
    param: str = "path",
    owner: str = "write_csv",
    protect: Iterable[str | os.PathLike[str]] = (),
    force: bool = False,
    **kwargs: Any,
) -> None:
    """Write a table as UTF-8 CSV, spreadsheet-safe, never over an input file.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table; text cells are escaped with :func:`safe_frame`.
    path : str, path-like or text stream
        Where to write; an open stream is written to without checks.
    param, owner : str
        The parameter and function that received ``path``, for messages.
    protect : iterable of str or path-like, default ()
        Files never to be written over (the inputs).
    force : bool, default False
        Allow writing over an existing file that is not in ``protect``.
    **kwargs
        Passed to :meth:`pandas.DataFrame.to_csv` (``index`` defaults to
        False).

    Examples
    --------
    >>> import io
    >>> import pandas as pd
    >>> from mentormatch.io import write_csv
    >>> out = io.StringIO()
    >>> write_csv(pd.DataFrame({"id": ["=HYPERLINK(1)"]}), out)
    >>> out.getvalue().splitlines()
    ['id', "'=HYPERLINK(1)"]
    """
    kwargs.setdefault("index", False)
    target: Any = path
    if not hasattr(path, "write"):
        target = check_target(path, param=param, owner=owner, protect=protect, force=force)
        kwargs.setdefault("encoding", "utf-8")
    safe_frame(frame).to_csv(target, **kwargs)


def write_excel(
    sheets: Mapping[str, pd.DataFrame],
    path: str | os.PathLike[str],
    *,
    param: str = "path",
    owner: str = "write_excel",
    protect: Iterable[str | os.PathLike[str]] = (),
    force: bool = False,
) -> None:
    """Write tables as the sheets of one ``.xlsx`` workbook, spreadsheet-safe.

    Needs the optional extra ``excel`` (openpyxl). Every text cell is stored
    as text, never as a formula; list cells are joined with ``"; "``.

    Parameters
    ----------
    sheets : mapping of str to pandas.DataFrame
        Sheet name to table, in order.
    path : str or path-like
        Where to write.
    param, owner : str
        The parameter and function that received ``path``, for messages.
    protect : iterable of str or path-like, default ()
        Files never to be written over (the inputs).
    force : bool, default False
        Allow writing over an existing file that is not in ``protect``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import pandas as pd
    >>> from mentormatch.io import read_table, write_excel
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "out.xlsx"
    >>> write_excel({"pairs": pd.DataFrame({"id": ["=1+1"], "score": [0.5]})}, path)
    >>> read_table(path, param="path", owner="example").frame.to_dict("list")
    {'id': ['=1+1'], 'score': ['0.5']}
    """
    where = param_where(param, owner)
    openpyxl = _openpyxl(where)
    target = check_target(path, param=param, owner=owner, protect=protect, force=force)
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, frame in sheets.items():
        sheet = book.create_sheet(title=name)
        sheet.append([str(c) for c in frame.columns])
        for record in safe_frame(frame).itertuples(index=False):
            row = []
            for value in record:
                if isinstance(value, (list, tuple)):
                    value = "; ".join(str(v) for v in value)
                elif hasattr(value, "item"):
                    value = value.item()  # numpy scalars
                if value is None or (isinstance(value, float) and value != value):
                    value = None
                row.append(value)
            sheet.append(row)
        for cells in sheet.iter_rows():
            for cell in cells:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text, even if it looks like a formula
    book.save(target)


def write_table(
    frame: pd.DataFrame,
    path: str | os.PathLike[str],
    *,
    sheet: str = "Sheet1",
    param: str = "path",
    owner: str = "write_table",
    protect: Iterable[str | os.PathLike[str]] = (),
    force: bool = False,
) -> None:
    """Write one table as CSV or Excel, by the suffix of ``path``.

    ``.xlsx`` and ``.xlsm`` are Excel (:func:`write_excel`), ``.tsv`` is
    tab-separated, anything else comma-separated CSV (:func:`write_csv`).

    Parameters
    ----------
    frame : pandas.DataFrame
        The table.
    path : str or path-like
        Where to write.
    sheet : str, default "Sheet1"
        The sheet name, for Excel.
    param, owner : str
        The parameter and function that received ``path``, for messages.
    protect : iterable of str or path-like, default ()
        Files never to be written over (the inputs).
    force : bool, default False
        Allow writing over an existing file that is not in ``protect``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import pandas as pd
    >>> from mentormatch.io import write_table
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "t.tsv"
    >>> write_table(pd.DataFrame({"a": [1]}), path)
    >>> path.read_text()
    'a\\n1\\n'
    """
    suffix = Path(os.fspath(path)).suffix.lower() if isinstance(path, (str, os.PathLike)) else ""
    if suffix in EXCEL_SUFFIXES:
        write_excel({sheet: frame}, path, param=param, owner=owner, protect=protect, force=force)
    else:
        sep = "\t" if suffix == ".tsv" else ","
        write_csv(frame, path, param=param, owner=owner, protect=protect, force=force, sep=sep)


_BIDI: Final = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def for_terminal(text: str) -> str:
    """Text safe to print: control and bidi-override characters escaped.

    Parameters
    ----------
    text : str
        Text from a file (an id, a value).

    Returns
    -------
    str
        ``text`` with each control character (ANSI escapes, new lines, tabs)
        and each bidirectional override written as a Python escape.

    Examples
    --------
    >>> from mentormatch.io import for_terminal
    >>> print(for_terminal("s1\\x1b[31m"))
    s1\\x1b[31m
    """
    out = []
    for ch in str(text):
        if ch in _BIDI or unicodedata.category(ch) == "Cc":
            out.append(ch.encode("unicode_escape").decode("ascii"))
        else:
            out.append(ch)
    return "".join(out)
