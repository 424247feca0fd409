"""The participants of one programme: students (mentors) and managers (mentees).

A :class:`Cohort` is built once from two tables (DataFrames or CSV files of a
sign-up form), validated at that boundary and never changed afterwards. Every
later step (scoring, pairing, analysis) reads its normalised tables.
"""

from __future__ import annotations

import copy
import difflib
import html
import os
import unicodedata
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, ClassVar, Final, Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from mentormatch import io as _io
from mentormatch._catalogue import INTERESTS, PROGRAMMES, vocabulary_key
from mentormatch._validation import (
    check_flag,
    check_option,
    describe,
    fail,
    is_missing,
    param_where,
    table_where,
)
from mentormatch.io import MissingFileError

__all__ = ["Cohort", "MissingFileError"]

Side = Literal["students", "managers"]

#: Columns each side must have.
REQUIRED: Final[Mapping[Side, tuple[str, ...]]] = MappingProxyType(
    {"students": ("id", "programme", "interests"), "managers": ("id", "unit", "interests")}
)
#: Columns that hold several values per person (a list, or text split on ``value_sep``).
MULTI_VALUED: Final = ("interests", "seeking", "languages", "preferences", "avoid")
#: Perspective attributes, all optional (sensitive: never required).
NUMERIC_ATTRIBUTES: Final = ("age",)
CATEGORICAL_ATTRIBUTES: Final = ("gender", "region")
SET_ATTRIBUTES: Final = ("languages",)
#: Single-valued text columns.
_TEXT: Final = ("programme", "unit", "education", *CATEGORICAL_ATTRIBUTES)
#: Columns the normalised tables always have, in this order (perspective
#: attributes follow when given, then any other column of the input).
_ALWAYS: Final[Mapping[Side, tuple[str, ...]]] = MappingProxyType(
    {
        "students": ("id", "programme", "interests", "capacity", "preferences", "avoid"),
        "managers": (
            "id",
            "unit",
            "education",
            "seeking",
            "interests",
            "capacity",
            "preferences",
            "avoid",
        ),
    }
)
_OTHER: Final[Mapping[Side, Side]] = MappingProxyType(
    {"students": "managers", "managers": "students"}
)


#: Columns whose values are compared by :func:`~mentormatch._catalogue.vocabulary_key`
#: (case, white space and Unicode normalisation do not matter), grouped by the
#: vocabulary they share: a manager's ``education`` and ``seeking`` name programmes.
VOCABULARIES: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        "programme": ("programme", "education", "seeking"),
        "interests": ("interests",),
        "languages": ("languages",),
        "region": ("region",),
        "gender": ("gender",),
    }
)
#: Columns that hold ids of the other side.
_REFERENCES: Final = ("preferences", "avoid")
#: Largest accepted capacity: far above any cohort, far below integer overflow.
MAX_CAPACITY: Final = 1_000_000


@dataclass(frozen=True)
class _Finding:
    """Something :meth:`Cohort.check` reports: one row of its table."""

    side: str
    pos: int | None
    column: str | None
    value: str | None
    problem: str
    suggestion: str | None


@dataclass(frozen=True)
class _Source:
    """Where one side's table came from: file and spreadsheet line of each row."""

    name: str | None = None
    lines: tuple[int, ...] | None = None
    blank_lines: tuple[int, ...] = ()


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _id_key(text: str) -> str:
    """Ids that look identical: NFC, without invisible format characters."""
    return "".join(ch for ch in _nfc(text) if unicodedata.category(ch) != "Cf")


def _split(value: Any, value_sep: str, commas: list[str] | None = None) -> tuple[str, ...]:
    """Items of a multi-valued cell: trimmed, empties dropped, duplicates removed, order kept.

    Text with commas but no ``value_sep`` is split on the commas (a list typed
    by hand, ``"AI-etik, integritet"``); the cell is appended to ``commas``.
    """
    if value is None:
        return ()
    if isinstance(value, str):
        if value_sep != "," and value_sep not in value and "," in value:
            if commas is not None:
                commas.append(value)
            items: Iterable[Any] = value.split(",")
        else:
            items = value.split(value_sep)
    elif isinstance(value, (set, frozenset)):
        # Sets have no order; sorting keeps the result the same on every run.
        items = sorted(value, key=str)
    elif isinstance(value, (list, tuple, np.ndarray, pd.Series, pd.Index)):
        items = value
    elif is_missing(value):
        return ()
    else:
        items = [value]
    cleaned = (str(item).strip() for item in items if not is_missing(item))
    return tuple(dict.fromkeys(item for item in cleaned if item))


def _text(value: Any) -> str | None:
    if is_missing(value):
        return None
    text = str(value).strip()
    return text or None


def _where(side: Side, pos: int, column: str | None, ident: str | None, source: _Source) -> str:
    """Where-phrase for one cell: the spreadsheet line when the table came from a file."""
    if source.lines is None:
        return table_where(side, ident if ident is not None else pos, column)
    where = f"{side} table, line {source.lines[pos]}"
    if ident is not None:
        where += f", row {ident!r}"
    if column is not None:
        where += f", column {column!r}"
    return where


