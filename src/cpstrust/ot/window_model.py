"""The learned detector: an isolation forest over the per-flow window vectors of
``features``, each less its flow's median training window (so that the forest learns
how a flow's window varies, not which flows are busier than others: told apart, every
quiet flow looked odd beside the busy ones). Fitted once, at learn time (scikit-learn,
a fixed seed), and carried in the baseline as flat arrays (``WindowModelParams``);
analysing scores windows from those arrays alone (the trees walked in C by
``forest``, the rest in numpy), as scikit-learn's ``score_samples`` would (a test holds
them equal), so neither scikit-learn's import nor a refit costs the analysis.

Two thresholds are calibrated on the training windows, which are normal traffic only:
alone, the model alerts below the ``ALONE_QUANTILE`` of their scores; beside the rules
(the alerts ``analyze`` reports), only below the lowest of them less ``SCORE_MARGIN``,
i.e. stranger than anything normal operation produced, so that it adds what the rules
miss without drowning them in its false alarms. Each alert is explained by the
feature farthest from its flow's median, in median absolute deviations."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain
from math import log

import numpy as np
from numpy.typing import NDArray

from cpstrust.model.ot_detect import WINDOW_FEATURES as FEATURES
from cpstrust.model.ot_detect import AlertKind, Detector, WindowModelParams
from cpstrust.ot.alerts import AlertAggregator
from cpstrust.ot.features import FlowWindowKey
from cpstrust.ot.forest import path_lengths

MIN_TRAINING = 20  # windows: fewer and there is no model
MIN_FLOW_WINDOWS = 1  # a flow's windows to have a centre of its own
TREES = 100
SAMPLE = 256  # windows per tree (the isolation forest's own default)
BATCH = 4096  # windows scored at once
# Alone, a window is an alert below the score of this share of the training windows
# (normal traffic only, so the share is the false alarm rate expected of it)...
ALONE_QUANTILE = 0.01
# ...beside the rules, only below the lowest training score by this much: stranger than
# anything normal operation produced (both chosen on held-out scenarios, bench_ot_detect)
SCORE_MARGIN = 0.02


def _average_path(n: int) -> float:
    """The expected path length of an unsuccessful search in a binary search tree of
    ``n`` points: the depth an isolation tree's leaf of ``n`` samples stands for."""
    if n <= 1:
        return 0.0
    if n == 2:
        return 1.0
    euler = 0.5772156649015329
    return 2.0 * (log(n - 1.0) + euler) - 2.0 * (n - 1.0) / n


def _centres(windows: Sequence[tuple[FlowWindowKey, tuple[float, ...]]],
             ) -> dict[FlowWindowKey, tuple[float, ...]]:
    by_flow: dict[FlowWindowKey, list[tuple[float, ...]]] = {}
    for key, vector in windows:
        by_flow.setdefault(key, []).append(vector)
    return {key: tuple(round(float(x), 6) for x in np.median(np.asarray(rows), axis=0))
            for key, rows in by_flow.items() if len(rows) >= MIN_FLOW_WINDOWS}


def _centred(matrix: NDArray[np.float64], keys: Sequence[FlowWindowKey],
             centres: dict[FlowWindowKey, tuple[float, ...]], median: NDArray[np.float64],
             ) -> NDArray[np.float64]:
    # the centres a row each, the median last: one gather of rows, not a row per window
    row = {key: at for at, key in enumerate(centres)}
    table = np.asarray([*centres.values(), median], dtype=float)
    offsets = table[np.fromiter((row.get(key, len(row)) for key in keys), dtype=np.intp,
                                count=len(keys))]
    centred: NDArray[np.float64] = matrix - offsets
    return centred


def fit_window_model(windows: Sequence[tuple[FlowWindowKey, tuple[float, ...]]],
                     margin: float = SCORE_MARGIN) -> WindowModelParams | None:
    """The model of ``windows`` (normal traffic's, by flow), or None when too few."""
    if len(windows) < MIN_TRAINING:
        return None
    from sklearn.ensemble import IsolationForest

    raw = np.asarray([vector for _key, vector in windows], dtype=float)
    overall = np.median(raw, axis=0)
    centres = _centres(windows)
    matrix = _centred(raw, [key for key, _vector in windows], centres, overall)
    sample = min(len(windows), SAMPLE)
    forest = IsolationForest(n_estimators=TREES, max_samples=sample, random_state=0
                             ).fit(matrix)
    roots: list[int] = []
    feature: list[int] = []
    split: list[float] = []
    left: list[int] = []
    right: list[int] = []
    path: list[float] = []
    deepest = 0
    for estimator in forest.estimators_:
        tree = estimator.tree_
        base = len(feature)
        roots.append(base)
        depth = [0] * tree.node_count
        for node in range(tree.node_count):
            child_left, child_right = int(tree.children_left[node]), int(
                tree.children_right[node])
            if child_left < 0:  # a leaf: its own child, holding its path length
                feature.append(0)
                split.append(0.0)
                left.append(base + node)
                right.append(base + node)
                path.append(depth[node] + _average_path(int(tree.n_node_samples[node])))
                deepest = max(deepest, depth[node])
                continue
            depth[child_left] = depth[child_right] = depth[node] + 1
            feature.append(int(tree.feature[node]))
            split.append(float(tree.threshold[node]))
            left.append(base + child_left)
            right.append(base + child_right)
            path.append(0.0)
    params = WindowModelParams(
        windows=len(windows), centres=centres, roots=tuple(roots), feature=tuple(feature),
        split=tuple(split), left=tuple(left), right=tuple(right), path=tuple(path), depth=deepest,
        normaliser=_average_path(sample), threshold=0.0, strict=0.0,
        median=tuple(round(float(x), 6) for x in overall), spread=())
    scores = score_windows(params, matrix)
    spread = np.median(np.abs(matrix), axis=0)
    return WindowModelParams(
        windows=params.windows, centres=centres, roots=params.roots, feature=params.feature,
        split=params.split, left=params.left, right=params.right, path=params.path,
        depth=params.depth, normaliser=params.normaliser,
        threshold=round(float(np.quantile(scores, ALONE_QUANTILE)), 6),
        strict=round(float(scores.min()) - margin, 6), median=params.median,
        spread=tuple(float(x) if x > 0 else 0.25 for x in spread))


