"""Is a firmware image what its vendor declared? A pure engine over measured files.

The reference is what the vendor declared per path (SBOM file components, component
evidence occurrences, SPDX files, signed release subjects); the appraisal compares it
with the measured image in one pass of dictionary lookups, so 100k files cost little.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from cpstrust.messages import Message, message
from cpstrust.model.advisory import Severity
from cpstrust.model.authenticity import (
    DIGEST_PREFERENCE,
    RELEASE_SUBJECT,
    SHA256,
    AuthenticityFinding,
    Declaration,
    DeclarationSource,
    EntryKind,
    FindingKind,
    ImageAppraisal,
    ImageVerdict,
    MeasuredFile,
    Reference,
    SourceKind,
)
from cpstrust.model.sbom import Hash, Sbom, product_path
from cpstrust.trust.phrases import listed

_PREFERENCE = {algorithm: rank for rank, algorithm in enumerate(DIGEST_PREFERENCE)}
_MAX_LINK_HOPS = 40  # as Linux's limit on symbolic links followed in one lookup


def reference_from_sbom(sbom: Sbom) -> Reference:
    """Every path the SBOM places a file at, with the strongest digest it gives for it.

    A component declares the paths in its ``locations`` and, when it is of type "file",
    its name. Declarations without a digest cpstrust can compute are kept: the path is
    then expected but its content cannot be checked.
    """
    files: dict[str, list[Declaration]] = {}
    for component in sbom.components:
        paths = component.locations
        if component.type == "file":
            paths = (*paths, product_path(component.name))
        if not paths:
            continue
        declaration = Declaration(DeclarationSource(SourceKind.SBOM_COMPONENT, component.ref),
                                  _strongest(component.hashes))
        for path in dict.fromkeys(paths):
            if path:
                files.setdefault(path, []).append(declaration)
    return _reference(files)


def reference_from_subjects(subjects: Mapping[str, str],
                            source: DeclarationSource = RELEASE_SUBJECT) -> Reference:
    """A reference from a signed release's in-toto subjects: path -> SHA-256 hex."""
    return _reference({product_path(name): [Declaration(source, Hash(SHA256, digest.lower()))]
                       for name, digest in subjects.items() if product_path(name)})


def merge_references(*references: Reference) -> Reference:
    """One reference holding every declaration of each; disagreements surface at appraisal."""
    files: dict[str, list[Declaration]] = {}
    for reference in references:
        for path, declarations in reference.files.items():
            files.setdefault(path, []).extend(declarations)
    return _reference(files)


def _strongest(hashes: tuple[Hash, ...]) -> Hash | None:
    best, best_rank = None, len(_PREFERENCE)
    for digest in hashes:
        rank = _PREFERENCE.get(digest.algorithm, best_rank)
        if rank < best_rank:
            best, best_rank = digest, rank
    return best


def _reference(files: Mapping[str, list[Declaration]]) -> Reference:
    extra: dict[str, tuple[str, ...]] = {}
    for path, declarations in files.items():
        algorithms = {d.digest.algorithm for d in declarations
                      if d.digest is not None and d.digest.algorithm != SHA256}
        if algorithms:
            extra[path] = tuple(sorted(algorithms))
    return Reference({path: tuple(ds) for path, ds in files.items()}, extra)


def resolve_path(path: str, links: Mapping[str, str]) -> str | None:
    """Where ``path`` leads inside the image, following its symbolic links (``links``:
    link path -> target as written), or None when it climbs above the image root.

    Absolute targets resolve from the image root, as they do on the device that runs
    it. A loop returns a path that is itself a link, so it never names a file.
    """
    pending = path.split("/")[::-1]
    resolved: list[str] = []
    hops = 0
    while pending:
        part = pending.pop()
        if part in ("", "."):
            continue
        if part == "..":
            if not resolved:
                return None
            resolved.pop()
            continue
        resolved.append(part)
        target = links.get("/".join(resolved)) if links else None
        if target is None:
            continue
        hops += 1
        if hops > _MAX_LINK_HOPS:
            return "/".join(resolved)
        resolved.pop()
        if target.startswith("/"):
            resolved.clear()
        pending.extend(target.split("/")[::-1])
    return "/".join(resolved)


