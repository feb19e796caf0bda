"""The learned model: fitted at learn time and carried as arrays whose scores equal
scikit-learn's, its threshold calibrated on the training windows (none of them an
alert, a window stranger than all of them is), and the window features it reads."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.ensemble import IsolationForest

from cpstrust.model.ot import ModbusMessage
from cpstrust.model.ot_detect import WINDOW_FEATURES, AlertKind, Detector
from cpstrust.ot.alerts import AlertAggregator
from cpstrust.ot.features import FlowWindows
from cpstrust.ot.window_model import (
    ALONE_QUANTILE,
    MIN_TRAINING,
    SAMPLE,
    SCORE_MARGIN,
    TREES,
    WindowModel,
    fit_window_model,
    score_windows,
)


def _normal(rows: int, seed: int = 3) -> np.ndarray:
    rng = np.random.default_rng(seed)
    matrix = rng.normal(loc=1.0, scale=0.1, size=(rows, len(WINDOW_FEATURES)))
    matrix[:, 2] = 1.0  # a constant feature, as "known flow" is
    return matrix


def _keyed(matrix: np.ndarray) -> list[tuple[tuple[str, str, str], tuple[float, ...]]]:
    """Windows of one flow: centred on their median, as the model sees them."""
    return [(("10.0.0.1", "10.0.0.2", "modbus"), tuple(row)) for row in matrix]


def test_scores_equal_scikit_learns() -> None:
    training = _normal(3000)
    params = fit_window_model(_keyed(training))
    assert params is not None
    centred = training - np.median(training, axis=0)
    forest = IsolationForest(n_estimators=TREES, max_samples=SAMPLE, random_state=0
                             ).fit(centred)
    probe = np.vstack([_normal(200, seed=4), _normal(200, seed=5) * 3])
    assert np.allclose(score_windows(params, probe), forest.score_samples(probe),
                       rtol=0, atol=1e-12)


def test_the_threshold_lies_below_every_training_window() -> None:
    training = _normal(1000)
    params = fit_window_model(_keyed(training))
    assert params is not None
    scores = score_windows(params, training - np.median(training, axis=0))
    assert scores.min() - params.strict == pytest.approx(SCORE_MARGIN, abs=1e-6)
    assert params.threshold == pytest.approx(np.quantile(scores, ALONE_QUANTILE), abs=1e-6)
    alerts, alone = AlertAggregator(), AlertAggregator()
    model = WindowModel(params, alerts, alone)
    for i, row in enumerate(training):
        model.window(("10.0.0.1", "10.0.0.2", "modbus"), 100.0 * i, 100.0 * i, tuple(row))
    model.flush()
    assert alerts.alerts() == ()  # beside the rules: silent on what it was trained on
    # alone: the calibrated share of normal windows
    assert len(alone.alerts()) == int(np.ceil(ALONE_QUANTILE * len(training)))


def test_a_window_stranger_than_training_is_an_explained_alert() -> None:
    params = fit_window_model(_keyed(_normal(1000)))
    assert params is not None
    odd = list(_normal(1)[0])
    for feature in ("requests", "against_expected", "write_share", "interval_spread",
                    "items_per_request"):  # a burst of large writes
        odd[WINDOW_FEATURES.index(feature)] = 40.0
    alerts, alone = AlertAggregator(), AlertAggregator()
    model = WindowModel(params, alerts, alone)
    model.window(("10.0.0.1", "10.0.0.2", "modbus"), 5.0, 9.0, tuple(odd))
    model.flush()
    found = alerts.alerts()
    assert alone.alerts() == found
    assert [(a.kind, a.detector, a.src, a.ts_first, a.ts_last, a.count) for a in found] == [
        (AlertKind.ANOMALOUS_WINDOW, Detector.MODEL, "10.0.0.1", 5.0, 9.0, 2)]
    facts = dict(found[0].facts)
    assert facts["feature"] in ("requests", "against_expected", "write_share",
                                "interval_spread", "items_per_request")
    assert float(facts["score"]) < params.strict <= params.threshold


def test_too_few_windows_make_no_model() -> None:
    assert fit_window_model(_keyed(_normal(MIN_TRAINING - 1))) is None
    alerts = AlertAggregator()
    WindowModel(None, alerts).window(("a", "b", "modbus"), 0.0, 0.0, (0.0,) * 12)
    assert alerts.alerts() == ()


def _request(ts: float, function: int, address: int, quantity: int = 2) -> ModbusMessage:
    values = (1,) * quantity if function in (16,) else ()
    return ModbusMessage(ts, "10.0.0.1", "10.0.0.2", 40000, 502, 1, 1, function, False,
                         None, address, quantity, values, None, None)


def test_window_features() -> None:
    closed: list[tuple[float, ...]] = []
    windows = FlowWindows(lambda key, first, last, vector: closed.append(vector))
    # steady polls at 0, 2, 4, 6 s: two functions half each, one write in four
    for ts, function in ((0.0, 3), (2.0, 3), (4.0, 16), (6.0, 1)):
        windows.modbus(_request(ts, function, int(ts)))
    windows.flush_before(float("inf"))
    (vector,) = closed
    feature = dict(zip(WINDOW_FEATURES, vector, strict=True))
    assert feature["requests"] == pytest.approx(np.log1p(4))
    assert feature["functions"] == 3
    assert feature["function_entropy"] == pytest.approx(1.5)  # shares 1/2, 1/4, 1/4
    assert feature["write_share"] == 0.25
    assert feature["interval_spread"] == 0.0  # gaps 2, 2, 2
    assert feature["unanswered"] == pytest.approx(np.log1p(4), abs=1e-4)
    assert feature["items_per_request"] == pytest.approx(np.log1p(2), abs=1e-4)
    # bursts: gaps 0.1, 0.1, 5.8 spread widely
    closed.clear()
    for ts in (10.0, 10.1, 10.2, 16.0):
        windows.modbus(_request(ts, 3, 0))
    windows.flush_before(float("inf"))
    assert dict(zip(WINDOW_FEATURES, closed[0], strict=True))["interval_spread"] > 1.0
