"""Messages of the risk register and plan (assess.risk, app.risk, formats.threat_catalogue,
the risk report): code -> (English, Japanese). See cpstrust.messages."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # bad input
    "risk_no_site": (
        "no site {site!r} is stored (load it with `cpstrust chain load`)",
        "拠点 {site!r} は保存されていません(`cpstrust chain load` で読み込んでください)",
    ),
    "risk_no_zone": (
        "site {site!r} has no zone {zone!r}",
        "拠点 {site!r} にゾーン {zone!r} はありません",
    ),
    "threats_too_large": (
        "threat catalogue of {size} bytes is over the limit of {limit}",
        "脅威カタログが {size} バイトで、上限 {limit} を超えています",
    ),
    "threats_not_yaml": (
        "threat catalogue is not YAML: {detail}",
        "脅威カタログが YAML ではありません: {detail}",
    ),
    "threats_schema_violation": (
        "threat catalogue is invalid: {detail}",
        "脅威カタログが不正です: {detail}",
    ),
    "threats_duplicate": (
        "{entry!r} is named twice",
        "{entry!r} が 2 回挙げられています",
    ),
    "threats_no_effort": (
        "requirement {requirement} has no effort under `efforts`",
        "要求事項 {requirement} の工数が `efforts` にありません",
    ),
    "threats_unknown_requirement": (
        "requirement {requirement} is not in the CPSF catalogue",
        "要求事項 {requirement} は CPSF カタログにありません",
    ),
    # why a risk is what it is
    "risk_impact_declared": (
        "impact: the zone's declared criticality is {criticality}",
        "影響度: ゾーンの申告された重要度は {criticality}",
    ),
    "risk_impact_assumed": (
        "impact: the zone declares no criticality; {criticality} is assumed",
        "影響度: ゾーンに重要度の申告がないため {criticality} とみなします",
    ),
    "risk_impact_shift": (
        "impact {shift} for this threat",
        "この脅威では影響度 {shift}",
    ),
    "risk_base_likelihood": (
        "likelihood: {value} for this threat before the zone's facts",
        "発生可能性: ゾーンの事実を見る前のこの脅威の値は {value}",
    ),
    "risk_vulnerability": (
        "likelihood +{points}: open {severity} vulnerability {vulnerability} in {product} "
        "{version} ({count} open at high or critical)",
        "発生可能性 +{points}: {product} {version} に未対応の深刻度 {severity} の脆弱性 "
        "{vulnerability}(高・緊急で未対応 {count} 件)",
    ),
    "risk_vulnerability_aged": (
        "likelihood +1: {vulnerability} has been open {days} days (over {limit})",
        "発生可能性 +1: {vulnerability} が {days} 日間未対応({limit} 日超)",
    ),
    "risk_ot_finding": (
        "likelihood +{points}: open OT finding {id} ({kind}, {technique}, {severity}) on "
        "{device} ({count} matching)",
        "発生可能性 +{points}: {device} の未対応の OT 検知 {id}({kind}、{technique}、"
        "{severity})(該当 {count} 件)",
    ),
    "risk_attestation_failed": (
        "likelihood +2: device {device}'s latest attestation is {verdict} ({count} devices "
        "not genuine)",
        "発生可能性 +2: 機器 {device} の最新の検証結果が {verdict}(真正でない機器 {count} 台)",
    ),
    "risk_supplier_verdict": (
        "likelihood +{points}: supplier {supplier} is {verdict} in the last trust evaluation",
        "発生可能性 +{points}: 供給者 {supplier} は直近の信頼評価で {verdict}",
    ),
    "risk_supplier_not_evaluated": (
        "likelihood +1: supplier {supplier} has no stored trust verdict (run `cpstrust trust "
        "evaluate`)",
        "発生可能性 +1: 供給者 {supplier} の信頼判定が保存されていません(`cpstrust trust "
        "evaluate` を実行してください)",
    ),
    "risk_measure_in_place": (
        "{factor} -{by}: {requirement} is met in {organisation}'s assessment",
        "{factor} -{by}: {organisation} の評価で {requirement} は実施済み",
    ),
    # report labels
    "risk_register_title": ("Risk register", "リスク台帳"),
    "risk_plan_title": ("Plan of countermeasures", "対策計画"),
    "risk_site_line": (
        "site {site} ({kind}), operated by {operator}; as at {at}",
        "拠点 {site}({kind})、運用者 {operator}、{at} 時点",
    ),
    "risk_heatmap": ("Likelihood x impact", "発生可能性 x 影響度"),
    "risk_heatmap_cell": (
        "likelihood {likelihood}, impact {impact}: {count} risks",
        "発生可能性 {likelihood}、影響度 {impact}: リスク {count} 件",
    ),
    "risk_assets": ("Assets by zone", "ゾーン別の資産"),
    "risk_zone": ("Zone", "ゾーン"),
    "risk_zone_none": ("(no zone)", "(ゾーンなし)"),
    "risk_criticality": ("Criticality", "重要度"),
    "risk_criticality_none": ("not declared", "未申告"),
    "risk_devices": ("Devices", "機器"),
    "risk_device_line": (
        "{device}: {product} {version} from {supplier}",
        "{device}: {supplier} の {product} {version}",
    ),
    "risk_threat": ("Threat", "脅威"),
    "risk_likelihood": ("Likelihood", "発生可能性"),
    "risk_impact": ("Impact", "影響度"),
    "risk_score": ("Risk", "リスク値"),
    "risk_level": ("Level", "水準"),
    "risk_why": ("Why", "根拠"),
    "risk_measures": ("Countermeasures", "対策"),
    "risk_level_low": ("low", "低"),
    "risk_level_medium": ("medium", "中"),
    "risk_level_high": ("high", "高"),
    "risk_level_critical": ("critical", "極めて高"),
    "risk_requirement": ("CPSF requirement", "CPSF 要求事項"),
    "risk_state": ("State", "状況"),
    "risk_effort": ("Effort", "工数"),
    "risk_reduction": ("Risk reduction", "リスク低減量"),
    "risk_per_effort": ("Per effort", "工数あたり"),
    "risk_addresses": ("Lowers", "低減する対象"),
    "risk_addressed_line": (
        "{threat} in {zone}: {factor} -{by} ({reduction})",
        "{zone} の {threat}: {factor} -{by}({reduction})",
    ),
    "risk_in_place_title": ("In place (met in the assessment)", "実施済み(評価で実施済み)"),
    "risk_nothing_in_place": (
        "No countermeasure is met in {organisation}'s assessment.",
        "{organisation} の評価で実施済みの対策はありません。",
    ),
    "risk_provisional": ("provisional", "暫定"),
    "risk_state_in_place": ("in place", "実施済み"),
    "risk_state_partially_met": ("partially met", "一部実施"),
    "risk_state_not_met": ("not met", "未実施"),
    "risk_state_not_applicable": ("not applicable", "対象外"),
    "risk_state_unanswered": ("unanswered", "未回答"),
    "risk_factor_likelihood": ("likelihood", "発生可能性"),
    "risk_factor_impact": ("impact", "影響度"),
    "risk_scales_note": (
        "Likelihood and impact 1-5; risk = likelihood x impact: low 1-4, medium 5-9, "
        "high 10-14, critical 15-25. Effort 1 (days) to 5 (equipment replaced).",
        "発生可能性・影響度は 1〜5、リスク値 = 発生可能性 x 影響度: 低 1〜4、中 5〜9、"
        "高 10〜14、極めて高 15〜25。工数は 1(数日)〜5(設備の更新)。",
    ),
    "risk_exit_note": (
        "{count} risks at or above {level}: exit status 1",
        "{level} 以上のリスクが {count} 件あるため終了コード 1",
    ),
}