def link_escapes(path: str, target: str, links: Mapping[str, str]) -> bool:
    """True when the symbolic link at ``path`` resolves above the image root."""
    return resolve_path(posixpath.join(posixpath.dirname(path), target), links) is None


class _Grade(NamedTuple):
    rank: int
    verdict: ImageVerdict
    severity: Severity


# The verdict names the worst finding, in this order. Content that differs from what the
# vendor declared is the tampering itself; declarations that disagree leave no way to
# tell which content is genuine; unknown executable code can run on the device; a link
# escaping the root reaches the host when the image is unpacked; a missing file breaks
# or strips the product but adds nothing; unlisted data is mostly logs and generated config.
_GRADES = {
    (FindingKind.MODIFIED, True): _Grade(6, ImageVerdict.MODIFIED, Severity.CRITICAL),
    (FindingKind.MODIFIED, False): _Grade(6, ImageVerdict.MODIFIED, Severity.HIGH),
    (FindingKind.CONFLICTING_REFERENCE, True): _Grade(
        5, ImageVerdict.CONFLICTING_REFERENCE, Severity.HIGH),
    (FindingKind.CONFLICTING_REFERENCE, False): _Grade(
        5, ImageVerdict.CONFLICTING_REFERENCE, Severity.HIGH),
    (FindingKind.UNLISTED, True): _Grade(4, ImageVerdict.UNLISTED, Severity.HIGH),
    (FindingKind.ESCAPING_SYMLINK, False): _Grade(
        3, ImageVerdict.ESCAPING_SYMLINK, Severity.HIGH),
    (FindingKind.MISSING, False): _Grade(2, ImageVerdict.MISSING, Severity.MEDIUM),
    (FindingKind.UNLISTED, False): _Grade(1, ImageVerdict.UNLISTED, Severity.LOW),
}


def appraise_image(measured: Iterable[MeasuredFile], reference: Reference) -> ImageAppraisal:
    """Compare a measured image with its reference: GENUINE, or the findings and the
    verdict of the worst one. Findings are ordered by severity (worst first), then path.
    A symbolic link that stays inside the image is no finding by itself: what it leads
    to is checked at its own path.

    Raises ``ValueError`` when a file was measured without an algorithm the reference
    needs for it: pass ``reference.extra_algorithms`` to the measurer.
    """
    by_path = {file.path: file for file in measured}
    links = {f.path: f.link_target for f in by_path.values() if f.link_target is not None}
    found = _Findings()
    for path, declarations in reference.files.items():
        file = by_path.get(path)
        if file is None and links:
            # A path declared through a directory link (lib -> usr/lib) is found at its target.
            real = resolve_path(path, links)
            file = by_path.get(real) if real is not None else None
            if file is not None and file.kind is not EntryKind.FILE:
                file = None
        if file is None:
            found.missing(path, declarations)
            continue
        found.covered.add(file.path)
        found.compare(path, file, declarations, by_path, links)
    for file in by_path.values():
        if file.kind is EntryKind.ESCAPING_SYMLINK:
            found.add(FindingKind.ESCAPING_SYMLINK, file.path, None, _sha256(file), False,
                      message("authenticity_escaping_symlink", target=file.link_target))
        elif file.kind is EntryKind.FILE and file.path not in found.covered:
            found.add(FindingKind.UNLISTED, file.path, None, _sha256(file), file.executable,
                      message("authenticity_unlisted", what=_what(file)))
    return found.appraisal(len(by_path), len(reference.files))


