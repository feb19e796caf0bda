"""Messages of the trust policy (its file, its engine's reasons, the evaluation): code ->
(English, Japanese). See cpstrust.messages."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # formats.trust_policy: the policy file
    "policy_too_large": (
        "policy file is {size} bytes, limit {limit}",
        "ポリシーファイルが {size} バイトあり、上限の {limit} バイトを超えています",
    ),
    "policy_not_yaml": ("not valid YAML: {detail}", "有効な YAML ではありません: {detail}"),
    "policy_invalid": ("{detail} (at {pointer})", "{detail}（{pointer}）"),
    "policy_duplicate_system": (
        "critical system {name!r} is listed twice",
        "重要システム {name!r} が二度記載されています",
    ),
    # app.trustpolicy
    "trust_supply_cycle": (
        "supply relations form a cycle: {cycle}; a supplier cannot depend on itself",
        "供給関係が循環しています: {cycle}。供給者が自らに依存することはできません",
    ),
    # trust.policy: organisations
    "trust_org_no_rule": (
        "no organisation rule of the policy applies (it supplies at no tier a rule names)",
        "ポリシーの組織ルールが適用されません（ルールの対象となる階層で供給していません）",
    ),
    "trust_org_no_evidence": (
        "no ★ evidence held (★{star} required)",
        "★ の証跡がありません（★{star} が必要）",
    ),
    "trust_org_star_met": (
        "★{star} by {kind} evidence {id} (issued {issued}, signed by {signer}) meets "
        "★{required} within {days} days",
        "証跡 {id}（{kind}、{issued} 発行、署名鍵 {signer}）の ★{star} が {days} 日以内の "
        "★{required} を満たします",
    ),
    "trust_org_star_stale": (
        "★{star} by {kind} evidence {id} was issued {issued}, more than {days} days ago "
        "(signed by {signer}; ★{required} required)",
        "証跡 {id}（{kind}、署名鍵 {signer}）の ★{star} は {issued} 発行で {days} 日を超えて"
        "います（★{required} が必要）",
    ),
    "trust_org_star_below": (
        "best accepted evidence {id} ({kind}, issued {issued}, signed by {signer}) claims "
        "★{star}, below the ★{required} required",
        "受理された最良の証跡 {id}（{kind}、{issued} 発行、署名鍵 {signer}）は ★{star} で、"
        "必要な ★{required} に達していません",
    ),
    "trust_evidence_refused": (
        "evidence {id} refused: {why}",
        "証跡 {id} は受理されません: {why}",
    ),
    "trust_supplier_verdict": (
        "supplier {name} is {verdict}",
        "供給者 {name} の判定は {verdict} です",
    ),
    "trust_suppliers_trusted": (
        "all {count} suppliers are trusted",
        "{count} 社の供給者はすべて trusted です",
    ),
    "trust_suppliers_unevaluated": (
        "{count} suppliers have no verdict yet",
        "{count} 社の供給者にまだ判定がありません",
    ),
    # trust.policy_things: products and releases
    "trust_no_rule": (
        "the policy sets no requirement here",
        "ポリシーはここに要件を定めていません",
    ),
    "trust_release_unsigned": (
        "no signed release held (a signed SBOM is required)",
        "署名付きリリースがありません（署名付き SBOM が必要）",
    ),
    "trust_release_signed_sbom": (
        "signed release {id} (signer {signer}) signs the SBOM stored for it",
        "署名付きリリース {id}（署名鍵 {signer}）が保存済み SBOM に署名しています",
    ),
    "trust_release_sbom_not_signed": (
        "signed release {id} signs no SBOM stored here",
        "署名付きリリース {id} は保存済みの SBOM に署名していません",
    ),
    "trust_release_signer_refused": (
        "signed release {id}: its signer is no longer trusted: {why}",
        "署名付きリリース {id}: 署名者はもう信頼されていません: {why}",
    ),
    "trust_signer_not_held": (
        "key {keyid} is not in the trust store",
        "鍵 {keyid} はトラストストアにありません",
    ),
    "trust_newest_release": (
        "its newest release {version} is {verdict} on its own",
        "最新リリース {version} 単体の判定は {verdict} です",
    ),
    "trust_depends_on": (
        "{kind} {name} is {verdict}",
        "{kind} {name} の判定は {verdict} です",
    ),
    "trust_dependency_unevaluated": (
        "its {kind} has no verdict yet",
        "依存する {kind} にまだ判定がありません",
    ),
    # trust.policy_graph: devices and systems
    "trust_device_no_attestation": (
        "no attestation held",
        "アテステーションがありません",
    ),
    "trust_device_attestation_fresh": (
        "attestation {id}: {verdict} at {at}, within {hours} hours",
        "アテステーション {id}: {at} に {verdict}（{hours} 時間以内）",
    ),
    "trust_device_attestation_stale": (
        "attestation {id}: {verdict} at {at}, more than {hours} hours ago",
        "アテステーション {id}: {at} に {verdict}（{hours} 時間を超えています）",
    ),
    "trust_device_attestation_failed": (
        "attestation {id}: {verdict} at {at}",
        "アテステーション {id}: {at} に {verdict}",
    ),
    "trust_no_open_finding": (
        "no open finding at {severity} or above on its release",
        "リリースに {severity} 以上の未対応の検出事項はありません",
    ),
    "trust_finding_open": (
        "finding {id} ({vulnerability}, {severity}) open since {since}, within {days} days "
        "({count} open at this severity or above)",
        "検出事項 {id}（{vulnerability}、{severity}）が {since} から未対応（{days} 日以内、"
        "この深刻度以上で {count} 件）",
    ),
    "trust_finding_overdue": (
        "finding {id} ({vulnerability}, {severity}) open since {since}, more than {days} days "
        "({count} open at this severity or above)",
        "検出事項 {id}（{vulnerability}、{severity}）が {since} から {days} 日を超えて未対応"
        "（この深刻度以上で {count} 件）",
    ),
    "trust_system_no_devices": (
        "no devices",
        "機器がありません",
    ),
    "trust_system_tally": (
        "{count} devices {verdict} (e.g. {example})",
        "{count} 台の機器が {verdict}（例: {example}）",
    ),
    # cli.trust_policy
    "trust_evaluation_title": (
        "Trust verdicts under {policy} ({computed} computed in this run)",
        "{policy} による信頼判定（今回 {computed} 件を計算）",
    ),
    "trust_what_if_title": (
        "{count} subjects would change verdict",
        "判定が変わる対象: {count} 件",
    ),
    "subject": ("Subject", "対象"),
    "reasons": ("Reasons", "理由"),
    "before": ("Now", "現在"),
    "after": ("Under the other policy", "別ポリシーでは"),
}
