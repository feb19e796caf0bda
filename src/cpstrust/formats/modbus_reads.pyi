"""Types of the compiled Modbus reads and their answers (modbus_reads.pyx, ADR 0033)."""

from cpstrust.model.ot import MalformedKind, ModbusDetail

# as modbus.Decoded: function, exception code, address, quantity, values, detail
_Decoded = tuple[int, int | None, int | None, int | None, tuple[int, ...],
                 ModbusDetail | None]

def read_request(pdu: bytes) -> _Decoded | MalformedKind: ...
def read_registers_response(pdu: bytes, quantity: int | None) -> _Decoded | MalformedKind: ...
def read_bits_response(pdu: bytes, quantity: int | None) -> _Decoded | MalformedKind: ...
