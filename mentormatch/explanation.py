"""Why one pair scores what it does: :class:`PairExplanation`.

Made by :meth:`Scores.explain <mentormatch.Scores.explain>`, which hands its
arrays to :func:`explain_pair`; this module reads them and never scores.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from mentormatch import rules
from mentormatch._catalogue import discipline_of
from mentormatch._validation import is_missing
from mentormatch.cohort import CATEGORICAL_ATTRIBUTES, NUMERIC_ATTRIBUTES, Cohort, Side

if TYPE_CHECKING:  # annotations only: scoring imports this module, not the other way
    from mentormatch.scoring import Scores

__all__ = ["PairExplanation", "explain_pair", "pair_fields"]


def pair_fields(scores: Scores) -> list[str]:
    """The fields of :meth:`Scores._pair_fields` that an explanation reads."""
    return [
        "total",
        "allowed",
        *(f"components/{name}" for name in scores.components),
        *(f"forbidden/{name}" for name in scores.forbidden),
    ]


def explain_pair(
    scores: Scores, i: int, j: int, values: Mapping[str, Any] | None = None
) -> PairExplanation:
    """The explanation of the pair in row ``i``, column ``j`` of ``scores``.

    ``values``: the pair's :func:`pair_fields`, when they were read already
    (for many pairs at once); otherwise they are read here, all together.
    """
    if values is None:
        fields = pair_fields(scores)
        read = scores._pair_fields(
            fields, np.array([i], dtype=np.intp), np.array([j], dtype=np.intp)
        )
        values = {field: value[0] for field, value in zip(fields, read, strict=True)}
    student_id, manager_id = scores.student_ids[i], scores.manager_ids[j]
    norm = sum(scores.weights.values())
    total = float(values["total"])
    table = pd.DataFrame(
        {
            "criterion": list(scores.components),
            "value": [float(values[f"components/{name}"]) for name in scores.components],
            "weight": [scores.weights[name] / norm for name in scores.components],
        }
    )
    table["contribution"] = table["value"] * table["weight"]
    s = _person(scores.cohort, "students", i)
    m = _person(scores.cohort, "managers", j)
    theirs = set(m["interests"])  # once: the test below is then linear
    shared = tuple(x for x in s["interests"] if x in theirs)
    differs, same = _compare_attributes(s, m)
    reasons = tuple(
        rules.reason(rule, student_id, manager_id, total)
        for rule in scores.forbidden
        if values[f"forbidden/{rule}"]
    )
    return PairExplanation(
        student_id=student_id,
        manager_id=manager_id,
        total=total,
        allowed=bool(values["allowed"]),
        criteria=table,
        shared_interests=shared,
        differs=differs,
        same=same,
        student_rank=_rank(s["preferences"], manager_id),
        manager_rank=_rank(m["preferences"], student_id),
        forbidden_by=reasons,
    )


def _person(cohort: Cohort, side: Side, position: int) -> dict[str, Any]:
    """One row of a side's table, by column name."""
    return {name: cohort.column(side, name)[position] for name in cohort.columns(side)}


def _compare_attributes(
    s: Mapping[str, Any], m: Mapping[str, Any]
) -> tuple[tuple[tuple[str, str, str], ...], tuple[str, ...]]:
    """Which perspective attributes differ, and which are the same, for one pair."""
    differs: list[tuple[str, str, str]] = []
    same: list[str] = []
    pairs: list[tuple[str, Any, Any]] = [("background", s.get("programme"), m.get("education"))]
    pairs += [(a, s.get(a), m.get(a)) for a in (*NUMERIC_ATTRIBUTES, *CATEGORICAL_ATTRIBUTES)]
    if "languages" in s and "languages" in m:
        pairs.append(("languages", ", ".join(s["languages"]), ", ".join(m["languages"])))
    for name, a, b in pairs:
        if _blank(a) or _blank(b):
            continue
        # Backgrounds differ by discipline group, not by programme name.
        differ = discipline_of(a) != discipline_of(b) if name == "background" else a != b
        if differ:
            differs.append((name, _show(a), _show(b)))
        else:
            same.append(name)
    return tuple(differs), tuple(same)


