"""Messages of signed organisational evidence (formats, verification, use cases and the
`cpstrust evidence` command): code -> (English, Japanese). See cpstrust.messages."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # formats.orgevidence, formats.evidence_bundle
    "evidence_unknown_predicate_type": (
        "predicate type {predicate_type} is no kind of organisational evidence",
        "述語タイプ {predicate_type} は組織のエビデンスの種類ではありません",
    ),
    "evidence_predicate_invalid": (
        "not a valid {kind} predicate: {detail}",
        "{kind} の述語として正しくありません: {detail}",
    ),
    "evidence_subject_not_predicate": (
        "the statement's subject must be exactly {name}, as its {kind} predicate says",
        "ステートメントの対象は {kind} の述語が示すとおり {name} ただ 1 つでなければなりません",
    ),
    "evidence_expires_before_issued": (
        "the evidence would expire before it is issued",
        "エビデンスの有効期限が発行日時より前です",
    ),
    "evidence_invalid_time": (
        "{value} is not a time with its zone (RFC 3339, e.g. 2026-11-23T12:00:00Z)",
        "{value} はタイムゾーン付きの日時 (RFC 3339、例: 2026-11-23T12:00:00Z) ではありません",
    ),
    "evidence_bundle_too_large": (
        "evidence bundle of {size} bytes is larger than the limit of {limit}",
        "エビデンスバンドル ({size} バイト) が上限 {limit} バイトを超えています",
    ),
    "evidence_bundle_invalid": (
        "not a valid evidence bundle: {detail}",
        "エビデンスバンドルとして正しくありません: {detail}",
    ),
    "evidence_bundle_entry_twice": (
        "the same entry of {field} is listed twice (first at index {first})",
        "{field} の同じ項目が 2 回記載されています (最初はインデックス {first})",
    ),
    "evidence_bundle_keyid_mismatch": (
        "the key id is not the SHA-256 of the public key it names",
        "鍵 ID が公開鍵の SHA-256 と一致しません",
    ),
    "evidence_bundle_algorithm_mismatch": (
        "the algorithm is not that of the public key",
        "アルゴリズムが公開鍵のものと一致しません",
    ),
    # trust.orgevidence
    "evidence_wrong_payload_type": (
        "payload type {payload_type} is not {expected}",
        "ペイロードタイプ {payload_type} は {expected} ではありません",
    ),
    "evidence_unknown_key": (
        "signed by key {signer}, which the trust store does not hold as an organisation's "
        "or an assessor's key",
        "鍵 {signer} による署名ですが、トラストストアはこの鍵を組織または評価機関の鍵として"
        "保持していません",
    ),
    "evidence_star_needs_assessor": (
        "a claim of ★{star} counts only when signed by an assessor's key; key {keyid} is "
        "trusted as {roles}",
        "★{star} の主張は評価機関の鍵で署名された場合に限り有効です。鍵 {keyid} は {roles} "
        "として信頼されています",
    ),
    "evidence_wrong_signer_role": (
        "{kind} evidence must be signed by a key trusted as {needed}; key {keyid} is "
        "trusted as {roles}",
        "{kind} のエビデンスには {needed} として信頼された鍵の署名が必要です。鍵 {keyid} は "
        "{roles} として信頼されています",
    ),
    "evidence_future_dated": (
        "issued at {issued} UTC, more than {minutes} minutes in the future",
        "発行日時 {issued} UTC は {minutes} 分以上先の未来です",
    ),
    "evidence_expired": (
        "expired at {date} UTC",
        "{date} UTC に有効期限が切れています",
    ),
    "evidence_unknown_requirements": (
        "profile {profile} names {count} requirements no catalogue holds: {ids}",
        "プロファイル {profile} がカタログにない要求事項を {count} 件挙げています: {ids}",
    ),
    # app.orgevidence
    "evidence_none_held": (
        "no evidence is held for organisation {organisation}",
        "組織 {organisation} のエビデンスは保持されていません",
    ),
    "evidence_not_found": (
        "no organisational evidence has id {id}",
        "ID {id} の組織のエビデンスはありません",
    ),
    "evidence_self_declared_star_too_high": (
        "★{star} cannot be self-declared: ★4 and ★5 need an assessor's attestation",
        "★{star} は自己宣言できません。★4 と ★5 には評価機関による証明が必要です",
    ),
    "evidence_not_signed_here": (
        "{kind} evidence is signed by the assessment engine, not by `evidence sign`",
        "{kind} のエビデンスは評価エンジンが署名します。`evidence sign` では作成できません",
    ),
    "evidence_option_unused": (
        "{kind} evidence takes no {options}",
        "{kind} のエビデンスに {options} は指定できません",
    ),
    "evidence_option_needed": (
        "{kind} evidence needs {option}",
        "{kind} のエビデンスには {option} が必要です",
    ),
    "evidence_level_out_of_range": (
        "level {level} is not one of {kind}'s levels ({allowed})",
        "レベル {level} は {kind} のレベル ({allowed}) のいずれでもありません",
    ),
    # cli.evidence
    "evidence_signed": (
        "Signed {kind} for {org}: evidence {id}, valid until {date}.",
        "{org} の {kind} に署名しました: エビデンス {id}、{date} まで有効。",
    ),
    "evidence_exported": (
        "Exported {n} envelopes and {keys} public keys of {org} to {file}.",
        "{org} のエンベロープ {n} 個と公開鍵 {keys} 個を {file} に書き出しました。",
    ),
    "evidence_imported": (
        "Kept {stored}, already held {held}, refused {refused}.",
        "保存 {stored} 件、保持済み {held} 件、拒否 {refused} 件。",
    ),
    "evidence_accepted": (
        "ACCEPTED {kind} of {org} ({subject}), signed by key {keyid}",
        "受理: {org} の {kind} ({subject})、鍵 {keyid} による署名",
    ),
    "evidence_key_offered": (
        "The bundle offers key {keyid} ({comment}), which you do not trust: check its id "
        "with its owner, then `cpstrust trust add-key` it if you decide to.",
        "バンドルは信頼されていない鍵 {keyid} ({comment}) を提示しています。所有者に鍵 ID を"
        "確認し、信頼すると決めた場合は `cpstrust trust add-key` で追加してください。",
    ),
    "evidence_verdict_accepted": ("accepted", "受理"),
    "evidence_title": ("Organisational evidence", "組織のエビデンス"),
    "evidence_column_id": ("Id", "ID"),
    "evidence_column_kind": ("Kind", "種別"),
    "evidence_column_organisation": ("Organisation", "組織"),
    "evidence_column_subject": ("Subject", "対象"),
    "evidence_column_keyid": ("Signer", "署名者"),
    "evidence_column_issued": ("Issued", "発行"),
    "evidence_column_expires": ("Expires", "有効期限"),
    "evidence_column_verdict": ("Verdict now", "現在の判定"),
}
