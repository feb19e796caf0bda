"""A Modbus/TCP client session over one TCP connection: requests and the server's
answers as frames, with what real stacks do to the byte stream now and then (a PDU
split over two segments, two requests pipelined in one)."""

from __future__ import annotations

from dataclasses import dataclass
from random import Random

from cpstrust.ot.scenario import modbus
from cpstrust.ot.scenario.packets import TcpConnection


@dataclass(slots=True)
class ModbusSession:
    connection: TcpConnection
    rng: Random
    split: float  # chance that a PDU goes out in two segments
    transaction: int = 0

    def open(self, ts: float) -> float:
        """The handshake; the time the first request can follow."""
        rtt = self.rng.uniform(0.0002, 0.002)
        done = self.connection.handshake(ts, rtt, self.rng.getrandbits(32),
                                         self.rng.getrandbits(32))
        self.transaction = self.rng.choice((0, 1, self.rng.randrange(65536)))
        return done + self.rng.uniform(0.0005, 0.005)

    def next_transaction(self) -> int:
        self.transaction = (self.transaction + 1) & 0xFFFF
        return self.transaction

    def exchange(self, ts: float, unit: int, request: bytes, response: bytes | None,
                 ) -> float:
        """One request and its response (None: the server stays silent and the client
        gives up after its timeout); the time the exchange is over."""
        return self.pipelined(ts, [(unit, request, response)])

    def pipelined(self, ts: float, calls: list[tuple[int, bytes, bytes | None]]) -> float:
        """Several requests in one segment, answered in one segment or one each."""
        requests = b""
        answers = []
        for unit, request, response in calls:
            transaction = self.next_transaction()
            requests += modbus.adu(transaction, unit, request)
            if response is not None:
                answers.append(modbus.adu(transaction, unit, response))
        ts = self._send(ts, requests, client=True)
        if not answers:
            self.connection.server_acks(ts + self.rng.uniform(0.0001, 0.0005))
            return ts + self.rng.uniform(0.5, 1.0)  # the client's timeout
        ts += self.rng.uniform(0.001, 0.015)  # the server's scan cycle
        if len(answers) > 1 and self.rng.random() < 0.5:
            answers = [b"".join(answers)]
        for answer in answers:
            ts = self._send(ts, answer, client=False) + self.rng.uniform(0.0001, 0.001)
        if self.rng.random() < 0.3:  # a delayed ACK before the client's next request
            ts += self.rng.uniform(0.0002, 0.04)
            self.connection.client_acks(ts)
        return ts

    def _send(self, ts: float, payload: bytes, *, client: bool) -> float:
        parts = [payload]
        if len(payload) > 2 and self.rng.random() < self.split:
            cut = self.rng.randrange(1, len(payload))
            parts = [payload[:cut], payload[cut:]]
        send = self.connection.client_sends if client else self.connection.server_sends
        for i, part in enumerate(parts):
            if i:
                ts += self.rng.uniform(0.0001, 0.002)
            send(ts, part)
        return ts

    def close(self, ts: float) -> float:
        if self.rng.random() < 0.3:
            self.connection.reset(ts)
            return ts
        return self.connection.close(ts, self.rng.uniform(0.0002, 0.002))
