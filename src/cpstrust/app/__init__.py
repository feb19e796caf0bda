"""The application layer: every use case, written once.

One module per area. Each public function is one use case: typed inputs, one store
transaction, a typed result (or ``Refused`` where a policy can refuse). The CLI and the
HTTP services parse, call one use case and render; tests call them directly.
"""