def _blank(value: Any) -> bool:
    return is_missing(value) or value == ""


def _show(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _rank(preferences: tuple[str, ...], ident: str) -> int | None:
    return preferences.index(ident) + 1 if ident in preferences else None


@dataclass(frozen=True)
class PairExplanation:
    """Why one student-manager pair scores what it does.

    Made by :meth:`Scores.explain`; ``print`` it for a short report.

    Attributes
    ----------
    student_id, manager_id : str
    total : float
    allowed : bool
    criteria : pandas.DataFrame
        One row per criterion: ``value``, normalised ``weight`` and
        ``contribution`` (value x weight; the contributions sum to
        ``total``).
    shared_interests : tuple of str
    differs : tuple of (attribute, student's value, manager's value)
    same : tuple of str
        Attributes on which the two are alike.
    student_rank, manager_rank : int or None
        Where each ranked the other in their stated ``preferences``.
    forbidden_by : tuple of str
        The hard rules that forbid the pair, if any.

    Examples
    --------
    >>> import mentormatch as mm
    >>> scores = mm.Scorer().score(mm.make_cohort(2, 2, rng=0))
    >>> explanation = scores.explain("s01", "m02")
    >>> float(explanation.criteria["contribution"].sum()) == explanation.total
    True
    """

    student_id: str
    manager_id: str
    total: float
    allowed: bool
    criteria: pd.DataFrame
    shared_interests: tuple[str, ...]
    differs: tuple[tuple[str, str, str], ...]
    same: tuple[str, ...]
    student_rank: int | None
    manager_rank: int | None
    forbidden_by: tuple[str, ...]

    def __str__(self) -> str:
        status = "allowed" if self.allowed else "forbidden by " + "; ".join(self.forbidden_by)
        lines = [f"{self.student_id} and {self.manager_id}: total {self.total:.2f}, {status}"]
        body = self.criteria.to_string(
            index=False, float_format=lambda v: f"{v:.2f}", justify="right"
        )
        lines += ["  " + line for line in body.splitlines()]
        if self.shared_interests:
            lines.append("  shared interests: " + ", ".join(self.shared_interests))
        else:
            lines.append("  shared interests: none")
        if self.differs:
            lines.append(
                "  differs in: " + ", ".join(f"{a} ({x} vs {y})" for a, x, y in self.differs)
            )
        if self.student_rank is not None:
            lines.append(f"  {self.student_id} ranked {self.manager_id} #{self.student_rank}")
        if self.manager_rank is not None:
            lines.append(f"  {self.manager_id} ranked {self.student_id} #{self.manager_rank}")
        return "\n".join(lines)

    def one_line(self) -> str:
        """The gist in one line: shared interests, background, strongest criterion.

        Returns
        -------
        str
            The parts joined by "; ".

        Examples
        --------
        >>> import mentormatch as mm
        >>> scores = mm.Scorer().score(mm.make_cohort(2, 2, rng=0))
        >>> print(scores.explain("s01", "m01").one_line())
        shares digital inklusion, cybersäkerhet; different background (Lärarprogrammet vs Systemvetenskap); strongest: diversity 0.83
        """
        parts = []
        if self.shared_interests:
            parts.append("shares " + ", ".join(self.shared_interests))
        else:
            parts.append("no shared interests")
        background = next((d for d in self.differs if d[0] == "background"), None)
        if background is not None:
            parts.append(f"different background ({background[1]} vs {background[2]})")
        elif "background" in self.same:
            parts.append("same background")
        best = int(np.argmax(self.criteria["contribution"].to_numpy()))
        name, value = self.criteria["criterion"].iloc[best], self.criteria["value"].iloc[best]
        parts.append(f"strongest: {name} {value:.2f}")
        if self.student_rank is not None:
            parts.append(f"{self.student_id}'s wish #{self.student_rank}")
        if self.manager_rank is not None:
            parts.append(f"{self.manager_id}'s wish #{self.manager_rank}")
        if not self.allowed:
            parts.append("forbidden by " + "; ".join(self.forbidden_by))
        return "; ".join(parts)

    def __repr__(self) -> str:
        return self.__str__()
