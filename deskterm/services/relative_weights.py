"""Johnson's relative weights: each predictor's share of R² in a standardized regression.

Plain correlation gives a driver credit for whatever moves together with it: a driver
with no effect of its own ranks high when it is correlated with one that matters.
Relative weights (Johnson 2000) split the model's R² among correlated predictors: the
predictors are replaced by their closest orthogonal counterparts Z (Z = X R^-1/2), the
outcome is regressed on Z (β = R^-1/2 r), and each predictor gets back the part of each
Z's contribution it is made of (ε_j = Σ_k (R^1/2)_jk² β_k²). The weights sum to R².

Pure Python on purpose: the matrices are at most 7x7 (the survey's drivers), so a
cyclic Jacobi eigen-decomposition is exact enough and fast; nothing needs numpy.

The correlations are pairwise-complete (each pair from the responses that answered
both), because a survey asks only some drivers of each customer: keeping only complete
responses would throw most of them away. A pairwise matrix need not be positive
definite; eigenvalues below `EIGEN_FLOOR` are raised to it, the usual repair.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain
from operator import itemgetter

Matrix = list[list[float]]
#: Eigenvalues of a (pairwise) correlation matrix below this are raised to it.
EIGEN_FLOOR = 1e-6
#: A row of scores: the outcome first, then each predictor; None where not answered.
Row = tuple[float | None, ...]


def pearson(pairs: Sequence[tuple[float, float]]) -> float | None:
    """Pearson's r of (x, y) pairs; None when there are fewer than 2 or a side does not vary."""
    n = len(pairs)
    if n < 2:
        return None
    mean_x = sum(p[0] for p in pairs) / n
    mean_y = sum(p[1] for p in pairs) / n
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in pairs)
    sxx = sum((x - mean_x) ** 2 for x, _ in pairs)
    syy = sum((y - mean_y) ** 2 for _, y in pairs)
    if sxx == 0 or syy == 0:
        return None
    return round(sxy / math.sqrt(sxx * syy), 3)


def symmetric_eigen(matrix: Matrix) -> tuple[list[float], Matrix]:
    """Eigenvalues and eigenvectors (the columns of the second) of a symmetric matrix,
    by cyclic Jacobi rotations."""
    n = len(matrix)
    a = [list(row) for row in matrix]
    v = [[1.0 if i == j else 0.0 for j in range(n)] for i in range(n)]
    for _sweep in range(100):
        off = sum(a[i][j] ** 2 for i in range(n) for j in range(n) if i != j)
        if off < 1e-24:
            break
        for p in range(n - 1):
            for q in range(p + 1, n):
                if abs(a[p][q]) < 1e-300:
                    continue
                theta = (a[q][q] - a[p][p]) / (2 * a[p][q])
                t = math.copysign(1.0, theta) / (abs(theta) + math.sqrt(theta * theta + 1))
                c = 1 / math.sqrt(t * t + 1)
                s = t * c
                for k in range(n):
                    akp, akq = a[k][p], a[k][q]
                    a[k][p], a[k][q] = c * akp - s * akq, s * akp + c * akq
                for k in range(n):
                    apk, aqk = a[p][k], a[q][k]
                    a[p][k], a[q][k] = c * apk - s * aqk, s * apk + c * aqk
                for k in range(n):
                    vkp, vkq = v[k][p], v[k][q]
                    v[k][p], v[k][q] = c * vkp - s * vkq, s * vkp + c * vkq
    return [a[i][i] for i in range(n)], v


def relative_weights(predictors: Matrix, outcome: Sequence[float]) -> list[float]:
    """Johnson's raw relative weights of each predictor, from the predictors' correlation
    matrix and their correlations with the outcome. They sum to the model's R²."""
    values, vectors = symmetric_eigen(predictors)
    n = len(values)
    roots = [math.sqrt(max(value, EIGEN_FLOOR)) for value in values]

    def power(exponent: int) -> Matrix:  # R^(exponent/2)
        return [[sum(vectors[i][k] * roots[k] ** exponent * vectors[j][k] for k in range(n))
                 for j in range(n)] for i in range(n)]

    half, inverse_half = power(1), power(-1)
    beta = [sum(inverse_half[k][j] * outcome[j] for j in range(n)) for k in range(n)]
    return [sum(half[j][k] ** 2 * beta[k] ** 2 for k in range(n)) for j in range(n)]


@dataclass(frozen=True)
class Importance:
    """Each predictor's share of R² (0-1, summing to 1) with a bootstrap interval."""

    shares: list[float]
    low: list[float]
    high: list[float]
    r_squared: float
    #: Resamples that gave a model (a resample where nothing varies gives none).
    resamples: int


