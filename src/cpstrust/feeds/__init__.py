"""Where advisories come from: OSV files, directories and zips on disk, and OSV's
per-ecosystem exports over HTTPS. The I/O lives here, apart from the pure matcher
(``vulndb``)."""