class _Arrays:
    """The parameters as numpy arrays, made once per analysis."""

    def __init__(self, params: WindowModelParams) -> None:
        self.roots = np.asarray(params.roots, dtype=np.intp)
        self.feature = np.asarray(params.feature, dtype=np.intp)
        self.split = np.asarray(params.split, dtype=float)
        # a node's children side by side, the right one first (forest.path_lengths)
        self.children = np.asarray([params.right, params.left], dtype=np.intp).T.reshape(-1)
        self.path = np.asarray(params.path, dtype=float)
        self.median = np.asarray(params.median, dtype=float)
        self.spread = np.asarray(params.spread, dtype=float)


def score_windows(params: WindowModelParams, matrix: NDArray[np.float64],
                  arrays: _Arrays | None = None) -> NDArray[np.float64]:
    """Isolation forest scores of the rows of ``matrix`` (lower: more anomalous), as
    scikit-learn computes them: -2 ** -(mean path length / normaliser)."""
    a = arrays or _Arrays(params)
    # scikit-learn's trees compare float32 features with float64 splits
    rows = np.asarray(matrix, dtype=np.float32).astype(float, order="C")
    depths = path_lengths(a.roots, a.feature, a.split, a.children, a.path, rows,
                          params.depth).mean(axis=0)
    scores: NDArray[np.float64] = -np.power(2.0, -depths / params.normaliser)
    return scores


class WindowModel:
    """Scores each closed window against the baseline's model; alerts the anomalous."""

    def __init__(self, params: WindowModelParams | None, alerts: AlertAggregator,
                 alone: AlertAggregator | None = None) -> None:
        """``alerts`` receives the windows below the strict threshold (beside the
        rules), ``alone`` those below the model's own."""
        self.params = params
        self.alerts = alerts
        self.alone = alone or AlertAggregator()
        self._pending: list[tuple[FlowWindowKey, float, float, tuple[float, ...]]] = []
        self._arrays = _Arrays(params) if params is not None else None

    def window(self, key: FlowWindowKey, first: float, last: float,
               vector: tuple[float, ...]) -> None:
        if self.params is None:
            return
        self._pending.append((key, first, last, vector))
        if len(self._pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        params, arrays = self.params, self._arrays
        if params is None or arrays is None or not self._pending:
            return
        pending, self._pending = self._pending, []
        # one run of floats read into a flat array: faster than a list of rows
        raw = np.fromiter(chain.from_iterable(p[3] for p in pending), dtype=float,
                          count=len(pending) * len(FEATURES)).reshape(len(pending), -1)
        matrix = _centred(raw, [p[0] for p in pending], params.centres, arrays.median)
        scores = score_windows(params, matrix, arrays)
        for at in np.flatnonzero(scores < params.threshold):
            key, first, last, vector = pending[at]
            deviation = np.abs(matrix[at]) / arrays.spread
            score = float(scores[at])
            self._alert(self.alone, key, first, last, vector, score, deviation)
            if score < params.strict:
                self._alert(self.alerts, key, first, last, vector, score, deviation)

    def _alert(self, to: AlertAggregator, key: FlowWindowKey, first: float, last: float,
               vector: tuple[float, ...], score: float, deviation: NDArray[np.float64],
               ) -> None:
        assert self.params is not None
        feature = int(np.argmax(deviation))
        client, server, protocol = key
        learned = self.params.centres.get(key, self.params.median)[feature]
        facts = (("feature", FEATURES[feature]), ("value", f"{vector[feature]:.3g}"),
                 ("learned", f"{learned:.3g}"),
                 ("by", f"{deviation[feature]:.1f}"),
                 ("score", f"{score:.3f}"), ("threshold", f"{self.params.threshold:.3f}"))
        for ts in (first, last) if last > first else (first,):
            to.raise_alert(ts, AlertKind.ANOMALOUS_WINDOW, client, server,
                                    protocol, "alert_anomalous_window", facts,
                                    Detector.MODEL)
