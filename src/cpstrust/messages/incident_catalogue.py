"""Messages of OT incidents and their countermeasure plans: code -> (English, Japanese).
See cpstrust.messages."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "incident_open_vulnerability": (
        "{product} {version} has {count} open high or critical vulnerabilities "
        "(worst: {worst}, {severity})",
        "{product} {version} に深刻度 高 以上の未対応の脆弱性が {count} 件あります"
        "(最も深刻なもの: {worst}、{severity})",
    ),
    "incident_attestation_failed": (
        "the latest attestation of {device} failed ({verdict}, {at})",
        "{device} の最新の構成証明が失敗しています({verdict}、{at})",
    ),
    "plan_isolate_source": (
        "Isolate or block the source {sources} from {devices}",
        "送信元 {sources} を {devices} から隔離または遮断する",
    ),
    "plan_restore_configuration": (
        "Restore the configuration (and setpoints) of {devices} from a known-good copy",
        "{devices} の設定(と設定値)を正常と確認済みの控えから復元する",
    ),
    "plan_patch_release": (
        "Patch {product} {version} on {devices}: {fixes}",
        "{devices} の {product} {version} にパッチを適用する: {fixes}",
    ),
    "plan_replace_release": (
        "Replace {product} {version} on {devices}, or obtain a fix from the supplier "
        "(no fixed version known for {vulnerabilities})",
        "{devices} の {product} {version} を置き換えるか、供給者から修正を入手する"
        "({vulnerabilities} の修正版は不明)",
    ),
    "plan_reset_credentials": (
        "Reset the credentials (passwords, keys) of {devices} and of the hosts that "
        "command them",
        "{devices} とそれを操作するホストの認証情報(パスワード、鍵)を再設定する",
    ),
    "plan_reattest_device": (
        "Attest {devices} again and compare them with their release's reference values",
        "{devices} の構成証明をやり直し、リリースの参照値と照合する",
    ),
    "app_no_incident": (
        "no incident with id {incident}",
        "ID {incident} のインシデントはありません",
    ),
    "app_incident_merged": (
        "incident {incident} was merged into incident {into}",
        "インシデント {incident} はインシデント {into} に統合されました",
    ),
    "incident_id_invalid": (
        "incident id {value} is not a positive number",
        "インシデント ID {value} は正の数ではありません",
    ),
    "incidents_title": ("OT incidents", "OT インシデント"),
    "incidents_none": ("No incidents.", "インシデントはありません。"),
    "incident_title": ("OT incident {id}", "OT インシデント {id}"),
    "incident_kind": ("Anomaly", "異常"),
    "incident_technique": ("ATT&CK for ICS technique", "ATT&CK for ICS の手法"),
    "incident_written": ("wrote the incident to {path}", "インシデントを {path} に書き出しました"),
    "incident_basis": ("Correlated by", "関連付けの根拠"),
    "incident_basis_device": ("one device", "同一機器"),
    "incident_basis_release": ("same release", "同一リリース"),
    "incident_basis_supplier": ("same supplier", "同一供給者"),
    "incident_basis_unmatched": ("no declared device", "登録機器なし"),
    "incident_status_open": ("open", "未対応"),
    "incident_status_accepted": ("accepted", "受容"),
    "incident_status_resolved": ("resolved", "解決済み"),
    "incident_status_merged": ("merged", "統合済み"),
    "incident_base_severity": ("Severity of the findings", "検出事項の深刻度"),
    "incident_raised_because": ("Severity raised because", "深刻度を引き上げた理由"),
    "incident_not_raised": ("Not raised: no open high or critical vulnerability and no "
                            "failed attestation on these devices.",
                            "引き上げなし: これらの機器に深刻度 高 以上の未対応の脆弱性も、"
                            "失敗した構成証明もありません。"),
    "incident_span": ("Seen", "観測期間"),
    "incident_findings": ("Findings", "検出事項"),
    "incident_devices": ("Devices", "機器"),
    "incident_releases": ("Releases", "リリース"),
    "incident_vulnerabilities": ("Open vulnerabilities", "未対応の脆弱性"),
    "incident_attestations": ("Latest attestations", "最新の構成証明"),
    "incident_plan": ("Countermeasure plan", "対策計画"),
    "incident_rank": ("Rank", "順位"),
    "incident_step": ("Step", "対策"),
    "incident_score": ("Score", "スコア"),
    "incident_requirements": ("CPSF requirements", "CPSF 対策要件"),
    "incident_provisional": ("provisional", "暫定"),
    "incident_scoring": (
        "Score = severity weight (low 1 … critical 4) × breadth (devices acted on, plus "
        "each site beyond the first) × applicability (0–1) ÷ effort (1 block or "
        "re-attest … 8 replace).",
        "スコア = 深刻度の重み(低 1 … 緊急 4)× 範囲(対象機器数と、2 か所目以降の"
        "拠点数)× 適合度(0〜1)÷ 工数(遮断・再証明 1 … 置き換え 8)。",
    ),
    "incident_deidentified": (
        "De-identified: addresses, sites and device names are pseudonyms.",
        "匿名化済み: アドレス、拠点名、機器名は仮名です。",
    ),
    "incident_fixed_versions": ("Fixed in", "修正版"),
    "incident_none_known": ("none known", "不明"),
    "incident_exported": (
        "wrote a STIX 2.1 bundle of {objects} objects to {path}",
        "{objects} 個のオブジェクトからなる STIX 2.1 バンドルを {path} に書き出しました",
    ),
    "incident_export_needs_stix": (
        "say which format to export: --stix",
        "書き出す形式を指定してください: --stix",
    ),
    "incident_generated": ("Generated {at} by cpstrust {tool}",
                           "{at} に cpstrust {tool} が作成"),
    "incident_exit_note": (
        "{count} incidents are open (exit code 1).",
        "未対応のインシデントが {count} 件あります(終了コード 1)。",
    ),
    "stix_invalid": (
        "the STIX bundle does not validate: {error} at {place}",
        "STIX バンドルが検証に通りません: {place} で {error}",
    ),
    "stix_dangling_ref": (
        "the STIX bundle refers to {ref}, which it does not hold",
        "STIX バンドルが含まれていない {ref} を参照しています",
    ),
}
