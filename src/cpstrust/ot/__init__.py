"""Operational technology: industrial networks (Modbus/TCP, BACnet/IP) and their traffic."""
