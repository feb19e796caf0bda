"""OT monitoring engines, pure over the records given: decoding captured traffic into
flows and Modbus/BACnet messages (TCP reassembly, request/response pairing), and the
scenario generator of labelled industrial traffic (``ot.scenario``)."""
