"""mentormatch: pair student mentors with manager mentees, and show the pairing is good.

Score every candidate pair, solve the pairing, then explain and measure it::

    import mentormatch as mm

    cohort = mm.make_cohort(n_students=8, n_managers=8, rng=0)
"""

from mentormatch import criteria, metrics, plot, pricing, report, solvers
from mentormatch.analysis import Sensitivity, alternatives, compare, sensitivity
from mentormatch.blocks import Block, BlockScorer, LazyScores
from mentormatch.cohort import Cohort, MissingFileError
from mentormatch.evaluation import Calibration, Evaluation, calibrate, evaluate, make_ratings
from mentormatch.exceptions import (
    InfeasibleError,
    InvalidInputError,
    MentorMatchError,
    MentorMatchWarning,
    UnreliableFitWarning,
)
from mentormatch.explanation import PairExplanation
from mentormatch.large import match_large
from mentormatch.matching import Matching, match
from mentormatch.metrics import partner_ranks
from mentormatch.pricing import Certificate
from mentormatch.scoring import Scorer, Scores
from mentormatch.synthetic import make_cohort

__all__ = [
    "Block",
    "BlockScorer",
    "Calibration",
    "Certificate",
    "Cohort",
    "Evaluation",
    "InfeasibleError",
    "InvalidInputError",
    "LazyScores",
    "Matching",
    "MentorMatchError",
    "MentorMatchWarning",
    "MissingFileError",
    "PairExplanation",
    "Scorer",
    "Scores",
    "Sensitivity",
    "UnreliableFitWarning",
    "alternatives",
    "calibrate",
    "compare",
    "criteria",
    "evaluate",
    "make_cohort",
    "make_ratings",
    "match",
    "match_large",
    "metrics",
    "partner_ranks",
    "plot",
    "pricing",
    "report",
    "sensitivity",
    "solvers",
]

__version__ = "0.1.0"
