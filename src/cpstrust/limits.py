"""Limits every reader enforces on input that comes from someone else."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ReadLimits:
    max_bytes: int = 256 * 1024 * 1024  # one document
    max_depth: int = 64  # nesting of JSON/XML structures and of SBOM components
    max_string: int = 1024 * 1024  # one string value
    max_components: int = 2_000_000
    max_archive_members: int = 200_000  # files inside one advisory zip
    max_archive_ratio: int = 200  # uncompressed / compressed: zip bombs


DEFAULT_LIMITS = ReadLimits()


@dataclass(frozen=True, slots=True)
class ImageLimits:
    """Bounds on a firmware image (directory or tar) measured for authenticity."""

    max_members: int = 1_000_000  # files, links and directories
    max_total_bytes: int = 16 * 1024**3  # uncompressed content: tar bombs
    max_path: int = 4096  # one member name, in characters


DEFAULT_IMAGE_LIMITS = ImageLimits()


@dataclass(frozen=True, slots=True)
class InventoryLimits:
    """Bounds on the package databases an SBOM is generated from, kept in memory while
    the image is hashed."""

    max_database_bytes: int = 64 * 1024**2  # dpkg status, apk installed, package-lock.json
    max_metadata_bytes: int = 4 * 1024**2  # one METADATA, PKG-INFO or package.json
    max_jar_bytes: int = 256 * 1024**2  # one jar, read from memory
    max_total_bytes: int = 1024**3  # everything kept of one image
    max_executable_bytes: int = 2 * 1024**3  # larger executables are not read for build info
    max_go_buildinfo_bytes: int = 4 * 1024**2  # one Go build info blob (~100 bytes a module)


DEFAULT_INVENTORY_LIMITS = InventoryLimits()


@dataclass(frozen=True, slots=True)
class CaptureLimits:
    """Bounds on reading a packet capture and on the state kept while decoding it: a
    capture is read as a stream, whatever its size, in bounded memory."""

    max_record_bytes: int = 512 * 1024  # one packet record (pcap) or block (pcapng)
    max_interfaces: int = 1024  # pcapng interfaces in one section
    max_flows: int = 200_000  # 5-tuples kept; more are counted, not listed
    max_streams: int = 20_000  # TCP directions reassembled at once (oldest dropped)
    max_stream_pending: int = 64 * 1024  # out-of-order bytes held for one direction
    max_pending_requests: int = 100_000  # Modbus requests awaiting their response
    max_assets: int = 100_000
    max_asset_items: int = 256  # MACs, unit ids or devices remembered for one host


DEFAULT_CAPTURE_LIMITS = CaptureLimits()
