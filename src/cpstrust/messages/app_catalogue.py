"""Messages of cpstrust.app: code -> (English, Japanese). See cpstrust.messages."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "attestation_key_needs_tpm": (
        "an attestation key needs the TPM backend",
        "アテステーション鍵には TPM バックエンドが必要です",
    ),
    # Scans and findings.
    "app_version_needs_product": (
        "a version needs its product",
        "バージョンを指定するには製品も指定してください",
    ),
    "app_no_release_in_scope": (
        "no stored release matches product={product!r} version={version!r}",
        "product={product!r} version={version!r} に一致する保存済みリリースはありません",
    ),
    "app_release_without_sbom": (
        "no stored release of product={product!r} version={version!r} has an SBOM",
        "product={product!r} version={version!r} の保存済みリリースには SBOM がありません",
    ),
    "app_no_finding": (
        "no finding with id {finding_id}",
        "ID {finding_id} の検出事項はありません",
    ),
    # Devices, and why there is nothing to check one against.
    "app_product_and_version_together": (
        "give the product and the version together",
        "製品とバージョンは両方とも指定してください",
    ),
    "app_reference_no_device": (
        "the nonce names no open challenge, so no device",
        "このノンスに対応する未回答のチャレンジがないため、機器を特定できません",
    ),
    "app_reference_no_evidence": (
        "no signed release evidence is stored for {product} {version}",
        "{product} {version} の署名付きリリース証跡が保存されていません",
    ),
    "app_reference_unreadable": (
        "the release evidence of {product} {version} is unreadable: {cause}",
        "{product} {version} のリリース証跡を読み込めません: {cause}",
    ),
    "app_reference_untrusted": (
        "the release evidence of {product} {version} is not trusted ({reason}): {detail}",
        "{product} {version} のリリース証跡は信頼できません ({reason}): {detail}",
    ),
    # Releases and updates.
    "app_artifact_name_twice": (
        "two artifacts would be signed under one name: {names}",
        "二つの成果物が同じ名前で署名されることになります: {names}",
    ),
    "app_release_names_no_sbom": (
        "the signed release names no SBOM",
        "署名されたリリースは SBOM を指定していません",
    ),
    "app_sbom_not_signed": (
        "{file} is not the SBOM the release signed ({signed})",
        "{file} はリリースが署名した SBOM ({signed}) ではありません",
    ),
    "app_unsafe_artifact_name": (
        "unsafe artifact name {name!r}",
        "成果物名 {name!r} は安全ではありません",
    ),
    # The trust store.
    "app_trust_store_empty": (
        "the trust store is empty",
        "トラストストアが空です",
    ),
    # The advisory database.
    "app_no_osv_records": (
        "no OSV records found (JSON or YAML files, or OSV zips)",
        "OSV レコードが見つかりません(JSON・YAML ファイル、または OSV の zip)",
    ),
    "app_no_advisory_read": (
        "no advisory could be read: {count} files refused: {refused}",
        "アドバイザリを 1 件も読み込めませんでした。拒否したファイル {count} 個: {refused}",
    ),
    # A list of errors told inside another message: an item and the rest, or a list
    # cut short.
    "app_list_pair": ("{first}; {rest}", "{first}; {rest}"),
    "app_list_more": ("{shown}; …", "{shown}; …"),
    # The verifier service (cpstrust.service.verifier): its answers are in English, with
    # the code beside them.
    "verifier_request_needs_member": (
        "the request needs '{name}' ({kind})",
        "リクエストに '{name}' ({kind}) がありません",
    ),
    "verifier_request_needs_length": (
        "the request needs a Content-Length",
        "リクエストに Content-Length がありません",
    ),
    "verifier_request_too_large": (
        "request of {length} bytes exceeds the limit of {limit}",
        "リクエストの {length} バイトは上限 {limit} バイトを超えています",
    ),
    "verifier_no_endpoint": (
        "no endpoint {path}",
        "エンドポイント {path} はありません",
    ),
    "verifier_internal_error": ("internal error", "内部エラー"),
}