def _normalise(
    frame: Any,
    side: Side,
    param: str,
    owner: str,
    value_sep: str,
    source: _Source,
    findings: list[_Finding],
) -> pd.DataFrame:
    """Check one side's table and return its normalised copy."""
    if not isinstance(frame, pd.DataFrame):
        raise fail(param_where(param, owner), "a pandas DataFrame", describe(frame))
    where = table_where(side)
    names = [str(c).strip().lower() for c in frame.columns]
    repeated = pd.Index(names)[pd.Index(names).duplicated()]
    if len(repeated):
        raise fail(where, "unique column names", f"{repeated[0]!r} twice")
    missing = [c for c in REQUIRED[side] if c not in names]
    if missing:
        raise fail(where, f"a column {missing[0]!r}", f"columns {names}")
    if len(frame) == 0:
        raise fail(where, "at least one row", "0 rows")

    # Work on lists of Python objects: no view of the caller's frame survives.
    columns = {name: list(frame.iloc[:, i]) for i, name in enumerate(names)}
    n = len(frame)

    raw_ids = [_text(v) for v in columns["id"]]
    for pos, ident in enumerate(raw_ids):
        if ident is None:
            raise fail(
                _where(side, pos, "id", None, source),
                "a non-empty id",
                describe(columns["id"][pos]),
            )
    ids = [_nfc(ident) for ident in raw_ids if ident is not None]
    _check_ids(ids, side, source)

    out: dict[str, Any] = {"id": ids}
    for name in _TEXT:
        if name in columns:
            out[name] = [_text(v) for v in columns[name]]
    for name in REQUIRED[side][1:]:
        if name in _TEXT:
            for pos, value in enumerate(out[name]):
                if value is None:
                    raise fail(
                        _where(side, pos, name, ids[pos], source),
                        "a non-empty value",
                        describe(columns[name][pos]),
                    )
    for name in MULTI_VALUED:
        if name in columns:
            cells = []
            for pos, value in enumerate(columns[name]):
                commas: list[str] = []
                cells.append(_split(value, value_sep, commas))
                if commas:
                    findings.append(
                        _Finding(
                            side,
                            pos,
                            name,
                            commas[0],
                            f"a list with commas; read as {len(cells[-1])} values",
                            f"separate several values with {value_sep!r}",
                        )
                    )
            if name in _REFERENCES:
                cells = [tuple(dict.fromkeys(_nfc(x) for x in items)) for items in cells]
            out[name] = cells
        elif name in _ALWAYS[side]:
            out[name] = [()] * n
    if side == "managers" and "education" not in out:
        out["education"] = [None] * n

    out["capacity"] = _capacity(columns.get("capacity"), ids, side, n, source)
    for name in NUMERIC_ATTRIBUTES:
        if name in columns:
            out[name] = _numeric(columns[name], ids, side, name, source)

    order = dict.fromkeys((*_ALWAYS[side], *NUMERIC_ATTRIBUTES, *_TEXT, *SET_ATTRIBUTES))
    normalised = pd.DataFrame({c: out[c] for c in order if c in out})
    # Other columns (names, e-mail, free text) pass through, as copies: the
    # cohort never shares a mutable cell with the caller.
    for name in names:
        if name not in normalised.columns:
            normalised[name] = pd.Series(
                [
                    v if isinstance(v, (str, int, float)) else copy.deepcopy(v)
                    for v in columns[name]
                ],
                dtype=object,
            )
    return normalised


def _check_ids(ids: Sequence[str], side: Side, source: _Source) -> None:
    """Ids are unique, also when invisible characters and normalisation are ignored."""
    seen: dict[str, int] = {}
    for pos, ident in enumerate(ids):
        key = _id_key(ident)
        if key not in seen:
            seen[key] = pos
            continue
        first = seen[key]
        rows = (
            f"rows {first} and {pos}"
            if source.lines is None
            else f"lines {source.lines[first]} and {source.lines[pos]}"
        )
        if ids[first] == ident:
            raise fail(
                _where(side, pos, "id", ident if source.lines is None else None, source),
                "unique ids",
                f"{ident!r} again ({rows})",
            )
        raise fail(
            _where(side, pos, "id", None, source),
            "unique ids (ids that differ only by invisible characters or Unicode "
            "normalisation are the same id)",
            f"{ids[first]!a} and {ident!a} ({rows})",
        )


