"""OT monitoring engines: decoding captured traffic into flows and Modbus/BACnet
messages (TCP reassembly, request/response pairing), pure over the records given."""
