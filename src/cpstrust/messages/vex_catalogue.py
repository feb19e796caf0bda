"""Messages of VEX reading and application: code -> (English, Japanese). See
cpstrust.messages."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "vex_unknown_format": (
        "not a VEX document: neither OpenVEX (@context of openvex.dev), CycloneDX "
        "(bomFormat) nor CSAF (document.csaf_version)",
        "VEX 文書ではありません: OpenVEX (openvex.dev の @context)、CycloneDX (bomFormat)、"
        "CSAF (document.csaf_version) のいずれでもありません"),
    "vex_field_type": ("expected {expected}, found {found}",
                       "{expected} が必要ですが {found} でした"),
    "vex_field_missing": ("the field {field!r} is missing", "フィールド {field!r} がありません"),
    "vex_bad_timestamp": ("{value!r} is not an RFC 3339 date and time",
                          "{value!r} は RFC 3339 の日時ではありません"),
    "vex_schema_violation": ("not valid {format}: {detail}",
                             "{format} として正しくありません: {detail}"),
    "vex_cyclonedx_version": (
        "CycloneDX {version} has no VEX (analysis): use 1.4 to 1.7",
        "CycloneDX {version} には VEX (analysis) がありません: 1.4 から 1.7 を使ってください"),
    "vex_no_statement": (
        "no VEX statement in this {format} document (no vulnerability with a status)",
        "この {format} 文書には VEX ステートメント (状態の付いた脆弱性) がありません"),
    "vex_version_contradicts": (
        "a version marked {version_status!r} under a statement whose status is {status}",
        "状態が {status} のステートメントに {version_status!r} のバージョンがあります"),
    "vex_bad_bom_link": ("{ref!r} is not a BOM-Link (urn:cdx:<serial>/<version>#<ref>)",
                         "{ref!r} は BOM-Link (urn:cdx:<serial>/<version>#<ref>) ではありません"),
    "vex_unknown_ref": (
        "ref {ref!r} names no component of this document (a component of another BOM "
        "is named by a BOM-Link: urn:cdx:<serial>/<version>#<ref>)",
        "ref {ref!r} はこの文書のどのコンポーネントも指していません (他の BOM のコンポー"
        "ネントは BOM-Link urn:cdx:<serial>/<version>#<ref> で指定します)"),
    "vex_csaf_version": ("CSAF {version} is not read: only CSAF 2.0",
                         "CSAF {version} は読めません: CSAF 2.0 のみ対応しています"),
    "vex_csaf_not_vex": (
        "a CSAF document of category {category!r}, not a VEX (csaf_vex)",
        "カテゴリ {category!r} の CSAF 文書で、VEX (csaf_vex) ではありません"),
    "vex_csaf_product_twice": ("product id {product!r} is defined twice",
                               "製品 ID {product!r} が二重に定義されています"),
    "vex_csaf_unknown_product": ("product id {product!r} is not defined in the product tree",
                                 "製品 ID {product!r} は製品ツリーに定義されていません"),
    "vex_csaf_unknown_group": ("product group {group!r} is not defined",
                               "製品グループ {group!r} は定義されていません"),
    "vex_csaf_unnamed_vulnerability": (
        "a vulnerability with neither cve nor ids", "cve も ids もない脆弱性です"),
    "vex_csaf_status_twice": (
        "product {product!r} is both {first} and {second} for one vulnerability",
        "製品 {product!r} が一つの脆弱性について {first} と {second} の両方になっています"),
    "vers_malformed": ("{range!r} is not a vers version range (vers:<scheme>/<constraints>)",
                       "{range!r} は vers のバージョン範囲 (vers:<scheme>/<constraints>) では"
                       "ありません"),
    "vers_too_many": ("the version range {range!r} has more than {limit} constraints",
                      "バージョン範囲 {range!r} の制約が {limit} 個を超えています"),
    "vex_conflict": (
        "two VEX statements of the same time disagree on {vulnerability} in {component}: "
        "{first} says {first_status}, {second} says {second_status}",
        "{component} の {vulnerability} について同時刻の VEX ステートメントが食い違って"
        "います: {first} は {first_status}、{second} は {second_status}"),
}
