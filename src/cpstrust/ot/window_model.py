"""The learned detector: an isolation forest (scikit-learn) over the per-flow window
vectors of ``features``, fitted at start from the baseline's training windows (a fixed
seed, so the same baseline scores alike). A window scoring below what almost every
training window scored is an alert, explained by the feature farthest from its
training median (in median absolute deviations)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cpstrust.model.ot_detect import WINDOW_FEATURES as FEATURES
from cpstrust.model.ot_detect import AlertKind, Detector
from cpstrust.ot.alerts import AlertAggregator
from cpstrust.ot.features import FlowWindowKey

if TYPE_CHECKING:
    from sklearn.ensemble import IsolationForest

MIN_TRAINING = 20  # windows: fewer and the model stays silent
BATCH = 4096  # windows scored at once (one call to the forest costs milliseconds)
TRAINING_QUANTILE = 0.002  # the share of training windows that would be alerts...
SCORE_MARGIN = 0.0  # ...and how far below their score a window must fall


class WindowModel:
    def __init__(self, training: tuple[tuple[float, ...], ...], alerts: AlertAggregator,
                 ) -> None:
        import numpy as np

        self.alerts = alerts
        self._pending: list[tuple[FlowWindowKey, float, float, tuple[float, ...]]] = []
        self.forest: IsolationForest | None = None
        if len(training) < MIN_TRAINING:
            return
        from sklearn.ensemble import IsolationForest

        matrix = np.asarray(training, dtype=float)
        self.forest = IsolationForest(n_estimators=200, max_samples=min(len(training), 2048),
                                      random_state=0).fit(matrix)
        scores = self.forest.score_samples(matrix)
        self.threshold = float(np.quantile(scores, TRAINING_QUANTILE)) - SCORE_MARGIN
        self.median = np.median(matrix, axis=0)
        spread = np.median(np.abs(matrix - self.median), axis=0)
        self.spread = np.where(spread > 0, spread, 0.25)

    def window(self, key: FlowWindowKey, first: float, last: float,
               vector: tuple[float, ...]) -> None:
        if self.forest is None:
            return
        self._pending.append((key, first, last, vector))
        if len(self._pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if self.forest is None or not self._pending:
            return
        import numpy as np

        pending, self._pending = self._pending, []
        matrix = np.asarray([p[3] for p in pending], dtype=float)
        scores = self.forest.score_samples(matrix)
        deviations = np.abs(matrix - self.median) / self.spread
        for (key, first, last, vector), score, deviation in zip(
                pending, scores, deviations, strict=True):
            if score >= self.threshold:
                continue
            feature = int(np.argmax(deviation))
            client, server, protocol = key
            facts = (("feature", FEATURES[feature]), ("value", f"{vector[feature]:.3g}"),
                     ("learned", f"{self.median[feature]:.3g}"),
                     ("by", f"{deviation[feature]:.1f}"), ("score", f"{score:.3f}"),
                     ("threshold", f"{self.threshold:.3f}"))
            self.alerts.raise_alert(first, AlertKind.ANOMALOUS_WINDOW, client, server,
                                    protocol, "alert_anomalous_window", facts,
                                    Detector.MODEL)
            if last > first:
                self.alerts.raise_alert(last, AlertKind.ANOMALOUS_WINDOW, client, server,
                                        protocol, "alert_anomalous_window", facts,
                                        Detector.MODEL)
