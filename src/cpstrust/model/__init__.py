"""Domain types only: no JSON, no SQL, no file access."""
