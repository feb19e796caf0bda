"""Live packet capture: dumpcap as a child process writing a ring buffer, and a
follower that reads its files as they are written (an adapter: processes and files)."""
