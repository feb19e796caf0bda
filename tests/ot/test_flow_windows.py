"""The compiled per-flow windows (features.pyx): its C rounding is Python's ``round``
to the last bit, and the windows stay right where its C shortcuts give way to the
general case (many distinct values, many functions, more flows than it keeps)."""

from __future__ import annotations

import math
import random

import pytest

from cpstrust.model.ot import ModbusMessage
from cpstrust.ot.features import FlowWindows, round4


def _request(ts: float, client: str, function: int = 3, address: int = 0,
             ) -> ModbusMessage:
    return ModbusMessage(ts, client, "10.0.0.2", 40000, 502, 1, 1, function, False,
                         None, address, 2, (), None, None)


def _closed() -> tuple[list[tuple[tuple[str, str, str], tuple[float, ...]]], FlowWindows]:
    closed: list[tuple[tuple[str, str, str], tuple[float, ...]]] = []
    return closed, FlowWindows(lambda key, first, last, vector: closed.append((key, vector)),
                               max_flows=2)


def test_round4_is_pythons_round() -> None:
    rng = random.Random(5)
    values = [rng.uniform(-20.0, 20.0) for _ in range(20_000)]
    values += [rng.uniform(-1e-3, 1e-3) for _ in range(5_000)]
    # ties and near-ties of the fourth decimal, where the product's rounding would err
    for k in range(-30_000, 30_000, 7):
        tie = (k + 0.5) / 10_000
        values += [tie, math.nextafter(tie, math.inf), math.nextafter(tie, -math.inf)]
    values += [0.0, -0.0, -0.00004, 1e300, -1e300, math.inf, -math.inf, 2.675, 1.00005]
    for x in values:
        assert repr(round4(x)) == repr(round(x, 4)), x
    assert math.isnan(round4(math.nan))


def test_many_flows_many_values_and_functions() -> None:
    closed, windows = _closed()
    # window 0: ten clients (more than max_flows), the first with 24 addresses and 12
    # functions; window 1: ten other clients, which makes the table forget the first ten
    for at in range(24):
        windows.modbus(_request(0.1 * at, "10.0.1.0", function=at % 12 + 1, address=at))
    for client in range(1, 10):
        windows.modbus(_request(3.0, f"10.0.1.{client}"))
    windows.flush_before(10.0)
    for client in range(10, 20):
        windows.modbus(_request(12.0, f"10.0.1.{client}"))
        windows.modbus(_request(13.0, f"10.0.1.{client}"))
    windows.modbus(_request(14.0, "10.0.1.0"))
    windows.flush_before(math.inf)
    assert [key[0] for key, _vector in closed] == [
        f"10.0.1.{client}" for client in [*range(20), 0]]
    busy, *_rest, again = (vector for _key, vector in closed)
    assert busy[3] == 12.0
    assert busy[4] == round(math.log2(12), 4)  # twelve functions in equal shares
    assert busy[6] == math.log1p(24)  # 24 distinct addresses
    assert [round(math.expm1(v[0])) for _k, v in closed] == [24] + [1] * 9 + [2] * 10 + [1]
    assert again[6] == math.log1p(1)


def test_a_message_of_another_kind_is_refused() -> None:
    _closed_windows, windows = _closed()
    with pytest.raises(TypeError):
        windows.modbus(tuple(_request(0.0, "10.0.0.1")))  # type: ignore[arg-type]