def _canonical(
    students: pd.DataFrame, managers: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One spelling per value of each vocabulary: the first one seen (students first)."""
    students, managers = students.copy(), managers.copy()
    for columns in VOCABULARIES.values():
        shown: dict[str, str] = {}

        def spelling(value: str, shown: dict[str, str] = shown) -> str:
            return shown.setdefault(vocabulary_key(value), value)

        for table in (students, managers):
            for column in columns:
                if column not in table.columns:
                    continue
                if column in MULTI_VALUED:
                    table[column] = [
                        tuple(dict.fromkeys(spelling(x) for x in items)) for items in table[column]
                    ]
                else:
                    table[column] = [None if is_missing(v) else spelling(v) for v in table[column]]
    return students, managers


def _number(value: Any) -> float | None:
    """A cell as a number: ``None`` when empty, NaN when it is not a finite-size number."""
    if is_missing(value) or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, (bool, np.bool_)):
        return float("nan")
    try:
        return float(value)
    except (TypeError, ValueError, OverflowError):
        return float("nan")


def _validated(
    students: Any,
    managers: Any,
    value_sep: Any,
    owner: str,
    *,
    findings: list[_Finding],
    sources: Mapping[Side, _Source] | None = None,
    params: tuple[str, str] = ("students", "managers"),
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Both sides' tables checked and normalised, with their references to each other.

    What :meth:`Cohort.check` should report is appended to ``findings``.
    """
    if not isinstance(value_sep, str) or not value_sep:
        raise fail(param_where("value_sep", owner), "a non-empty string", describe(value_sep))
    sources = sources or {"students": _Source(), "managers": _Source()}
    s = _normalise(
        students, "students", params[0], owner, value_sep, sources["students"], findings
    )
    m = _normalise(
        managers, "managers", params[1], owner, value_sep, sources["managers"], findings
    )
    s, m = _canonical(s, m)
    _check_references(
        s, "students", {ident: i for i, ident in enumerate(m["id"])}, sources["students"]
    )
    _check_references(
        m, "managers", {ident: i for i, ident in enumerate(s["id"])}, sources["managers"]
    )
    return s, m


def _capacity(
    values: list[Any] | None, ids: list[str], side: Side, n: int, source: _Source
) -> Any:
    result = np.ones(n, dtype=np.int64)
    for pos, value in enumerate(values or ()):
        number = _number(value)
        if number is None:
            continue
        if not (np.isfinite(number) and number == int(number) and 1 <= number <= MAX_CAPACITY):
            raise fail(
                _where(side, pos, "capacity", ids[pos], source),
                f"a positive integer (at most {MAX_CAPACITY})",
                describe(value),
            )
        result[pos] = int(number)
    return result


def _numeric(values: list[Any], ids: list[str], side: Side, name: str, source: _Source) -> Any:
    result = np.full(len(values), np.nan)
    for pos, value in enumerate(values):
        number = _number(value)
        if number is None:
            continue
        if not np.isfinite(number):
            raise fail(_where(side, pos, name, ids[pos], source), "a number", describe(value))
        result[pos] = number
    return result


def _check_references(
    table: pd.DataFrame, side: Side, other_ids: Mapping[str, int], source: _Source
) -> None:
    """``preferences`` and ``avoid`` must name ids of the other side, and not the same one."""
    other = _OTHER[side]
    rows = zip(table["id"], table["preferences"], table["avoid"], strict=True)
    for pos, (ident, prefs, avoid) in enumerate(rows):
        for column, named in (("preferences", prefs), ("avoid", avoid)):
            unknown = [x for x in named if x not in other_ids]
            if unknown:
                raise fail(
                    _where(side, pos, column, ident, source),
                    f"ids of the {other} table",
                    f"{unknown[0]!r}, which is not one",
                )
        both = set(prefs) & set(avoid)
        if both:
            raise fail(
                _where(side, pos, "avoid", ident, source),
                "no id that is also in 'preferences'",
                repr(sorted(both)[0]),
            )


@dataclass(frozen=True, init=False, repr=False, eq=False)
class Cohort:
    """The validated participants of one mentoring programme.

    Build one from two DataFrames (``Cohort(students, managers)``, the same
    as :meth:`from_frames`), with :meth:`from_csv`, or with
    :func:`~mentormatch.make_cohort` for synthetic people. The tables are
    validated and normalised on the way in. A cohort never changes after it
    is built, and building it never changes its inputs.

    Parameters
    ----------
    students : pandas.DataFrame
        One row per student (mentor), with at least ``id``, ``programme``
        and ``interests``.
    managers : pandas.DataFrame
        One row per manager (mentee), with at least ``id``, ``unit`` and
        ``interests``.
    value_sep : str, default ";"
        Separator of several values written as text in one cell.

    Attributes
    ----------
    student_ids, manager_ids : tuple of str
        The ids in table order; position *i* is row *i* of every score array.
    student_index, manager_index : mapping of str to int
        The inverse: id to position.

    See Also
    --------
    make_cohort : A synthetic, reproducible cohort.

    Notes
    -----
    The tables have these columns (the sign-up form):

    ============================  ==========  ==========  ==========================
    column                        students    managers    meaning
    ============================  ==========  ==========  ==========================
    ``id``                        required    required    unique, string-like
    ``programme``                 required                the student's programme
    ``unit``                                  required    the manager's unit
    ``education``                             optional    the manager's own education
    ``seeking``                               optional    programmes sought (several)
    ``interests``                 required    required    societal-engagement interests
    ``age``                       optional    optional    perspective attribute (number)
    ``gender``, ``region``        optional    optional    perspective attributes
    ``languages``                 optional    optional    perspective attribute (several)
    ``capacity``                  optional    optional    partners a person can take (1)
    ``preferences``               optional    optional    ranked ids of the other side
    ``avoid``                     optional    optional    ids never to be paired with
    ============================  ==========  ==========  ==========================

    Column names are matched without regard to case or surrounding spaces.
    Several values in one cell are a list, or text split on ``value_sep``;
    items are trimmed, empty items dropped and repeats removed, keeping the
    order. Text with commas but no ``value_sep`` (``"AI-etik, integritet"``,
    a list typed by hand) is split on the commas and reported by
    :meth:`check`: a list is never silently taken as one value. Any other
    column passes through as a copy.

    Values of ``programme``, ``education`` and ``seeking`` (one vocabulary),
    ``interests``, ``languages``, ``region`` and ``gender`` compare without
    regard to case, white space, invisible characters or Unicode
    normalisation: ``"datateknik"`` is ``"Datateknik"``. The tables show the
    first spelling seen (students first, in row order). Ids are
    Unicode-normalised (NFC); two ids that differ only by invisible
    characters or normalisation are an error naming both rows.

    Examples
    --------
    >>> import pandas as pd
    >>> import mentormatch as mm
    >>> students = pd.DataFrame({
    ...     "id": ["s1", "s2"],
    ...     "programme": ["Statsvetenskap", "Sociologi"],
    ...     "interests": ["demokrati; klimat", ["jämställdhet"]],
    ... })
    >>> managers = pd.DataFrame({
    ...     "id": ["m1", "m2"],
    ...     "unit": ["Digital förvaltning", "Kommunikation"],
    ...     "interests": ["klimat", "demokrati;integritet"],
    ...     "capacity": [1, 2],
    ... })
    >>> cohort = mm.Cohort.from_frames(students, managers)
    >>> cohort
    Cohort(2 students, 2 managers)
    >>> cohort.students.loc[0, "interests"]
    ('demokrati', 'klimat')
    >>> cohort.manager_index["m2"]
    1
    """

    _students: pd.DataFrame
    _managers: pd.DataFrame
    # Provenance for messages and check(); set by _build, empty otherwise.
    _sources: ClassVar[Mapping[Side, _Source]] = MappingProxyType({})
    _findings: ClassVar[tuple[_Finding, ...]] = ()
    student_ids: tuple[str, ...]
    manager_ids: tuple[str, ...]
    student_index: Mapping[str, int]
    manager_index: Mapping[str, int]

    def __init__(
        self, students: pd.DataFrame, managers: pd.DataFrame, *, value_sep: str = ";"
    ) -> None:
        findings: list[_Finding] = []
        self._set(*_validated(students, managers, value_sep, "Cohort", findings=findings))
        object.__setattr__(self, "_findings", tuple(findings))

    @classmethod
    def _trusted(cls, students: pd.DataFrame, managers: pd.DataFrame) -> Cohort:
        """A cohort of tables this module has already normalised and checked (no copy)."""
        cohort = cls.__new__(cls)
        cohort._set(students, managers)
        return cohort

    def _set(self, students: pd.DataFrame, managers: pd.DataFrame) -> None:
        student_ids = tuple(students["id"])
        manager_ids = tuple(managers["id"])
        for name, value in (
            ("_students", students),
            ("_managers", managers),
            ("student_ids", student_ids),
            ("manager_ids", manager_ids),
            ("student_index", MappingProxyType({s: i for i, s in enumerate(student_ids)})),
            ("manager_index", MappingProxyType({m: j for j, m in enumerate(manager_ids)})),
        ):
            object.__setattr__(self, name, value)

    @classmethod
    def from_frames(
        cls, students: pd.DataFrame, managers: pd.DataFrame, *, value_sep: str = ";"
    ) -> Cohort:
        """Build a cohort from two DataFrames, one row per person.

        Parameters
        ----------
        students : pandas.DataFrame
            One row per student (mentor), with at least ``id``, ``programme``
            and ``interests``.
        managers : pandas.DataFrame
            One row per manager (mentee), with at least ``id``, ``unit`` and
            ``interests``.
        value_sep : str, default ";"
            Separator of several values written as text in one cell.

        Returns
        -------
        Cohort

        Raises
        ------
        InvalidInputError
            When a table is not a DataFrame, is empty, lacks a required
            column, has an empty or repeated id, a capacity that is not a
            positive integer, an age that is not a number, or a
            ``preferences`` / ``avoid`` id that the other side does not have.
            The message names the table, row id and column.

        Examples
        --------
        >>> import pandas as pd
        >>> import mentormatch as mm
        >>> students = pd.DataFrame({"id": ["s1"], "programme": ["Juridik"], "interests": ["AI-etik"]})
        >>> managers = pd.DataFrame({"id": ["m1"], "unit": ["Innovation och AI"],
        ...                          "interests": ["AI-etik"], "avoid": [["s2"]]})
        >>> mm.Cohort.from_frames(students, managers)
        Traceback (most recent call last):
        ...
        mentormatch.exceptions.InvalidInputError: managers table, row 'm1', column 'avoid': expected ids of the students table, got 's2', which is not one.
        """
        return cls._build(students, managers, value_sep, "Cohort.from_frames")

    @classmethod
    def _build(
        cls,
        students: Any,
        managers: Any,
        value_sep: Any,
        owner: str,
        sources: Mapping[Side, _Source] | None = None,
        params: tuple[str, str] = ("students", "managers"),
    ) -> Cohort:
        """Validate and normalise both tables, then make the cohort, noting where they came from."""
        findings: list[_Finding] = []
        tables = _validated(
            students, managers, value_sep, owner, findings=findings, sources=sources, params=params
        )
        cohort = cls._trusted(*tables)
        if sources is not None:
            object.__setattr__(cohort, "_sources", MappingProxyType(dict(sources)))
        object.__setattr__(cohort, "_findings", tuple(findings))
        return cohort

    @classmethod
    def from_csv(
        cls,
        students_path: str | os.PathLike[str],
        managers_path: str | os.PathLike[str],
        *,
        delimiter: str | None = None,
        value_sep: str = ";",
    ) -> Cohort:
        """Build a cohort from two CSV files, such as sign-up form exports.

        Parameters
        ----------
        students_path, managers_path : str or path-like
            The two files, UTF-8 with or without a byte-order mark.
        delimiter : {None, ",", ";", "\\t"}, default None
            The field delimiter. ``None`` detects it from the header line
            (Swedish Excel exports use ``;``).
        value_sep : str, default ";"
            Separator of several values in one cell. When the field
            delimiter is also ``;``, quote such cells or pick another
            ``value_sep`` (``"|"``, say).

        Returns
        -------
        Cohort

        Raises
        ------
        MissingFileError
            When a file does not exist (also a ``FileNotFoundError``).
        InvalidInputError
            When a file is not UTF-8 text or its contents fail the checks of
            :meth:`from_frames`.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> import mentormatch as mm
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (folder / "students.csv").write_text(
        ...     "id;programme;interests\\ns1;Statsvetenskap;demokrati|klimat\\n", encoding="utf-8-sig")
        >>> _ = (folder / "managers.csv").write_text(
        ...     "id;unit;interests\\nm1;Kommunikation;klimat\\n", encoding="utf-8")
        >>> cohort = mm.Cohort.from_csv(folder / "students.csv", folder / "managers.csv",
        ...                             value_sep="|")
        >>> cohort.students.loc[0, "interests"]
        ('demokrati', 'klimat')
        """
        owner = "Cohort.from_csv"
        if delimiter is not None and delimiter not in {",", ";", "\t"}:
            raise fail(
                param_where("delimiter", owner), "None, ',', ';' or '\\t'", describe(delimiter)
            )
        return cls._from_files(
            students_path,
            managers_path,
            owner,
            kind="csv",
            delimiter=delimiter,
            value_sep=value_sep,
            params=("students_path", "managers_path"),
        )

    @classmethod
    def from_excel(
        cls,
        students: str | os.PathLike[str],
        managers: str | os.PathLike[str],
        *,
        value_sep: str = ";",
    ) -> Cohort:
        """Build a cohort from two Excel workbooks (``.xlsx``), one table each.

        The first sheet of each workbook is read, its first row being the
        column names. Needs the optional extra ``excel``
        (``pip install 'mentormatch-pairing[excel]'``, which brings openpyxl).

        Parameters
        ----------
        students, managers : str or path-like
            The two workbooks.
        value_sep : str, default ";"
            Separator of several values in one cell.

        Returns
        -------
        Cohort

        Raises
        ------
        MissingFileError
            When a file does not exist.
        InvalidInputError
            When a file is not a readable workbook, openpyxl is missing (the
            message names the extra to install), or the contents fail the
            checks of :meth:`from_frames`; messages name the spreadsheet line.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> import mentormatch as mm
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> mm.make_cohort(3, 2, rng=0).to_excel(folder / "s.xlsx", folder / "m.xlsx")
        >>> mm.Cohort.from_excel(folder / "s.xlsx", folder / "m.xlsx")
        Cohort(3 students, 2 managers)
        """
        return cls._from_files(
            students, managers, "Cohort.from_excel", kind="excel", value_sep=value_sep
        )

    @classmethod
    def read(
        cls,
        students: str | os.PathLike[str],
        managers: str | os.PathLike[str],
        *,
        delimiter: str | None = None,
        value_sep: str = ";",
    ) -> Cohort:
        """Build a cohort from two files, each read by its suffix.

        ``.xlsx`` (and ``.xlsm``) as with :meth:`from_excel`, ``.tsv`` as
        tab-separated, anything else (``.csv``, ``.txt``) as with
        :meth:`from_csv`.

        Parameters
        ----------
        students, managers : str or path-like
        delimiter : {None, ",", ";", "\\t"}, default None
            For CSV files; ``None`` detects it.
        value_sep : str, default ";"

        Returns
        -------
        Cohort

        Examples
        --------
        >>> import tempfile, pathlib
        >>> import mentormatch as mm
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> cohort = mm.make_cohort(3, 2, rng=0)
        >>> cohort.to_csv(folder / "s.csv", folder / "m.csv")
        >>> cohort.to_excel(folder / "s.xlsx", folder / "m.xlsx")
        >>> mm.Cohort.read(folder / "s.csv", folder / "m.xlsx") == cohort
        True
        """
        owner = "Cohort.read"
        if delimiter is not None and delimiter not in {",", ";", "\t"}:
            raise fail(
                param_where("delimiter", owner), "None, ',', ';' or '\\t'", describe(delimiter)
            )
        return cls._from_files(
            students, managers, owner, kind="any", delimiter=delimiter, value_sep=value_sep
        )

    @classmethod
    def _from_files(
        cls,
        students: Any,
        managers: Any,
        owner: str,
        *,
        kind: str,
        value_sep: Any,
        delimiter: str | None = None,
        params: tuple[str, str] = ("students", "managers"),
    ) -> Cohort:
        tables = [
            _io.read_table(path, param=param, owner=owner, delimiter=delimiter, kind=kind)
            for path, param in zip((students, managers), params, strict=True)
        ]
        sources: dict[Side, _Source] = {
            "students": _Source(tables[0].source, tables[0].lines, tables[0].blank_lines),
            "managers": _Source(tables[1].source, tables[1].lines, tables[1].blank_lines),
        }
        return cls._build(tables[0].frame, tables[1].frame, value_sep, owner, sources, params)

    @property
    def students(self) -> pd.DataFrame:
        """The normalised students table (a copy: the cohort itself never changes)."""
        return self._students.copy()

    @property
    def managers(self) -> pd.DataFrame:
        """The normalised managers table (a copy: the cohort itself never changes)."""
        return self._managers.copy()

    @property
    def student_capacity(self) -> NDArray[np.int64]:
        """How many managers each student can take, in table order (a copy)."""
        return self._students["capacity"].to_numpy(np.int64, copy=True)

    @property
    def manager_capacity(self) -> NDArray[np.int64]:
        """How many students each manager can take, in table order (a copy)."""
        return self._managers["capacity"].to_numpy(np.int64, copy=True)

    @property
    def n_students(self) -> int:
        """The number of students."""
        return len(self.student_ids)

    @property
    def n_managers(self) -> int:
        """The number of managers."""
        return len(self.manager_ids)

    def columns(self, side: Side) -> tuple[str, ...]:
        """The column names of one side's normalised table.

        Parameters
        ----------
        side : {"students", "managers"}

        Returns
        -------
        tuple of str

        Examples
        --------
        >>> import mentormatch as mm
        >>> mm.make_cohort(2, 2, rng=0).columns("students")[:3]
        ('id', 'programme', 'interests')
        """
        return tuple(self._side(side, "Cohort.columns").columns)

    def column(self, side: Side, name: str) -> NDArray[Any]:
        """One column of one side's table, in table order, read-only (no copy).

        Parameters
        ----------
        side : {"students", "managers"}
        name : str
            A column of that side (see :meth:`columns`).

        Returns
        -------
        ndarray of shape (n,)
            A read-only view: several values in one cell are tuples.

        Examples
        --------
        >>> import mentormatch as mm
        >>> cohort = mm.make_cohort(3, 2, rng=0)
        >>> cohort.column("managers", "id").tolist()
        ['m01', 'm02']
        >>> cohort.column("students", "capacity").flags.writeable
        False
        """
        owner = "Cohort.column"
        table = self._side(side, owner)
        check_option(name, "name", owner, tuple(table.columns))
        view = table[name].to_numpy().view()
        view.flags.writeable = False
        return view

    def _side(self, side: Side, owner: str) -> pd.DataFrame:
        check_option(side, "side", owner, ("students", "managers"))
        return self._students if side == "students" else self._managers

    def table(self, side: Side) -> pd.DataFrame:
        """The normalised table of one side, by name (a copy); deprecated.

        .. deprecated:: 0.1.0
            Use :attr:`students` or :attr:`managers` for a table, and
            :meth:`column` for one column.

        Parameters
        ----------
        side : {"students", "managers"}

        Returns
        -------
        pandas.DataFrame

        Examples
        --------
        >>> import mentormatch as mm
        >>> mm.make_cohort(2, 2, rng=0).students.shape[0]  # instead of .table("students")
        2
        """
        warnings.warn(
            "Cohort.table(side) is deprecated: use Cohort.students, Cohort.managers "
            "or Cohort.column(side, name)",
            DeprecationWarning,
            stacklevel=2,
        )
        return self._side(side, "Cohort.table").copy()

    def without(self, *, students: Iterable[str] = (), managers: Iterable[str] = ()) -> Cohort:
        """A cohort without some people: for re-matching after a drop-out.

        Their ids are also removed from everyone's ``avoid`` and
        ``preferences`` lists.

        Parameters
        ----------
        students, managers : iterable of str
            Ids of the people who left.

        Returns
        -------
        Cohort

        Raises
        ------
        InvalidInputError
            When an id is not in the cohort, or a side would be left empty.

        Examples
        --------
        >>> import mentormatch as mm
        >>> cohort = mm.make_cohort(8, 8, rng=0)
        >>> cohort.without(students=["s05"], managers=["m03"])
        Cohort(7 students, 7 managers)
        """
        owner = "Cohort.without"
        gone: dict[Side, set[str]] = {}
        sides: tuple[tuple[Side, Iterable[str], Mapping[str, int]], ...] = (
            ("students", students, self.student_index),
            ("managers", managers, self.manager_index),
        )
        for side, ids, index in sides:
            if isinstance(ids, str):
                ids = [ids]
            if not isinstance(ids, Iterable):
                raise fail(param_where(side, owner), "an iterable of ids", describe(ids))
            named = set(ids)
            unknown = sorted(named - set(index))
            if unknown:
                raise fail(param_where(side, owner), f"ids of the {side} table", repr(unknown[0]))
            gone[side] = named
        tables = []
        pairs: tuple[tuple[Side, pd.DataFrame], ...] = (
            ("students", self._students),
            ("managers", self._managers),
        )
        for side, table in pairs:
            kept = table[~table["id"].isin(gone[side])].reset_index(drop=True)
            other = gone[_OTHER[side]]
            if other:
                for column in ("avoid", "preferences"):
                    kept[column] = [tuple(x for x in v if x not in other) for v in kept[column]]
            if len(kept) == 0:
                raise fail(param_where(side, owner), f"to leave at least one of the {side}", "all")
            tables.append(kept)
        cohort = Cohort._trusted(tables[0], tables[1])
        # The files stay protected from writers; the line numbers no longer fit the rows.
        sources = {side: _Source(source.name) for side, source in self._sources.items()}
        object.__setattr__(cohort, "_sources", MappingProxyType(sources))
        return cohort

    def to_frames(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The two tables in input form: several values as lists.

        ``Cohort.from_frames(*cohort.to_frames())`` rebuilds an equal cohort.

        Returns
        -------
        students, managers : pandas.DataFrame

        Examples
        --------
        >>> import mentormatch as mm
        >>> students, managers = mm.make_cohort(3, 2, rng=0).to_frames()
        >>> list(students["id"]), list(managers["id"])
        (['s01', 's02', 's03'], ['m01', 'm02'])
        """
        return _as_lists(self._students), _as_lists(self._managers)

    def to_csv(
        self,
        students_path: str | os.PathLike[str],
        managers_path: str | os.PathLike[str],
        *,
        delimiter: str = ",",
        value_sep: str = ";",
        force: bool = False,
    ) -> None:
        """Write the two tables as UTF-8 CSV files that :meth:`from_csv` reads back.

        Text that a spreadsheet could take for a formula (``=``, ``+``,
        ``-``, ``@`` first) is written with a leading ``'``;
        :meth:`from_csv` reads it back without.

        Parameters
        ----------
        students_path, managers_path : str or path-like
        delimiter : str, default ","
        value_sep : str, default ";"
            Joins several values in one cell.
        force : bool, default False
            Overwrite existing files. A file this cohort was read from is
            never overwritten.

        Raises
        ------
        InvalidInputError
            When a value contains ``value_sep`` and so could not be read
            back, or a file exists (without ``force``) or is an input file.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> import mentormatch as mm
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> cohort = mm.make_cohort(4, 4, rng=1)
        >>> cohort.to_csv(folder / "s.csv", folder / "m.csv")
        >>> mm.Cohort.from_csv(folder / "s.csv", folder / "m.csv") == cohort
        True
        """
        self._write(students_path, managers_path, "to_csv", force, delimiter, value_sep)

    def to_excel(
        self,
        students_path: str | os.PathLike[str],
        managers_path: str | os.PathLike[str],
        *,
        value_sep: str = ";",
        force: bool = False,
    ) -> None:
        """Write the two tables as Excel workbooks that :meth:`from_excel` reads back.

        Needs the optional extra ``excel``. Cells are written as text, never
        as formulas.

        Parameters
        ----------
        students_path, managers_path : str or path-like
        value_sep : str, default ";"
            Joins several values in one cell.
        force : bool, default False
            Overwrite existing files. A file this cohort was read from is
            never overwritten.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> import mentormatch as mm
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> cohort = mm.make_cohort(4, 4, rng=1)
        >>> cohort.to_excel(folder / "s.xlsx", folder / "m.xlsx")
        >>> mm.Cohort.from_excel(folder / "s.xlsx", folder / "m.xlsx") == cohort
        True
        """
        self._write(students_path, managers_path, "to_excel", force, None, value_sep)

    def _write(
        self,
        students_path: Any,
        managers_path: Any,
        method: str,
        force: bool,
        delimiter: str | None,
        value_sep: str,
    ) -> None:
        owner = f"Cohort.{method}"
        force = check_flag(force, param_where("force", owner))
        if delimiter is not None:
            check_option(delimiter, "delimiter", owner, (",", ";", "\t"))
        if not isinstance(value_sep, str) or not value_sep or value_sep == delimiter:
            raise fail(
                param_where("value_sep", owner),
                "a non-empty string other than the delimiter",
                describe(value_sep),
            )
        protect = [src.name for src in self._sources.values() if src.name is not None]
        texts = [
            _to_text(self._students, "students", value_sep),
            _to_text(self._managers, "managers", value_sep),
        ]
        paths = ((students_path, "students_path"), (managers_path, "managers_path"))
        for path, param in paths:
            _io.check_target(path, param=param, owner=owner, protect=protect, force=force)
        for text, (path, param) in zip(texts, paths, strict=True):
            if delimiter is None:
                _io.write_excel(
                    {"Sheet1": text}, path, param=param, owner=owner, protect=protect, force=True
                )
            else:
                _io.write_csv(
                    text,
                    path,
                    param=param,
                    owner=owner,
                    protect=protect,
                    force=True,
                    sep=delimiter,
                )

    def check(self) -> pd.DataFrame:
        """What in the sign-up data looks wrong, with a suggestion for each.

        Finds values that will silently score 0: a ``programme``,
        ``seeking`` value or interest that matches nothing on the other side
        and nothing built in (with the closest known spelling as the
        suggestion); people with no allowed partner (their ``avoid`` lists
        and the other side's cover everyone); a capacity larger than the
        partners a person can have; ids that look like another's (the same
        but for case) or hold invisible characters; lists typed with commas
        (split, see the Notes of :class:`Cohort`); blank rows skipped in a
        file. Nothing here stops a pairing: it is a list to look through.

        Returns
        -------
        pandas.DataFrame
            One row per finding, columns ``side``, ``id``, ``line`` (the
            spreadsheet line when read from a file), ``column``, ``value``,
            ``problem`` and ``suggestion``. Empty when nothing is found.

        Examples
        --------
        >>> import pandas as pd
        >>> import mentormatch as mm
        >>> students = pd.DataFrame({"id": ["s1", "s2"],
        ...                          "programme": ["Statsvetenskapliga programmet", "Juridik"],
        ...                          "interests": ["demokrati", "AI-etik, integritet"]})
        >>> managers = pd.DataFrame({"id": ["m1"], "unit": ["Kommunikation"],
        ...                          "interests": ["demokrati;integritet"]})
        >>> found = mm.Cohort.from_frames(students, managers).check()
        >>> for row in found.itertuples():
        ...     print(row.id, row.column, repr(row.value), "->", row.suggestion)
        s2 interests 'AI-etik, integritet' -> separate several values with ';'
        s1 programme 'Statsvetenskapliga programmet' -> did you mean 'Statsvetenskap'?
        """
        return _check(self)

    def __len__(self) -> int:
        """The number of participants, students and managers together."""
        return self.n_students + self.n_managers

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Cohort):
            return NotImplemented
        return self._students.equals(other._students) and self._managers.equals(other._managers)

    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self) -> tuple[Any, ...]:
        # A cohort travels to other processes (executor=, a Dask cluster) as its
        # tables and provenance; the id indexes are read-only mappings, which do
        # not pickle, and are rebuilt from the tables on arrival.
        state = (self._students, self._managers, dict(self._sources), self._findings)
        return (_unpickle_cohort, state)

    def __repr__(self) -> str:
        return f"Cohort({self.n_students} students, {self.n_managers} managers)"

    def _repr_html_(self) -> str:
        # Ids and counts only: the tables hold personal data.
        def row(side: str, table: pd.DataFrame) -> str:
            ids = ", ".join(html.escape(i) for i in table["id"][:8])
            more = f", … (+{len(table) - 8})" if len(table) > 8 else ""
            cols = ", ".join(html.escape(c) for c in table.columns if c != "id")
            return (
                f"<tr><th>{side}</th><td>{len(table)}</td><td>{int(table['capacity'].sum())}</td>"
                f"<td>{ids}{more}</td><td>{cols}</td></tr>"
            )

        return (
            "<table><caption>Cohort</caption>"
            "<tr><th></th><th>people</th><th>places</th><th>ids</th><th>columns</th></tr>"
            f"{row('students', self._students)}{row('managers', self._managers)}</table>"
        )


#: The columns of :meth:`Cohort.check`'s table.
CHECK_COLUMNS: Final = ("side", "id", "line", "column", "value", "problem", "suggestion")


def _unpickle_cohort(
    students: pd.DataFrame,
    managers: pd.DataFrame,
    sources: dict[Side, _Source],
    findings: tuple[_Finding, ...],
) -> Cohort:
    """The cohort :meth:`Cohort.__reduce__` sent: already validated, so trusted."""
    cohort = Cohort._trusted(students, managers)
    if sources:
        object.__setattr__(cohort, "_sources", MappingProxyType(sources))
    object.__setattr__(cohort, "_findings", findings)
    return cohort


def _closest(value: str, candidates: Mapping[str, str]) -> str | None:
    """The known spelling nearest to ``value``: containment first, then difflib's ratio.

    ``candidates`` maps vocabulary keys to the spelling to show.
    """
    key = vocabulary_key(value)
    inside = [k for k in candidates if len(k) >= 4 and (k in key or key in k)]
    if inside:
        return candidates[max(inside, key=len)]
    near = difflib.get_close_matches(key, list(candidates), n=1, cutoff=0.6)
    return candidates[near[0]] if near else None


def _keys(values: Iterable[Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for value in values:
        if isinstance(value, tuple):
            for item in value:
                out.setdefault(vocabulary_key(item), item)
        elif isinstance(value, str):
            out.setdefault(vocabulary_key(value), value)
    return out


def _check(cohort: Cohort) -> pd.DataFrame:
    """The findings of :meth:`Cohort.check`, one row each."""
    tables: dict[Side, pd.DataFrame] = {"students": cohort._students, "managers": cohort._managers}
    sources = {side: cohort._sources.get(side, _Source()) for side in tables}
    rows: list[tuple[Any, ...]] = []

    def add(
        side: Side, pos: int | None, column: str | None, value: Any, problem: str, hint: Any
    ) -> None:
        lines = sources[side].lines
        line = lines[pos] if lines is not None and pos is not None else None
        ident = tables[side]["id"].iloc[pos] if pos is not None else None
        rows.append((side, ident, line, column, value, problem, hint))

    for side in tables:
        for line in sources[side].blank_lines:
            rows.append((side, None, line, None, "", "a blank row, skipped", "delete the row"))
    for finding in cohort._findings:
        side = "students" if finding.side == "students" else "managers"
        add(side, finding.pos, finding.column, finding.value, finding.problem, finding.suggestion)

    # Vocabulary that matches nothing on the other side and nothing built in.
    s, m = tables["students"], tables["managers"]
    programmes_sought = _keys([*m["seeking"], *m["education"]])
    vocab_checks: tuple[tuple[Side, str, dict[str, str], dict[str, str], str], ...] = (
        (
            "students",
            "programme",
            programmes_sought,
            _keys(PROGRAMMES),
            "no manager seeks it or has it as 'education', and it is not a built-in programme",
        ),
        (
            "managers",
            "seeking",
            _keys(s["programme"]),
            _keys(PROGRAMMES),
            "no student has this programme, and it is not a built-in programme",
        ),
        (
            "students",
            "interests",
            _keys(m["interests"]),
            _keys(INTERESTS),
            "no manager has this interest, and it is not a built-in interest",
        ),
        (
            "managers",
            "interests",
            _keys(s["interests"]),
            _keys(INTERESTS),
            "no student has this interest, and it is not a built-in interest",
        ),
    )
    for side, column, theirs, builtin, problem in vocab_checks:
        known = {**builtin, **theirs}
        reported: set[str] = set()
        for pos, cell in enumerate(tables[side][column]):
            for value in cell if isinstance(cell, tuple) else (cell,):
                key = vocabulary_key(value)
                if key in known or key in reported:
                    continue
                reported.add(key)
                hint = _closest(value, known)
                add(side, pos, column, value, problem, f"did you mean {hint!r}?" if hint else None)

    # People nobody may be paired with, and capacity that cannot be used.
    for side in tables:
        partners: Side = _OTHER[side]
        n_other = len(tables[partners])
        avoided_by: dict[str, set[str]] = {}
        for other_id, avoid in zip(tables[partners]["id"], tables[partners]["avoid"], strict=True):
            for ident in avoid:
                avoided_by.setdefault(ident, set()).add(other_id)
        for pos, (ident, avoid, capacity) in enumerate(
            zip(tables[side]["id"], tables[side]["avoid"], tables[side]["capacity"], strict=True)
        ):
            open_ = n_other - len(set(avoid) | avoided_by.get(ident, set()))
            if open_ == 0:
                add(
                    side,
                    pos,
                    "avoid",
                    None,
                    f"no allowed partner: every one of the {partners} is avoided",
                    "remove some ids from 'avoid'",
                )
            elif capacity > open_:
                add(
                    side,
                    pos,
                    "capacity",
                    int(capacity),
                    f"capacity {capacity}, but only {open_} of the {partners} can be paired with them",
                    f"lower it to {open_}",
                )

    # Ids that look alike (the same but for case); invisible characters in ids.
    for side, table in tables.items():
        first: dict[str, int] = {}
        for pos, ident in enumerate(table["id"]):
            if any(unicodedata.category(ch) in ("Cf", "Cc") for ch in ident):
                add(side, pos, "id", ascii(ident), "an id with invisible characters", "retype it")
            key = vocabulary_key(ident)
            if key in first:
                other_pos = first[key]
                add(
                    side,
                    pos,
                    "id",
                    ident,
                    f"looks like the id {table['id'].iloc[other_pos]!r} of another person",
                    "check whether they are the same person",
                )
            else:
                first[key] = pos

    # In the order of the files: students first, then by spreadsheet line.
    order = {"students": 0, "managers": 1}
    rows.sort(key=lambda r: (order[r[0]], r[2] if r[2] is not None else float("inf")))
    frame = pd.DataFrame(rows, columns=list(CHECK_COLUMNS), dtype=object)
    frame["line"] = pd.array(frame["line"].tolist(), dtype="Int64")
    return frame


def _as_lists(table: pd.DataFrame) -> pd.DataFrame:
    out = table.copy()
    for name in MULTI_VALUED:
        if name in out.columns:
            out[name] = [list(v) for v in out[name]]
    return out


def _to_text(table: pd.DataFrame, side: str, value_sep: str) -> pd.DataFrame:
    out = table.copy()
    for name in MULTI_VALUED:
        if name not in out.columns:
            continue
        for ident, items in zip(out["id"], out[name], strict=True):
            clash = next((x for x in items if value_sep in x), None)
            if clash is not None:
                raise fail(
                    table_where(side, ident, name),
                    f"values without the separator {value_sep!r}",
                    repr(clash),
                )
        out[name] = [value_sep.join(v) for v in out[name]]
    return out
