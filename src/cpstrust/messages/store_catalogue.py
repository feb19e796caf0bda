"""Messages of cpstrust.store: code -> (English, Japanese). See cpstrust.messages."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # The supply-chain graph and the devices in it.
    "store_no_site": (
        "no site named {name!r}",
        "サイト {name!r} は登録されていません",
    ),
    "store_no_organisation": (
        "no organisation named {name!r}",
        "組織 {name!r} は登録されていません",
    ),
    "store_no_product": (
        "no product named {name!r}",
        "製品 {name!r} は登録されていません",
    ),
    "store_no_release": (
        "product {product!r} has no release {version!r}",
        "製品 {product!r} にリリース {version!r} はありません",
    ),
    "store_no_device": (
        "no device named {name!r}",
        "機器 {name!r} は登録されていません",
    ),
    # Advisories.
    "store_no_vulnerability": (
        "no vulnerability known as {identifier!r} in the advisory database",
        "脆弱性データベースに {identifier!r} という脆弱性はありません",
    ),
    # The trust store.
    "store_trust_store_not_newer": (
        "trust store version {version} is not newer than the stored one",
        "トラストストア 版 {version} は保存済みの版より新しくありません",
    ),
    "store_no_trust_store_version": (
        "no trust store version {version}",
        "トラストストア 版 {version} はありません",
    ),
    # Documents kept as evidence.
    "store_document_longer": (
        "the kept document decodes to more than its recorded {size} bytes",
        "保管文書を復元すると、記録されたサイズ {size} バイトを超えます",
    ),
    "store_document_shorter": (
        "the kept document decodes to fewer than its recorded {size} bytes",
        "保管文書を復元すると、記録されたサイズ {size} バイトに足りません",
    ),
    "store_document_digest_mismatch": (
        "the kept document does not match its recorded SHA-256",
        "保管文書が記録された SHA-256 と一致しません",
    ),
    "store_document_unknown_encoding": (
        "the kept document has an unknown encoding {encoding!r}",
        "保管文書のエンコーディング {encoding!r} は不明です",
    ),
    "store_document_undecompressable": (
        "the kept document cannot be decompressed: {reason}",
        "保管文書を展開できません: {reason}",
    ),
    # The database itself.
    "store_migration_failed": (
        "database migration failed: {reason}",
        "データベースのマイグレーションに失敗しました: {reason}",
    ),
    "store_components_miscounted": (
        "wrote {count} components of SBOM {sbom_id}, found {found}",
        "SBOM {sbom_id} のコンポーネントを {count} 個書き込みましたが、"
        "見つかったのは {found} 個です",
    ),
}
