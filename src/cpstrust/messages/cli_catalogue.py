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
    "purl_disagrees": (
        "{name} ({ref}): its {field} is {component_value} but its purl {purl} says "
        "{purl_value}; matched by the purl, so the other may hide vulnerabilities.",
        "{name} ({ref}): {field} は {component_value} ですが purl {purl} では "
        "{purl_value} です。purl で照合したため、もう一方の脆弱性が見落とされている"
        "可能性があります。",
    ),
    "purl_disagrees_more": (
        "... and {n} more components whose purl disagrees with their name or version "
        "(all of them in --format json).",
        "... ほか {n} 件のコンポーネントで purl が名前またはバージョンと食い違っています"
        "(すべて --format json に出力されます)。",
    ),
    "report_needs_product": (
        "--format html, --version, --policy and --out report on one product: give --product",
        "--format html、--version、--policy、--out は 1 つの製品についての報告書用です: "
        "--product を指定してください",
    ),
    "report_out_needs_file_format": (
        "--out writes the html or json report: give --format html or --format json",
        "--out は html または json の報告書を書き出します: --format html か --format json "
        "を指定してください",
    ),
    "report_written": ("Wrote the report of {product} {version} to {path}.",
                       "{product} {version} の報告書を {path} に書き出しました。"),
    "quality_title": (
        "{framework}: {score}%, {verdict}", "{framework}: {score}%、{verdict}"),
    "quality_met": ("every required element met", "必須要素をすべて満たしています"),
    "quality_not_met": ("required elements missing", "満たしていない必須要素があります"),
    "quality_element": ("Element", "要素"),
    "quality_scope": ("Of", "対象"),
    "quality_met_count": ("Met", "充足"),
    "quality_fix": ("To fix", "対処"),
    "quality_scope_document": ("document", "文書"),
    "quality_scope_component": ("components", "コンポーネント"),
    "quality_missing": ("Missing in: {refs}.", "欠けている対象: {refs}。"),
    "quality_missing_more": (
        "Missing in: {refs} and {more} more.", "欠けている対象: {refs} ほか {more} 件。"),
    "licences_title": ("Licences against the policy", "ポリシーに照らしたライセンス"),
    "licences_expression": ("Licence", "ライセンス"),
    "licences_decision": ("Decision", "判定"),
    "licences_why": ("Why", "理由"),
    "licences_unknown": ("unknown", "不明"),
    "licences_none": ("none given", "記載なし"),
    "licences_rule_licenses": ("named in the policy", "ポリシーで個別指定"),
    "licences_rule_categories": ("by its category", "分類による"),
    "licences_rule_default": ("by default", "既定による"),
    "licences_rule_missing": ("no licence given", "ライセンス記載なし"),
    "licences_rule_unknown": ("licence not known", "不明なライセンス"),
    "licences_scope_base": ("base", "基本"),
    "licences_scope_organisation": ("organisation {name}", "組織 {name}"),
    "licences_scope_product": ("product {name}", "製品 {name}"),
    "licence_policy_unknown_organisations": (
        "warning: the policy overrides organisations no stored one is named: {names} "
        "(they apply once stored under that exact name)",
        "警告: ポリシーが上書きを定める組織のうち、保存済みのものがない名前: {names} "
        "(その名前で保存されると適用されます)"),
    "licence_policy_unknown_products": (
        "warning: the policy overrides products no stored one is named: {names} "
        "(they apply once stored under that exact name)",
        "警告: ポリシーが上書きを定める製品のうち、保存済みのものがない名前: {names} "
        "(その名前で保存されると適用されます)"),
    "licence_policy_changed": (
        "Licence policy version {version} recorded; {releases} stored releases judged: "
        "{flagged} licence findings stand, {opened} opened, {reopened} reopened, "
        "{resolved} resolved; {events} events.",
        "ライセンスポリシーのバージョン {version} を記録しました。保存済みリリース {releases} 件を"
        "判定: ライセンスの検出事項 {flagged} 件 (新規 {opened} 件、再オープン {reopened} 件、"
        "解決 {resolved} 件)。イベント {events} 件。"),
    "licence_policy_unchanged": (
        "That licence policy is already held (or none was held to clear): nothing recorded.",
        "そのライセンスポリシーは既に保持しています (または解除するポリシーがありません)。"
        "何も記録していません。"),
    "licence_policy_none": (
        "No licence policy is stored.", "ライセンスポリシーは保存されていません。"),
    "licence_policy_held": (
        "Licence policy version {version} (of {versions} recorded), sha256 {sha256}, from "
        "{source}, recorded {recorded_at}:",
        "ライセンスポリシー バージョン {version} (記録 {versions} 件中)、sha256 {sha256}、"
        "取得元 {source}、記録日時 {recorded_at}:"),
    "decision_allow": ("allow", "許可"),
    "decision_review": ("review", "要確認"),
    "decision_deny": ("deny", "拒否"),
    "licences_conflict": (
        "Conflict ({decision}, {scope}): {first} ({first_components}) with {second} "
        "({second_components}) in one product; reason: {reason}",
        "ライセンスの競合 ({decision}、{scope}): {first} ({first_components}) と {second} "
        "({second_components}) が一つの製品に含まれています。理由: {reason}"),
    "licences_summary": (
        "{allow} allowed, {review} to review, {deny} denied.",
        "許可 {allow} 件、要確認 {review} 件、拒否 {deny} 件。"),
    "field_name": ("name", "名前"),
    "field_version": ("version", "バージョン"),
    "hint.attestation_key_needs_tpm": (
        "give --backend tpm: file and PKCS#11 device keys sign reports directly",
        "--backend tpm を指定してください。ファイル鍵と PKCS#11 の機器鍵はレポートに直接署名します",
    ),
    # Hints to errors of the store and of the application layer.
    "hint.store_no_organisation": (
        "declare it in the supply-chain file and load it with `cpstrust chain load`",
        "サプライチェーンファイルで宣言し、`cpstrust chain load` で読み込んでください",
    ),
    "hint.store_no_product": (
        "`cpstrust report` lists the products in the store; declare a new one in the "
        "supply-chain file and load it with `cpstrust chain load`, or give its --supplier",
        "登録済みの製品は `cpstrust report` で確認できます。新しい製品はサプライチェーン"
        "ファイルで宣言して `cpstrust chain load` で読み込むか、--supplier で供給元を"
        "指定してください",
    ),
    "hint.store_no_device": (
        "`cpstrust devices` lists the devices",
        "機器の一覧は `cpstrust devices` で確認できます",
    ),
    "hint.store_no_vulnerability": (
        "import advisories with `cpstrust vulndb import` first",
        "先に `cpstrust vulndb import` でアドバイザリを取り込んでください",
    ),
    "hint.store_document_longer": (
        "the store is damaged: restore it from a backup or import the document again",
        "ストアが破損しています。バックアップから復元するか、文書をもう一度取り込んでください",
    ),
    "hint.store_document_shorter": (
        "the store is damaged: restore it from a backup or import the document again",
        "ストアが破損しています。バックアップから復元するか、文書をもう一度取り込んでください",
    ),
    "hint.store_document_digest_mismatch": (
        "the store is damaged: restore it from a backup or import the document again",
        "ストアが破損しています。バックアップから復元するか、文書をもう一度取り込んでください",
    ),
    "hint.store_document_undecompressable": (
        "the store is damaged: restore it from a backup or import the document again",
        "ストアが破損しています。バックアップから復元するか、文書をもう一度取り込んでください",
    ),
    "hint.app_release_without_sbom": (
        "store one with `cpstrust sbom import FILE --product P --version V`",
        "`cpstrust sbom import FILE --product P --version V` で SBOM を保存してください",
    ),
    "hint.app_no_release_in_scope": (
        "`cpstrust report` lists the stored releases",
        "保存済みのリリースは `cpstrust report` で確認できます",
    ),
    "hint.app_no_finding": (
        "`cpstrust findings list` shows the ids",
        "ID は `cpstrust findings list` で確認できます",
    ),
    "hint.app_trust_store_empty": (
        "add keys with 'cpstrust trust add-key'",
        "'cpstrust trust add-key' で鍵を追加してください",
    ),
    "hint.app_artifact_name_twice": (
        "rename one, or sign a directory to keep the paths",
        "どちらかの名前を変えるか、ディレクトリごと署名してパスを残してください",
    ),
    # Errors and texts of the commands themselves.
    "scan_one_target": (
        "give exactly one of FILE, --product or --all",
        "FILE、--product、--all のうち一つだけを指定してください",
    ),
    "scan_vex_needs_file": (
        "--vex applies to an SBOM file: give FILE",
        "--vex は SBOM ファイルに適用します: FILE を指定してください",
    ),
    "licences_one_target": (
        "give either an SBOM FILE or --product",
        "SBOM の FILE か --product のどちらかを指定してください"),
    "licences_org_needs_file": (
        "--org applies to an SBOM FILE: a stored product's organisation is its supplier",
        "--org は SBOM ファイルに適用します: 保存済み製品の組織はその供給元です"),
    "licences_version_needs_stored": (
        "--version selects a stored release: give --product without FILE",
        "--version は保存済みリリースを選びます: FILE なしで --product を指定してください"),
    "licences_sarif_needs_file": (
        "--format sarif reports a file check: give FILE",
        "--format sarif はファイルの検査結果を出力します: FILE を指定してください"),
    "scan_sarif_needs_file": (
        "--format sarif reports a file scan: give FILE",
        "--format sarif はファイルの検査結果を出力します: FILE を指定してください",
    ),
    "vex_unrelated": (
        "{source}: no statement of this VEX names the SBOM's product or any of its "
        "components (another product's VEX?)",
        "{source}: この VEX のどのステートメントも SBOM の製品やコンポーネントを指して"
        "いません (別の製品の VEX ではありませんか)",
    ),
    "vex_imported": (
        "Kept {source} ({format} VEX, {statements} statements) as evidence.",
        "{source} ({format} VEX、ステートメント {statements} 件) を証跡として保存しました。",
    ),
    "vex_imported_again": (
        "{source} ({format} VEX, {statements} statements) was kept already; applied again.",
        "{source} ({format} VEX、ステートメント {statements} 件) は保存済みです。再適用しました。",
    ),
    "vex_applied": (
        "{releases} releases: {decided} findings decided by VEX, {changed} changed now, "
        "{kept} left as a person decided.",
        "リリース {releases} 件: VEX が決めた検出事項 {decided} 件 (今回変更 {changed} 件)、"
        "人が判断したため変更しなかったもの {kept} 件。",
    ),
    "vex_exported": ("Wrote {path}: {statements} statements.",
                     "{path} に書き出しました: ステートメント {statements} 件。"),
    "vex.not_affected": ("not affected", "影響なし"),
    "vex.affected": ("affected", "影響あり"),
    "vex.fixed": ("fixed", "修正済み"),
    "vex.under_investigation": ("under investigation", "調査中"),
    "scan_version_needs_product": (
        "--version needs --product",
        "--version には --product が必要です",
    ),
    "vulndb_skipped": ("skipped", "スキップ"),
    "vulndb_progress": ("advisories", "アドバイザリ"),
    "generate_progress": ("hashing files", "ファイルをハッシュ中"),
    "generate_progress_files": ("{files} files", "ファイル {files} 個"),
    "vulndb_exports_unchanged": (
        "OSV exports unchanged since the last update.",
        "前回の更新以降、OSV のエクスポートに変更はありません。",
    ),
    "vulndb_counts": (
        "{advisories} advisories ({withdrawn} withdrawn), {vulnerabilities} vulnerabilities, "
        "{packages} affected packages",
        "アドバイザリ {advisories} 件(取り下げ {withdrawn} 件)、脆弱性 {vulnerabilities} 件、"
        "影響を受けるパッケージ {packages} 個",
    ),
    "vulndb_age_minutes": ("{n} min", "{n} 分"),
    "vulndb_age_hours": ("{n} h", "{n} 時間"),
    "vulndb_age_days": ("{n} d", "{n} 日"),
    "sbom_without_purl": ("without purl: {names}", "purl なし: {names}"),
    "key_status_active": ("active", "有効"),
    "key_status_revoked": ("revoked: {reason}", "失効: {reason}"),
    "trusted_key_trusted": ("trusted", "信頼済み"),
    "trusted_key_revoked": ("revoked {at}: {reason}", "失効 {at}: {reason}"),
    "finding_id": ("id", "ID"),
    "finding_status_set": ("finding {id}: {status}", "検出事項 {id}: {status}"),
    # Hints for errors of cpstrust.formats and cpstrust.feeds.
    "hint.yaml_needs_libyaml": (
        "install PyYAML wheels from PyPI, or build it against libyaml-dev",
        "PyPI の PyYAML の wheel をインストールするか、libyaml-dev を使ってビルドしてください",
    ),
    "hint.osv_export_http_status": (
        "check the ecosystem name as OSV spells it; the cache was left as it was",
        "エコシステム名が OSV の表記どおりか確認してください。キャッシュは変更していません",
    ),
    "hint.osv_export_download_failed": (
        "the cache was left as it was",
        "キャッシュは変更していません",
    ),
    "hint.osv_export_unexpected_status": (
        "the cache was left as it was",
        "キャッシュは変更していません",
    ),
    "hint.osv_export_truncated": (
        "try again; the cache was left as it was",
        "もう一度実行してください。キャッシュは変更していません",
    ),
    "hint.osv_export_too_large": (
        "raise max_bytes if this is expected; the cache was left as it was",
        "想定どおりの大きさなら max_bytes を引き上げてください。キャッシュは変更していません",
    ),
    "hint.osv_export_too_many_members": (
        "the cache was left as it was",
        "キャッシュは変更していません",
    ),
    "hint.osv_export_zip_bomb": (
        "the cache was left as it was",
        "キャッシュは変更していません",
    ),
    "hint.osv_export_not_zip": (
        "the cache was left as it was",
        "キャッシュは変更していません",
    ),
    "hint.osv_export_corrupt_member": (
        "the cache was left as it was",
        "キャッシュは変更していません",
    ),
    "hint.osv_export_replace_failed": (
        "already replaced: {replaced}",
        "置き換え済み: {replaced}",
    ),
    "hint.osv_export_state_write_failed": (
        "the new zips are in place and will be downloaded again",
        "新しい zip は配置済みです。次回もう一度ダウンロードされます",
    ),
    "hint.osv_export_invalid_ecosystem": (
        "use the name as OSV writes it, e.g. PyPI, Go, npm",
        "OSV の表記どおりの名前を指定してください(例: PyPI、Go、npm)",
    ),
    # cpstrust.trust, cpstrust.crypto, cpstrust.remote: what the user can do about them
    "hint.crypto_unsupported_curve": (
        "use Ed25519 or ECDSA P-256",
        "Ed25519 か ECDSA P-256 の鍵を使ってください",
    ),
    "hint.crypto_unsupported_key_type": (
        "use Ed25519 or ECDSA P-256",
        "Ed25519 か ECDSA P-256 の鍵を使ってください",
    ),
    "hint.crypto_not_pem_public_key": (
        "export one with 'cpstrust keys export-public NAME'",
        "'cpstrust keys export-public NAME' で書き出した公開鍵を指定してください",
    ),
    "hint.release_without_product": ("pass --product", "--product で製品名を指定してください"),
    "hint.update_check_unordered_versions": (
        "versions must be SemVer or PEP 440",
        "バージョンは SemVer か PEP 440 の形式で指定してください",
    ),
    "hint.trust_key_revoked_for_good": ("create a new key", "新しい鍵を作成してください"),
    "hint.trust_keyid_too_short": (
        "give at least {least} hex digits",
        "16 進数で {least} 桁以上指定してください",
    ),
    "hint.trust_key_not_found": (
        "see 'cpstrust trust list'",
        "'cpstrust trust list' で確認してください",
    ),
    "hint.trust_keyid_ambiguous": ("give more digits", "桁数を増やして指定してください"),
    "hint.trust_signer_not_root": (
        "trust its public key with 'cpstrust trust add-key PEM --role root' first",
        "先に 'cpstrust trust add-key PEM --role root' でその公開鍵を信頼してください",
    ),
    "hint.trust_store_no_root": (
        "pass --root PEM for the first import",
        "最初の取り込みでは --root PEM を指定してください",
    ),
    "hint.keyring_invalid_name": (
        "letters, digits, '.', '_' and '-', at most 64",
        "英数字と '.'、'_'、'-' の 64 文字以内で指定してください",
    ),
    "hint.keyring_key_not_found": (
        "see 'cpstrust keys list'",
        "'cpstrust keys list' で確認してください",
    ),
    "hint.keyring_key_revoked": ("create a new key", "新しい鍵を作成してください"),
    "hint.file_key_undecryptable": (
        "check the passphrase variable",
        "パスフレーズの環境変数を確認してください",
    ),
    "hint.file_key_passphrase_too_short": (
        "put it in an environment variable and pass --passphrase-env VAR",
        "パスフレーズを環境変数に設定し、--passphrase-env VAR で指定してください",
    ),
    "hint.pkcs11_signature_unverified": ("create a new key", "新しい鍵を作成してください"),
    "hint.pkcs11_needs_module": (
        "pass --module, e.g. --module /usr/lib/softhsm/libsofthsm2.so",
        "--module で指定してください(例: --module /usr/lib/softhsm/libsofthsm2.so)",
    ),
    "hint.pkcs11_needs_token": (
        "pass --token, e.g. --token cpstrust",
        "--token で指定してください(例: --token cpstrust)",
    ),
    "hint.pkcs11_mechanism_unsupported": (
        "choose another algorithm or token",
        "別のアルゴリズムかトークンを選んでください",
    ),
    "hint.pkcs11_key_not_the_record": (
        "the key on the token was replaced",
        "トークン上の鍵が差し替えられています",
    ),
    "hint.pkcs11_needs_pin": (
        "put the token's user PIN in an environment variable and pass --pin-env VAR",
        "トークンのユーザー PIN を環境変数に設定し、--pin-env VAR で指定してください",
    ),
    "hint.pkcs11_pin_refused": (
        "put the token's user PIN in an environment variable and pass --pin-env VAR",
        "トークンのユーザー PIN を環境変数に設定し、--pin-env VAR で指定してください",
    ),
    "hint.pkcs11_module_not_found": (
        "install the token's PKCS#11 library or correct the path",
        "トークンの PKCS#11 ライブラリをインストールするか、パスを修正してください",
    ),
    "hint.pkcs11_no_such_token": (
        "list them with 'pkcs11-tool --module MODULE --list-token-slots' or "
        "'softhsm2-util --show-slots'",
        "'pkcs11-tool --module MODULE --list-token-slots' か 'softhsm2-util --show-slots' "
        "で一覧を確認してください",
    ),
    "hint.pkcs11_tokens_share_label": (
        "give each token a distinct label",
        "トークンごとに異なるラベルを付けてください",
    ),
    "hint.pkcs11_module_unloadable": (
        "is this the PKCS#11 library of the token?",
        "トークンの PKCS#11 ライブラリか確認してください",
    ),
    "hint.pkcs11_pin_locked": (
        "unlock it with the security officer PIN",
        "セキュリティオフィサー PIN でロックを解除してください",
    ),
    "hint.pkcs11_private_key_missing": (
        "is this the token the key was created on?",
        "鍵を作成したトークンか確認してください",
    ),
    "hint.pkcs11_public_key_missing": (
        "is this the token the key was created on?",
        "鍵を作成したトークンか確認してください",
    ),
    "hint.pkcs11_key_objects_ambiguous": ("remove the duplicate", "重複を削除してください"),
    "hint.tpm_no_ed25519": (
        "use --algorithm ecdsa-p256",
        "--algorithm ecdsa-p256 を指定してください",
    ),
    "hint.tpm_needs_tcti": (
        "pass the TPM connection with --tcti, e.g. device:/dev/tpmrm0 or swtpm:port=2321",
        "TPM への接続を --tcti で指定してください(例: device:/dev/tpmrm0、swtpm:port=2321)",
    ),
    "hint.tpm_restricted_invalid": (
        "restricted=true (attestation key) or restricted=false",
        "restricted=true(アテステーション鍵)か restricted=false を指定してください",
    ),
    "hint.tpm_attestation_key_signs_quotes_only": (
        "create an unrestricted key",
        "制限のない鍵を作成してください",
    ),
    "hint.tpm_not_attestation_key": (
        "create one with --attestation-key",
        "--attestation-key で作成してください",
    ),
    "hint.tpm_unreachable": (
        "pass the TPM connection with --tcti, e.g. device:/dev/tpmrm0 or swtpm:port=2321",
        "TPM への接続を --tcti で指定してください(例: device:/dev/tpmrm0、swtpm:port=2321)",
    ),
    "hint.tpm_locator_incomplete": ("create the key again", "鍵を作成し直してください"),
    "hint.tpm_key_not_the_record": (
        "the blobs were replaced; create the key again",
        "鍵ブロブが差し替えられています。鍵を作成し直してください",
    ),
    "hint.image_too_large": (
        "an archive that expands this much is refused as a tar bomb",
        "これほど大きく展開されるアーカイブは tar 爆弾として拒否します",
    ),
    "hint.http_plain_refused": (
        "use https://, or --allow-http for a trusted local mirror",
        "https:// を使ってください。信頼できるローカルミラーなら --allow-http を指定できます",
    ),
    "hint.http_not_https": ("give an https:// URL", "https:// の URL を指定してください"),
    "hint.verifier_client_bad_url": (
        "e.g. --verifier http://verifier.example:8443",
        "例: --verifier http://verifier.example:8443",
    ),
    "hint.verifier_client_unreachable": (
        "check --verifier and that the verifier runs",
        "--verifier の指定と、検証サーバが動作していることを確認してください",
    ),
    # cpstrust monitor decode
    "monitor_summary": ("{source}: {packets} packets, {first} to {last}",
                        "{source}: {packets} パケット、{first} から {last}"),
    "monitor_stopped": ("reading stopped at byte {offset}: {reason}",
                        "{offset} バイト目で読み込みを停止しました: {reason}"),
    "monitor_protocols": ("Packets and messages by protocol", "プロトコル別のパケットとメッセージ"),
    "monitor_protocol": ("Protocol", "プロトコル"),
    "monitor_count": ("Count", "件数"),
    "monitor_modbus": ("Modbus/TCP function codes", "Modbus/TCP ファンクションコード"),
    "monitor_function": ("Function", "ファンクション"),
    "monitor_name": ("Name", "名前"),
    "monitor_requests": ("Requests", "要求"),
    "monitor_responses": ("Responses", "応答"),
    "monitor_exceptions": ("Exceptions (code: count)", "例外(コード: 件数)"),
    "monitor_pairs": ("Modbus: {pairs} responses paired with their request, {unanswered} "
                      "requests unanswered, {unpaired} responses without a request seen",
                      "Modbus: 要求と対応付いた応答 {pairs} 件、応答のない要求 {unanswered} 件、"
                      "要求の見えない応答 {unpaired} 件"),
    "monitor_bacnet": ("BACnet/IP services", "BACnet/IP サービス"),
    "monitor_pdu": ("PDU", "PDU 種別"),
    "monitor_code": ("Code", "コード"),
    "monitor_assets": ("Assets seen", "検出された資産"),
    "monitor_ip": ("IP", "IP"),
    "monitor_mac": ("MAC", "MAC アドレス"),
    "monitor_role": ("Role", "役割"),
    "monitor_units": ("Modbus unit ids", "Modbus ユニット ID"),
    "monitor_devices": ("BACnet devices", "BACnet デバイス"),
    "monitor_flows": ("Largest flows", "最大のフロー"),
    "monitor_src": ("Source", "送信元"),
    "monitor_dst": ("Destination", "宛先"),
    "monitor_packets": ("Packets", "パケット"),
    "monitor_bytes": ("Bytes", "バイト"),
    "monitor_flow_total": ("{shown} of {total} flows shown ({dropped} flows evicted, least "
                           "recently seen, to keep the flow table within its bound)",
                           "{total} フロー中 {shown} を表示(フロー表を上限内に保つため、"
                           "最も長く見えなかったフロー {dropped} 件を追い出し)"),
    "monitor_malformed": ("Not decoded, by class", "デコードできなかったもの(分類別)"),
    "monitor_learned": ("Baseline written to {out}: {packets} packets, {hosts} hosts, {talkers} "
                        "talkers, {modbus_functions} Modbus functions, {bacnet_services} "
                        "BACnet services, {values} value ranges, {rates} rates, {windows} "
                        "model windows",
                        "ベースラインを {out} に書き込みました: パケット {packets}、ホスト "
                        "{hosts}、通信の組 {talkers}、Modbus ファンクション {modbus_functions}、"
                        "BACnet サービス {bacnet_services}、値の範囲 {values}、レート {rates}、"
                        "モデルの窓 {windows}"),
    "monitor_alerts": ("Alerts", "アラート"),
    "monitor_findings_stored": ("Findings: {opened} opened, {refreshed} seen again, "
                                "{reopened} reopened, {resolved} resolved",
                                "検出事項: 新規 {opened} 件、再観測 {refreshed} 件、再オープン "
                                "{reopened} 件、解決 {resolved} 件"),
    "monitor_inventory": ("Asset inventory", "資産インベントリ"),
    "monitor_last": ("Last seen", "最終"),
    "monitor_talkers": ("Talkers", "通信相手"),
    "monitor_unknown_device": ("unknown device: {ip} is declared nowhere in the graph",
                               "不明なデバイス: {ip} はグラフのどこにも宣言されていません"),
    "monitor_missing_device": ("missing device: {device} ({ip}) was never seen",
                               "未検出のデバイス: {device}({ip})は一度も観測されていません"),
    "ot_findings": ("OT findings", "OT の検出事項"),
    "ot_subject": ("Device or host", "デバイスまたはホスト"),
    "finding_id_invalid": ("{id!r} is not a finding id (a number, or ot-N)",
                           "{id!r} は検出事項の ID ではありません(数値または ot-N)"),
    "live_started": ("capturing: dumpcap (pid {pid}) writes its ring buffer",
                     "キャプチャ中: dumpcap(pid {pid})がリングバッファに書き込んでいます"),
    "live_restarted": ("capture restarted (restart {restarts}): dumpcap had stopped: "
                       "{detail}",
                       "キャプチャを再起動しました(再起動 {restarts} 回目): dumpcap が"
                       "停止していました: {detail}"),
    "live_stopped": ("stopped: {packets} packets, {alerts} alerts; dumpcap received "
                     "{received}, dropped {dropped}; {restarts} restarts, {lost} ring files "
                     "lost",
                     "停止しました: パケット {packets} 件、アラート {alerts} 件。dumpcap の受信 "
                     "{received} 件、ドロップ {dropped} 件。再起動 {restarts} 回、失われた"
                     "リングファイル {lost} 件"),
    "monitor_when": ("First seen", "初回"),
    "monitor_severity": ("Severity", "重大度"),
    "monitor_kind": ("Kind", "種類"),
    "monitor_explanation": ("Explanation", "説明"),
    "monitor_class": ("Class", "分類"),
    "monitor_nothing_malformed": ("Nothing malformed.", "不正な形式のものはありません。"),
}