class _Findings:
    def __init__(self) -> None:
        self.items: list[tuple[_Grade, AuthenticityFinding]] = []
        self.covered: set[str] = set()  # measured paths some declaration accounts for

    def add(self, kind: FindingKind, path: str, expected: str | None, actual: str | None,
            executable: bool, reason: Message) -> None:
        grade = _GRADES[(kind, executable)]
        self.items.append((grade, AuthenticityFinding(
            kind, path, expected, actual, grade.severity, reason, executable)))

    def missing(self, path: str, declarations: tuple[Declaration, ...]) -> None:
        digest = next((d.digest for d in declarations if d.digest), None)
        self.add(FindingKind.MISSING, path, _text(digest) if digest else None, None, False,
                 message("authenticity_missing", sources=_sources(declarations)))

    def compare(self, path: str, file: MeasuredFile, declarations: tuple[Declaration, ...],
                by_path: Mapping[str, MeasuredFile], links: Mapping[str, str]) -> None:
        checkable = [(d, d.digest) for d in declarations if d.digest is not None]
        if not checkable:
            self.add(FindingKind.UNLISTED, path, None, _sha256(file), file.executable,
                     message("authenticity_no_digest", what=_what(file),
                             sources=_sources(declarations)))
            return
        behind = _content_behind(file, by_path, links)
        matched: list[Declaration] = []
        unmatched: list[tuple[Declaration, Hash]] = []
        for declaration, digest in checkable:
            if _measured(file, digest.algorithm, path) == digest.value:
                matched.append(declaration)
            elif behind is not None and behind.digest(digest.algorithm) == digest.value:
                matched.append(declaration)
                self.covered.add(behind.path)
            else:
                unmatched.append((declaration, digest))
        if not unmatched:
            return
        expected = unmatched[0][1]
        actual = Hash(expected.algorithm, _measured(file, expected.algorithm, path))
        against = _sources(d for d, _ in unmatched)
        if matched:
            self.add(FindingKind.CONFLICTING_REFERENCE, path, _text(expected), _text(actual),
                     file.executable, message("authenticity_conflicting", matched=_sources(matched),
                                              against=against))
        else:
            self.add(FindingKind.MODIFIED, path, _text(expected), _text(actual),
                     file.executable, message("authenticity_modified", what=_what(file),
                                              algorithm=expected.algorithm, sources=against))

    def appraisal(self, measured: int, declared: int) -> ImageAppraisal:
        if not self.items:
            return ImageAppraisal(ImageVerdict.GENUINE, (), measured, declared)
        worst = max(grade for grade, _ in self.items)
        findings = sorted((f for _, f in self.items), key=lambda f: (-f.severity, f.path, f.kind))
        return ImageAppraisal(worst.verdict, tuple(findings), measured, declared)


def _content_behind(file: MeasuredFile, by_path: Mapping[str, MeasuredFile],
                    links: Mapping[str, str]) -> MeasuredFile | None:
    # Release subjects are often computed by tools that follow links (sha256sum), so a
    # declared link also matches the digest of the file it leads to inside the image.
    if file.kind is not EntryKind.SYMLINK or file.link_target is None:
        return None
    real = resolve_path(posixpath.join(posixpath.dirname(file.path), file.link_target), links)
    target = by_path.get(real) if real is not None else None
    return target if target is not None and target.kind is EntryKind.FILE else None


def _measured(file: MeasuredFile, algorithm: str, path: str) -> str:
    value = file.digest(algorithm)
    if value is None:
        raise ValueError(f"{file.path} was measured without {algorithm}, which the "
                         f"reference needs for {path}: pass reference.extra_algorithms "
                         "to the measurer")
    return value


def _what(file: MeasuredFile) -> Message:
    return message("authenticity_executable" if file.executable else "authenticity_file")


def _sources(declarations: Iterable[Declaration]) -> Message:
    return listed([message("authenticity_sbom_component", ref=source.ref)
                   if source.kind is SourceKind.SBOM_COMPONENT
                   else message("authenticity_release_subject")
                   for source in dict.fromkeys(d.source for d in declarations)])


def _sha256(file: MeasuredFile) -> str:
    return f"{SHA256}:{file.sha256}"


def _text(digest: Hash) -> str:
    return f"{digest.algorithm}:{digest.value}"
