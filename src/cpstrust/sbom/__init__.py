"""SBOM engines: what is checked of an SBOM besides its vulnerabilities (consistency and
quality now; generation, VEX and licences to come). Pure functions over the model."""