#: One pair's patterns that answered both, grouped by their two values: (x, y, the
#: patterns' indexes) for groups of two or more, (x, y, the index) for a lone pattern.
Cells = tuple[list[tuple[float, float, "itemgetter[tuple[int, ...]]"]],
              list[tuple[float, float, int]]]


class _Sums:
    """Rows folded to distinct patterns, so a resample is a weight per pattern. A pair's
    pairwise-complete correlation comes from the summed weight of each (x, y) value cell
    of the patterns that answered both: survey scores take few values, so a pair has a
    few dozen cells however many responses there are."""

    def __init__(self, rows: Sequence[Row]) -> None:
        counted = Counter(rows)
        self.patterns = list(counted)
        self.counts = [counted[p] for p in self.patterns]
        self.width = len(self.patterns[0]) if self.patterns else 0
        self.pairs: dict[tuple[int, int], Cells] = {}
        for i in range(self.width):
            for j in range(i + 1, self.width):
                cells: dict[tuple[float, float], list[int]] = {}
                for n, pattern in enumerate(self.patterns):
                    x, y = pattern[i], pattern[j]
                    if x is not None and y is not None:
                        cells.setdefault((float(x), float(y)), []).append(n)
                self.pairs[(i, j)] = (
                    [(x, y, itemgetter(*ns)) for (x, y), ns in cells.items() if len(ns) > 1],
                    [(x, y, ns[0]) for (x, y), ns in cells.items() if len(ns) == 1])

    def correlation(self, i: int, j: int, weights: Sequence[int]) -> float:
        """Weighted pairwise-complete r of columns i < j; 0 where a side does not vary
        (a driver everyone scored the same explains nothing)."""
        groups, singles = self.pairs[(i, j)]
        n = sx = sy = sxx = syy = sxy = 0.0
        for x, y, count in chain(((x, y, sum(pick(weights))) for x, y, pick in groups),
                                 ((x, y, weights[index]) for x, y, index in singles)):
            if count:
                n += count
                sx += count * x
                sy += count * y
                sxx += count * x * x
                syy += count * y * y
                sxy += count * x * y
        if n < 2:
            return 0.0
        vx, vy = sxx - sx * sx / n, syy - sy * sy / n
        if vx <= 1e-12 * n or vy <= 1e-12 * n:
            return 0.0
        return max(-1.0, min(1.0, (sxy - sx * sy / n) / math.sqrt(vx * vy)))

    def weights(self, weights: Sequence[int]) -> list[float] | None:
        """The raw relative weights of columns 1.. on column 0; None: no model."""
        k = self.width - 1
        matrix = [[1.0] * k for _ in range(k)]
        for a in range(k):
            for b in range(a + 1, k):
                matrix[a][b] = matrix[b][a] = self.correlation(a + 1, b + 1, weights)
        outcome = [self.correlation(0, a + 1, weights) for a in range(k)]
        if not any(outcome):
            return None
        return relative_weights(matrix, outcome)


def importance(rows: Sequence[Row], *, resamples: int, seed: int,
               level: float = 0.95) -> Importance | None:
    """The predictors' shares of R² from rows (outcome first), with a percentile bootstrap
    interval at `level` from `resamples` resamples of the rows drawn with `seed` (a fixed
    seed: the same data always shows the same interval). None: no model (nothing varies)."""
    sums = _Sums(rows)
    if sums.width < 2:
        return None
    full = sums.weights(sums.counts)
    total = sum(full) if full else 0.0
    if full is None or total <= 1e-12:
        return None
    rng = random.Random(seed)
    population = range(len(sums.patterns))
    drawn: list[list[float]] = [[] for _ in full]
    made = 0
    for _ in range(resamples):
        weights = [0] * len(sums.patterns)
        for index in rng.choices(population, weights=sums.counts, k=len(rows)):
            weights[index] += 1
        raw = sums.weights(weights)
        r_squared = sum(raw) if raw else 0.0
        if raw is None or r_squared <= 1e-12:
            continue
        made += 1
        for column, value in enumerate(raw):
            drawn[column].append(value / r_squared)
    shares = [value / total for value in full]
    if not made:
        return Importance(shares, shares, shares, min(total, 1.0), 0)
    tail = (1 - level) / 2
    low, high = [], []
    for values in drawn:
        values.sort()
        low.append(values[int(tail * (made - 1))])
        high.append(values[math.ceil((1 - tail) * (made - 1))])
    return Importance(shares, low, high, min(total, 1.0), made)
