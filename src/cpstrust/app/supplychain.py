"""The supply-chain graph: organisations with their supplier tiers, products, releases,
sites with zones, devices, and the SBOMs the declaration names."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cpstrust.app.sbom_batch import SbomToImport, store_batch
from cpstrust.app.services import Services
from cpstrust.formats.files import read_limited
from cpstrust.formats.supplychain import read_supply_chain
from cpstrust.limits import DEFAULT_LIMITS, ReadLimits
from cpstrust.model.graph import GraphCounts
from cpstrust.store.graph import load_supply_chain


@dataclass(frozen=True, slots=True)
class ChainLoad:
    counts: GraphCounts
    sboms: int  # SBOMs stored from the declaration


def load_supply_chain_file(services: Services, path: Path,
                           limits: ReadLimits = DEFAULT_LIMITS) -> ChainLoad:
    """Load the graph from a YAML file, then the SBOMs it names (paths relative to it),
    all in one transaction; loading again updates what changed and duplicates nothing."""
    chain = read_supply_chain(read_limited(path, limits), source=str(path), limits=limits)
    items = [
        SbomToImport(path.parent / ref.path, ref.product, ref.version, source_name=ref.path)
        for ref in chain.sboms
    ]
    with services.store.transaction() as session:
        counts = load_supply_chain(session, chain)
        batch = store_batch(session, items, evaluate=True, limits=limits, workers=None,
                            at=datetime.now(UTC), cache=services.advisory_cache)
    return ChainLoad(counts, len(batch.stored))
