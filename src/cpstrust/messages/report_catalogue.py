"""Labels of the product report for people (``cpstrust report --product P --format html``):
code -> (English, Japanese). See cpstrust.messages.

Severity words in Japanese are those JVN uses for CVSS ratings (緊急, 重要, 警告, 注意).
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "report_title": ("{product} {version}: supply-chain report",
                     "{product} {version} サプライチェーン報告書"),
    "report_generated": ("Made on {at} by cpstrust {tool} from the stored evidence.",
                         "{at} に cpstrust {tool} が保存済みの証拠から作成しました。"),
    "report_contents": ("Contents", "目次"),
    # The release and its SBOM.
    "report_overview": ("Release and SBOM", "リリースと SBOM"),
    "report_supplier": ("Supplier", "供給元"),
    "report_supplier_unknown": ("not recorded", "記録なし"),
    "report_release": ("Release reported on", "対象リリース"),
    "report_releases": ("Stored releases of the product", "保存済みの製品リリース"),
    "report_sbom_format": ("SBOM format", "SBOM の形式"),
    "report_sbom_serial": ("SBOM serial number", "SBOM のシリアル番号"),
    "report_sbom_sha256": ("SHA-256 of the SBOM as received",
                           "受領した SBOM の SHA-256"),
    "report_sbom_source": ("SBOM received as", "受領した SBOM のファイル名"),
    "report_sbom_received": ("SBOM received at", "SBOM の受領日時"),
    "report_not_given": ("not given", "記載なし"),
    "report_counts": (
        "{components} components ({files} file entries besides, not listed); {findings} "
        "vulnerability findings, {standing} of them open.",
        "コンポーネント {components} 個(ほかにファイル項目 {files} 個、一覧には含めず)、"
        "脆弱性の検出事項 {findings} 件(うち未対応 {standing} 件)。",
    ),
    "report_open_by_severity": ("Open findings by severity", "深刻度別の未対応の検出事項"),
    # Findings.
    "report_findings": ("Vulnerabilities by component", "コンポーネント別の脆弱性"),
    "report_no_findings": ("No known vulnerability is stored for this release.",
                           "このリリースに保存された既知の脆弱性はありません。"),
    "report_path": ("Dependency path from the product", "製品からの依存経路"),
    "report_path_none": (
        "No chain of dependencies in the SBOM leads from the product to this component.",
        "SBOM の依存関係には、製品からこのコンポーネントに至る経路がありません。",
    ),
    "report_no_root": (
        "The SBOM names no product it describes, so no dependency path can be shown.",
        "SBOM が記述対象の製品を示していないため、依存経路を表示できません。",
    ),
    "report_findings_of": ("Vulnerabilities of {component}", "{component} の脆弱性"),
    "report_col_vex": ("VEX statement", "VEX ステートメント"),
    "report_col_summary": ("Summary", "概要"),
    "report_aliases": ("also {aliases}", "別名 {aliases}"),
    "report_vex_source": ("in {document} (stored VEX {id}) at {statement}",
                          "{document}(保存済み VEX {id})の {statement}"),
    "report_justification": ("justification: {justification}", "根拠: {justification}"),
    "report_note": ("note: {note}", "メモ: {note}"),
    "report_no_vex": ("no statement", "ステートメントなし"),
    "report_not_compared": (
        "version not compared: neither found nor ruled out",
        "バージョンを比較できず: 該当とも非該当とも判定できません",
    ),
    "report_decided_by_engine": ("as cpstrust found it", "cpstrust の判定"),
    "report_decided_by_person": ("decided by a person", "担当者の判断"),
    "report_decided_by_vex": ("decided by VEX", "VEX による判定"),
    "report_status_open": ("open", "未対応"),
    "report_status_accepted": ("risk accepted", "リスク受容"),
    "report_status_fixed": ("fixed", "修正済み"),
    "report_status_not_affected": ("not affected", "影響なし"),
    "report_vex_affected": ("affected", "影響あり"),
    "report_vex_not_affected": ("not affected", "影響なし"),
    "report_vex_fixed": ("fixed", "修正済み"),
    "report_vex_under_investigation": ("under investigation", "調査中"),
    "report_severity_critical": ("critical", "緊急"),
    "report_severity_high": ("high", "重要"),
    "report_severity_medium": ("medium", "警告"),
    "report_severity_low": ("low", "注意"),
    "report_severity_none": ("none", "なし"),
    "report_severity_unknown": ("unknown", "不明"),
    # Components and licences.
    "report_components": ("Components and licences", "コンポーネントとライセンス"),
    "report_col_purl": ("Package URL", "パッケージ URL"),
    "report_col_category": ("Licence class", "ライセンス分類"),
    "report_col_decision": ("Policy decision", "ポリシーによる判定"),
    "report_policy": ("Licences decided by the policy {policy}.",
                      "ライセンスはポリシー {policy} で判定しています。"),
    "report_no_policy": (
        "No licence policy was given (--policy): licences are classified, not decided.",
        "ライセンスポリシーが指定されていないため(--policy)、分類のみを示し、判定はしていません。",
    ),
    "report_licence_unreadable": ("unreadable: {problem}", "読み取れません: {problem}"),
    "report_category_unknown": ("not in the licence index", "ライセンス索引にない"),
    "report_category_permissive": ("permissive", "許容型"),
    "report_category_public-domain": ("public domain", "パブリックドメイン"),
    "report_category_copyleft-limited": ("weak copyleft", "弱いコピーレフト"),
    "report_category_copyleft": ("strong copyleft", "強いコピーレフト"),
    "report_category_commercial": ("commercial", "商用"),
    "report_category_proprietary-free": ("proprietary, free of charge", "独自(無償)"),
    "report_category_free-restricted": ("free with restrictions", "制限付き無償"),
    "report_category_source-available": ("source available", "ソース公開(非オープンソース)"),
    "report_category_patent-license": ("patent licence", "特許ライセンス"),
    "report_category_cla": ("contributor licence agreement", "コントリビューター・ライセンス契約"),
    "report_category_unstated-license": ("licence not stated", "ライセンス記載なし"),
    "report_conflicts": ("Licence conflicts", "ライセンスの競合"),
    "report_conflict": (
        "{first} ({first_components}) with {second} ({second_components}): {decision}. "
        "{reason}",
        "{first}({first_components})と {second}({second_components}): {decision}。"
        "{reason}",
    ),
    # Quality.
    "report_quality": ("SBOM quality", "SBOM の品質"),
    "report_quality_intro": (
        "The same check as `cpstrust sbom check` on the SBOM kept: a score per element, "
        "and the framework's score as the mean of its required elements.",
        "保存された SBOM に `cpstrust sbom check` と同じ検査を行った結果です。要素ごとのスコアと、"
        "必須要素の平均による枠組みのスコアを示します。",
    ),
    "report_col_score": ("Score", "スコア"),
    "report_not_required": ("(not required)", "(必須ではない)"),
}
