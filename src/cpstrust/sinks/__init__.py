"""Where events are delivered: a JSONL file, a webhook (``interface.EventSink``)."""
