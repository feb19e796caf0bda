"""Messages of the command line: code -> (English, Japanese). See cpstrust.messages.

Codes starting with "hint." are the hints the CLI adds to an error of the same code.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "error": ("error", "エラー"),
    "findings": ("Findings", "検出事項"),
    "no_findings": ("No known vulnerabilities found.", "既知の脆弱性は見つかりませんでした。"),
    "component": ("Component", "コンポーネント"),
    "version": ("Version", "バージョン"),
    "vulnerability": ("Vulnerability", "脆弱性"),
    "aliases": ("Aliases", "別名"),
    "severity": ("Severity", "深刻度"),
    "fixed_in": ("Fixed in", "修正版"),
    "status": ("Status", "状態"),
    "product": ("Product", "製品"),
    "release": ("Release", "リリース"),
    "products": ("Products", "製品"),
    "releases": ("Releases", "リリース"),
    "organizations": ("Organisations", "組織"),
    "devices": ("Devices", "機器"),
    "sites": ("Sites", "拠点"),
    "site": ("Site", "拠点"),
    "zone": ("Zone", "ゾーン"),
    "tier": ("Tier", "階層"),
    "operator": ("Operator", "運用者"),
    "supplier": ("supplier", "供給元"),
    "downstream": ("downstream tier {n}", "下流 第{n}階層"),
    "scanned": (
        "Scanned {components} components: {findings} findings ({without_purl} without "
        "purl, {skipped} not matchable).",
        "{components} 個のコンポーネントを検査: 検出 {findings} 件(purl なし "
        "{without_purl} 件、照合不可 {skipped} 件)。",
    ),
    "sbom_stored": (
        "Stored SBOM of {product} {version}: {components} components "
        "({without_purl} without purl), sha256 {sha}.",
        "{product} {version} の SBOM を保存: コンポーネント {components} 個"
        "(purl なし {without_purl} 個)、sha256 {sha}。",
    ),
    "new_findings": ("{n} new findings.", "新規検出 {n} 件。"),
    "imported": (
        "Advisories: {added} added, {updated} updated, {unchanged} unchanged, "
        "{withdrawn} withdrawn, {skipped} unreadable files skipped.",
        "アドバイザリ: 追加 {added} 件、更新 {updated} 件、変更なし {unchanged} 件、"
        "取り下げ {withdrawn} 件、読めないファイル {skipped} 件をスキップ。",
    ),
    "newly_affected": (
        "Newly affected after this import: {n} findings.",
        "今回の取り込みで新たに影響を受ける検出事項: {n} 件。",
    ),
    "impact_title": ("Impact of {id}", "{id} の影響範囲"),
    "not_affected_anywhere": (
        "No stored component is affected.",
        "保存済みのコンポーネントに影響はありません。",
    ),
    "vulndb_empty": (
        "The advisory database is empty: run `cpstrust vulndb import PATH`.",
        "脆弱性データベースが空です: `cpstrust vulndb import PATH` を実行してください。",
    ),
    "sources": ("Sources", "取り込み元"),
    "records": ("Records", "件数"),
    "imported_at": ("Imported", "取り込み日時"),
    "age": ("Age", "経過"),
    "newest": ("Newest record", "最新レコード"),
    "chain_loaded": (
        "Loaded supply chain: {organizations} organisations, {products} products, "
        "{releases} releases, {sites} sites, {devices} devices, {sboms} SBOMs.",
        "サプライチェーンを読み込み: 組織 {organizations}、製品 {products}、"
        "リリース {releases}、拠点 {sites}、機器 {devices}、SBOM {sboms}。",
    ),
    "portfolio": ("Supply-chain vulnerability report", "サプライチェーン脆弱性レポート"),
    "open_findings": ("Open findings", "未対応の検出事項"),
    "top_vulns": ("Most widespread vulnerabilities", "影響範囲の広い脆弱性"),
    "attribution": (
        "Advisory data: OSV records from their publishers (e.g. PyPA advisory "
        "database, Go vulnerability database), CC BY 4.0.",
        "アドバイザリ出典: 各公開元の OSV レコード(PyPA advisory database、Go "
        "vulnerability database など)、CC BY 4.0。",
    ),
    "name": ("Name", "名前"),
    "backend": ("Backend", "保管先"),
    "algorithm": ("Algorithm", "アルゴリズム"),
    "keyid": ("Key id", "鍵 ID"),
    "roles": ("Roles", "役割"),
    "scopes": ("Scopes", "範囲"),
    "validity": ("Valid", "有効期間"),
    "refused": ("REFUSED", "拒否"),
    "key_created": (
        "Created {algorithm} key {name} in {backend}: keyid {keyid}",
        "{backend} に {algorithm} 鍵 {name} を作成しました: 鍵 ID {keyid}",
    ),
    "key_revoked": (
        "Key {name} ({keyid}) will sign nothing more here.",
        "鍵 {name} ({keyid}) はこの環境で今後署名に使われません。",
    ),
    "key_trusted": (
        "Trusted key {keyid} as {roles} (trust store version {version}).",
        "鍵 {keyid} を {roles} として信頼しました(トラストストア版 {version})。",
    ),
    "key_untrusted": (
        "Revoked key {keyid} (trust store version {version}).",
        "鍵 {keyid} を失効させました(トラストストア版 {version})。",
    ),
    "trust_store_title": ("Trust store version {version}", "トラストストア 版 {version}"),
    "store_exported": (
        "Signed trust store version {version} written to {file}.",
        "署名付きトラストストア 版 {version} を {file} に書き出しました。",
    ),
    "store_imported": (
        "Installed trust store version {version} ({keys} keys; was version {previous}).",
        "トラストストア 版 {version} を導入しました(鍵 {keys} 個、前の版 {previous})。",
    ),
    "release_signed": (
        "Signed {product} {version}: {n} artifacts, envelope {file}.",
        "{product} {version} に署名しました: 成果物 {n} 個、エンベロープ {file}。",
    ),
    "release_trusted": (
        "TRUSTED: {product} {version}, {n} subjects, signed by key {keyid}.",
        "信頼済み: {product} {version}、対象 {n} 個、鍵 {keyid} による署名。",
    ),
    "update_accepted": (
        "ACCEPTED: {product} {offered} (installed {installed}); verified artifacts in "
        "{directory}.",
        "受理: {product} {offered}(導入済み {installed})。検証済みの成果物は {directory}。",
    ),
    "release_imported": (
        "Stored signed release {product} {version} ({n} subjects) as evidence.",
        "署名付きリリース {product} {version}(対象 {n} 個)を証跡として保存しました。",
    ),
    "image_verdict": ("Image verdict: {verdict}", "イメージ判定: {verdict}"),
    "path": ("Path", "パス"),
    "kind": ("Kind", "種別"),
    "reason": ("Reason", "理由"),
    "verifier_listening": (
        "Verifier listening on {url} (Ctrl-C stops it).",
        "検証サーバが {url} で待ち受けています(Ctrl-C で停止)。",
    ),
    "attestation_verdict": ("Attestation of {device}: {verdict}", "{device} の構成証明: {verdict}"),
    "device": ("Device", "機器"),
    "verdict": ("Verdict", "判定"),
    "appraised_at": ("Appraised", "判定日時"),
    "not_attested": ("not attested yet", "未検証"),
    "no_device_findings": ("No authenticity findings.", "真正性の検出事項はありません。"),
    "trust_demo_title": (
        "Chain of trust: SS-SensorHub firmware from Setouchi Sensors",
        "信頼の連鎖: 瀬戸内センサーズの SS-SensorHub ファームウェア",
    ),
    "demo_image": ("Image {image}: {verdict}", "イメージ {image}: {verdict}"),
    "demo_tampered": (
        "a tampered copy (implant in bin/uplink, undeclared binary)",
        "改ざんしたコピー(bin/uplink に埋め込み、未申告のバイナリ)",
    ),
    "fail_on_hit": ("Findings at or above {level}: {n}.", "{level} 以上の検出事項: {n} 件。"),
    "affected": ("affected", "影響あり"),
    "not_compared": ("not compared", "未比較"),
    "not_compared_note": (
        "{n} of them could not be decided: the version, or a boundary of the advisory's "
        "range, cannot be ordered in its ecosystem. They count as findings until decided.",
        "うち {n} 件は判定できませんでした。バージョンまたはアドバイザリの範囲の境界を"
        "そのエコシステムの順序で比較できません。判定できるまで検出事項として扱います。",
    ),
    "hint.attestation_key_needs_tpm": (
        "give --backend tpm: file and PKCS#11 device keys sign reports directly",
        "--backend tpm を指定してください。ファイル鍵と PKCS#11 の機器鍵はレポートに直接署名します",
    ),
}
