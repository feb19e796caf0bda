"""Messages of cpstrust.formats: code -> (English, Japanese). See cpstrust.messages."""

from __future__ import annotations

_SBOM_FORMATS = "CycloneDX JSON or XML, SPDX 2 JSON or tag-value, or SPDX 3 JSON-LD"
_SBOM_FORMATS_JA = "CycloneDX(JSON または XML)、SPDX 2(JSON またはタグ値形式)か SPDX 3(JSON-LD)"

MESSAGES: dict[str, tuple[str, str]] = {
    # What a JSON value is, as facts of other messages ("found an array").
    "json_kind_null": ("null", "null"),
    "json_kind_boolean": ("a boolean", "真偽値"),
    "json_kind_number": ("a number", "数値"),
    "json_kind_string": ("a string", "文字列"),
    "json_kind_array": ("an array", "配列"),
    "json_kind_object": ("an object", "オブジェクト"),
    "json_kind_nothing": ("nothing", "値なし"),
    # Lists of problems reported by a library, in its own words.
    "library_problems_first_of_many": (
        "{first} (and {more} more problems)",
        "{first}(ほか {more} 件の問題)",
    ),
    "library_problems_none_given": ("no details given", "詳細は示されていません"),
    # Limits shared by every reader.
    "input_nesting_too_deep": (
        "nesting is deeper than {limit} levels",
        "入れ子が上限の {limit} 階層を超えています",
    ),
    "input_exceeds_limits": (
        "document exceeds the read limits",
        "文書が読み込みの上限を超えています",
    ),
    "spdx_line_too_long": (
        "a line is longer than the {limit} character limit",
        "行の長さが上限の {limit} 文字を超えています",
    ),
    # files
    "input_file_over_limit": (
        "file is {size} bytes, over the {limit} byte limit",
        "ファイルが {size} バイトあり、上限の {limit} バイトを超えています",
    ),
    "input_file_unreadable": (
        "cannot read the file: {reason}",
        "ファイルを読み込めません: {reason}",
    ),
    # jsonread
    "json_empty_file": (
        "empty file: expected a JSON document",
        "ファイルが空です: JSON 文書が必要です",
    ),
    "json_too_deep": ("nesting is too deep to parse", "入れ子が深すぎて解析できません"),
    "json_truncated": (
        "malformed JSON, the document ends too early (truncated?): {detail}",
        "JSON の形式が不正です。文書が途中で終わっています(切り詰められていませんか): {detail}",
    ),
    "json_malformed": ("malformed JSON: {detail}", "JSON の形式が不正です: {detail}"),
    "json_duplicate_key": ("duplicate key {key}", "キー {key} が重複しています"),
    "json_string_too_long": (
        "a string of {length} characters is longer than the {limit} limit",
        "{length} 文字の文字列が上限の {limit} 文字を超えています",
    ),
    "json_expected_object": (
        "expected an object, found {found}",
        "オブジェクトが必要です(実際: {found})",
    ),
    "json_expected_array": ("expected an array, found {found}", "配列が必要です(実際: {found})"),
    "json_expected_string": (
        "expected a string, found {found}",
        "文字列が必要です(実際: {found})",
    ),
    "json_expected_nonempty_string": (
        "expected a non-empty string, found {found}",
        "空でない文字列が必要です(実際: {found})",
    ),
    # safe_yaml
    "yaml_needs_libyaml": (
        "PyYAML was built without libyaml, which reading YAML requires",
        "PyYAML が libyaml なしでビルドされています。YAML の読み込みには libyaml が必要です",
    ),
    "yaml_malformed": ("malformed YAML: {detail}", "YAML の形式が不正です: {detail}"),
    "yaml_key_not_string": (
        "mapping keys must be plain strings",
        "マッピングのキーは通常の文字列でなければなりません",
    ),
    "yaml_duplicate_key": ('duplicate key "{key}"', 'キー "{key}" が重複しています'),
    "yaml_tag_not_allowed": (
        "YAML tag {tag!r} is not allowed",
        "YAML タグ {tag!r} は使用できません",
    ),
    "yaml_string_too_long": (
        "a string is longer than {limit} characters",
        "文字列が {limit} 文字を超えています",
    ),
    "yaml_alias_not_allowed": (
        "YAML aliases are not allowed",
        "YAML のエイリアスは使用できません",
    ),
    "yaml_several_documents": ("more than one YAML document", "YAML 文書が複数あります"),
    "yaml_empty_document": ("empty YAML document", "YAML 文書が空です"),
    # osv
    "osv_too_large": (
        "advisory is {size} bytes, over the {limit} limit",
        "アドバイザリが {size} バイトあり、上限の {limit} バイトを超えています",
    ),
    "osv_unknown_event_kind": (
        "unknown event kind {kind!r} (expected one of {kinds})",
        "不明なイベント種別 {kind!r} です({kinds} のいずれかが必要です)",
    ),
    "osv_event_needs_one_kind": (
        "an event must have exactly one of {kinds}",
        "イベントには {kinds} のうち 1 つだけが必要です",
    ),
    "osv_unknown_range_type": (
        "unknown range type {range_type!r} (expected SEMVER, ECOSYSTEM or GIT)",
        "不明な範囲種別 {range_type!r} です(SEMVER、ECOSYSTEM、GIT のいずれかが必要です)",
    ),
    "osv_range_without_events": (
        "a range needs at least one event",
        "範囲には少なくとも 1 つのイベントが必要です",
    ),
    "osv_range_without_introduced": (
        "a range needs an 'introduced' event",
        "範囲には 'introduced' イベントが必要です",
    ),
    # sbom, sbomfields
    "sbom_too_large": (
        "document is {size} bytes, over the {limit} byte limit",
        "文書が {size} バイトあり、上限の {limit} バイトを超えています",
    ),
    "sbom_empty_file": (
        f"empty file: expected {_SBOM_FORMATS}",
        f"ファイルが空です: {_SBOM_FORMATS_JA}が必要です",
    ),
    "sbom_not_recognised": (
        f"not an SBOM: expected {_SBOM_FORMATS}",
        f"SBOM ではありません: {_SBOM_FORMATS_JA}が必要です",
    ),
    "sbom_top_level_not_object": (
        f"the top level is {{found}}, expected an object: expected {_SBOM_FORMATS}",
        f"最上位が{{found}}ですが、オブジェクトが必要です: {_SBOM_FORMATS_JA}が必要です",
    ),
    "sbom_bom_format_not_cyclonedx": (
        "bomFormat is {value!r}, expected 'CycloneDX'",
        "bomFormat が {value!r} です。'CycloneDX' が必要です",
    ),
    "sbom_json_unrecognised": (
        "not an SBOM: a JSON object without 'bomFormat' (CycloneDX), 'spdxVersion' (SPDX 2) "
        "or '@context' (SPDX 3 JSON-LD)",
        "SBOM ではありません: 'bomFormat'(CycloneDX)も 'spdxVersion'(SPDX 2)も "
        "'@context'(SPDX 3 JSON-LD)もない JSON オブジェクトです",
    ),
    "sbom_invalid_purl": (
        "component {component!r} has an invalid package URL {purl!r}: {problem}",
        "コンポーネント {component!r} のパッケージ URL {purl!r} が不正です: {problem}",
    ),
    "sbom_too_many_components": (
        "more than {limit} components",
        "コンポーネントが {limit} 個を超えています",
    ),
    # cyclonedx, cyclonedx_xml
    "cyclonedx_json_unsupported_version": (
        "unsupported CycloneDX spec version {version!r} (supported in JSON: {supported})",
        "CycloneDX の仕様バージョン {version!r} には対応していません(JSON で対応: {supported})",
    ),
    "cyclonedx_xml_unsupported_version": (
        "unsupported CycloneDX spec version {version!r} (supported in XML: {supported})",
        "CycloneDX の仕様バージョン {version!r} には対応していません(XML で対応: {supported})",
    ),
    "cyclonedx_json_schema_mismatch": (
        "does not match the CycloneDX {version} JSON schema: {detail}",
        "CycloneDX {version} の JSON スキーマに適合しません: {detail}",
    ),
    "cyclonedx_xml_schema_mismatch": (
        "does not match the CycloneDX {version} XML schema: {detail}",
        "CycloneDX {version} の XML スキーマに適合しません: {detail}",
    ),
    "cyclonedx_xml_wrong_root": (
        "not a CycloneDX XML document: root element is {tag!r}, expected 'bom' in namespace "
        "{namespace}1.x",
        "CycloneDX の XML 文書ではありません: ルート要素が {tag!r} です。名前空間 "
        "{namespace}1.x の 'bom' が必要です",
    ),
    "xml_declarations_not_allowed": (
        "XML document type declarations (DTD) and entity declarations are not allowed: they "
        "enable entity expansion and external entity attacks",
        "XML の文書型宣言(DTD)とエンティティ宣言は使用できません: エンティティ展開攻撃と"
        "外部エンティティ攻撃を可能にするためです",
    ),
    "xml_dtd_not_allowed": (
        "XML document type declarations (DTD) are not allowed",
        "XML の文書型宣言(DTD)は使用できません",
    ),
    "xml_malformed": ("malformed XML: {detail}", "XML の形式が不正です: {detail}"),
    "xml_empty_document": ("empty XML document", "XML 文書が空です"),
    "xml_text_too_long": (
        "a text or attribute is longer than the {limit} character limit",
        "テキストまたは属性が上限の {limit} 文字を超えています",
    ),
    # spdx, spdx_tagvalue
    "spdx_not_valid_document": (
        "not a valid SPDX document: {problem}",
        "有効な SPDX 文書ではありません: {problem}",
    ),
    "spdx_tagvalue_not_valid": (
        "not a valid SPDX tag-value document: {problem}",
        "有効な SPDX タグ値形式の文書ではありません: {problem}",
    ),
    "spdx_validation_failed": (
        "SPDX validation failed: {problem}",
        "SPDX の検証に失敗しました: {problem}",
    ),
    "spdx_unsupported_version": (
        "unsupported SPDX spec version {version!r} (supported: {supported})",
        "SPDX の仕様バージョン {version!r} には対応していません(対応: {supported})",
    ),
    "spdx_too_many_packages": (
        "more than {limit} packages",
        "パッケージが {limit} 個を超えています",
    ),
    "spdx_too_many_elements": (
        "more than {limit} packages and files",
        "パッケージとファイルが合わせて {limit} 個を超えています",
    ),
    # spdx3
    "spdx3_unsupported_context": (
        "not SPDX 3 JSON-LD: the @context is {context!r}, expected {supported!r}",
        "SPDX 3 の JSON-LD ではありません: @context が {context!r} です。{supported!r} が"
        "必要です",
    ),
    "spdx3_no_graph": (
        "an SPDX 3 document without '@graph': its elements belong in '@graph'",
        "'@graph' のない SPDX 3 文書です: 要素は '@graph' に並べてください",
    ),
    "spdx3_too_many_elements": (
        "more than {limit} elements in @graph",
        "@graph の要素が {limit} 個を超えています",
    ),
    "spdx3_unknown_type": (
        "{type!r} is no SPDX 3.0.1 class (and no extension class, which is named by IRI)",
        "{type!r} は SPDX 3.0.1 のクラスではありません(IRI で名付ける拡張クラスでも"
        "ありません)",
    ),
    "spdx3_schema_mismatch": (
        "does not match the SPDX 3.0.1 JSON schema: {detail}",
        "SPDX 3.0.1 の JSON スキーマに適合しません: {detail}",
    ),
    "spdx3_duplicate_id": (
        "two elements have the id {id!r} (the first at {first})",
        "2 つの要素が同じ ID {id!r} を持っています(1 つ目は {first})",
    ),
    "spdx3_two_documents": (
        "a second SpdxDocument (the first at {first}): a serialization holds one",
        "2 つ目の SpdxDocument です(1 つ目は {first}): 1 つの文書に置けるのは 1 つです",
    ),
    "spdx3_dangling_reference": (
        "names {id!r}, which is neither in the document, nor imported by its SpdxDocument, "
        "nor defined by SPDX",
        "{id!r} を参照していますが、文書内にも、SpdxDocument の import にも、SPDX の定義"
        "にもありません",
    ),
    "spdx3_wrong_reference_type": (
        "names {id!r}, a {found}; expected one of: {expected}",
        "{id!r} を参照していますが、これは {found} です。次のいずれかが必要です: {expected}",
    ),
    "spdx3_licence_not_read": (
        "a licence written as {type} is not read: write it as a "
        "simplelicensing_LicenseExpression",
        "{type} で書かれたライセンスは読み取れません: simplelicensing_LicenseExpression で"
        "書いてください",
    ),
    "spdx3_element_without_name": (
        "a {type} without a name",
        "name のない {type} です",
    ),
    "spdx3_purls_disagree": (
        "the package names two package URLs, {first!r} and {second!r}",
        "パッケージが 2 つのパッケージ URL {first!r} と {second!r} を持っています",
    ),
    "spdx_tagvalue_not_utf8": (
        "tag-value document is not UTF-8 text",
        "タグ値形式の文書が UTF-8 のテキストではありません",
    ),
    # dsse
    "dsse_envelope_too_large": (
        "envelope of {size} bytes exceeds the limit of {limit}",
        "エンベロープが {size} バイトあり、上限の {limit} バイトを超えています",
    ),
    "dsse_envelope_not_object": (
        "a DSSE envelope is a JSON object",
        "DSSE エンベロープは JSON オブジェクトでなければなりません",
    ),
    "dsse_too_many_signatures": (
        "{count} signatures exceed the limit of {limit}",
        "署名が {count} 個あり、上限の {limit} 個を超えています",
    ),
    "dsse_signature_not_object": (
        "a signature is a JSON object",
        "署名は JSON オブジェクトでなければなりません",
    ),
    "dsse_keyid_invalid": (
        "keyid must be a short string",
        "keyid は短い文字列でなければなりません",
    ),
    "dsse_sig_missing": ("missing signature 'sig'", "署名 'sig' がありません"),
    "dsse_field_invalid": (
        "'{name}' is missing or not a {kind}",
        "'{name}' がないか、{kind} ではありません",
    ),
    "dsse_invalid_base64": ("invalid base64: {detail}", "base64 として不正です: {detail}"),
    # intoto
    "intoto_statement_not_object": (
        "an in-toto Statement is a JSON object",
        "in-toto Statement は JSON オブジェクトでなければなりません",
    ),
    "intoto_wrong_type": (
        "not an in-toto Statement: _type is {kind!r}",
        "in-toto Statement ではありません: _type が {kind!r} です",
    ),
    "intoto_no_subject": (
        "a Statement needs at least one subject",
        "Statement には少なくとも 1 つの subject が必要です",
    ),
    "intoto_too_many_subjects": (
        "{count} subjects exceed the limit of {limit}",
        "subject が {count} 個あり、上限の {limit} 個を超えています",
    ),
    "intoto_predicate_type_missing": ("predicateType is missing", "predicateType がありません"),
    "intoto_predicate_not_object": (
        "predicate must be an object",
        "predicate はオブジェクトでなければなりません",
    ),
    "intoto_subject_named_twice": (
        "subject {name!r} is named twice",
        "subject {name!r} が 2 回記載されています",
    ),
    "intoto_subject_not_object": (
        "a subject is an object",
        "subject はオブジェクトでなければなりません",
    ),
    "intoto_subject_incomplete": (
        "a subject needs a name and a digest",
        "subject には name と digest が必要です",
    ),
    "intoto_digest_not_string": (
        "digest {algorithm!r} is not a string",
        "ダイジェスト {algorithm!r} が文字列ではありません",
    ),
    "intoto_digest_wrong_length": (
        "digest {algorithm!r} is not {length} lowercase hex digits",
        "ダイジェスト {algorithm!r} が小文字の 16 進数 {length} 桁ではありません",
    ),
    # slsa
    "slsa_builder_id_missing": (
        "runDetails.builder.id is missing",
        "runDetails.builder.id がありません",
    ),
    "slsa_sbom_without_sha256": (
        "the SBOM byproduct needs a sha256 digest",
        "SBOM の byproduct には sha256 ダイジェストが必要です",
    ),
    "slsa_field_missing": ("{key} is missing", "{key} がありません"),
    "slsa_invalid_timestamp": (
        "invalid timestamp {value!r}",
        "タイムスタンプ {value!r} が不正です",
    ),
    # attestation (measurement reports, quotes)
    "measurement_report_wrong_predicate": (
        "predicate {predicate_type!r} is not a measurement report",
        "predicate {predicate_type!r} は測定レポートではありません",
    ),
    "measurement_report_bad_nonce": (
        "nonce must be 32 to 128 lowercase hex digits",
        "nonce は小文字の 16 進数 32〜128 桁でなければなりません",
    ),
    "measurement_report_digest_mismatch": (
        "the subject digest is not the SHA-256 of the measurement list",
        "subject のダイジェストが測定リストの SHA-256 と一致しません",
    ),
    "measurement_report_measurements_not_object": (
        "measurements must be an object of path -> SHA-256 hex",
        "measurements は「パス -> SHA-256(16 進数)」のオブジェクトでなければなりません",
    ),
    "measurement_report_too_many_measurements": (
        "{count} measurements exceed the limit of {limit}",
        "測定値が {count} 個あり、上限の {limit} 個を超えています",
    ),
    "measurement_report_bad_digest": (
        "not a SHA-256 digest in lowercase hex",
        "小文字の 16 進数で書かれた SHA-256 ダイジェストではありません",
    ),
    "measurement_report_path_too_long": (
        "path longer than {limit} characters",
        "パスが {limit} 文字を超えています",
    ),
    "measurement_report_not_product_path": (
        "not a product path (relative, '/'-separated, without '.', '..' or empty segments, "
        "newlines or NULs)",
        "製品パスではありません('/' 区切りの相対パスで、'.'、'..'、空のセグメント、改行、"
        "NUL を含まないもの)",
    ),
    "measurement_report_subject_not_device": (
        "a report has one subject: the device it is about",
        "レポートの subject は 1 つだけ、対象の機器でなければなりません",
    ),
    "measurement_report_subject_without_sha256": (
        "the subject has no sha256 digest",
        "subject に sha256 ダイジェストがありません",
    ),
    "measurement_report_executables_not_list": (
        "executables must be a list of measured paths",
        "executables は測定済みパスのリストでなければなりません",
    ),
    "measurement_report_bad_executable": (
        "an executable must be a measured path, listed once",
        "実行ファイルは測定済みのパスで、1 回だけ記載されていなければなりません",
    ),
    "measurement_report_links_not_object": (
        "links must be an object of path -> target",
        "links は「パス -> リンク先」のオブジェクトでなければなりません",
    ),
    "measurement_report_too_many_links": (
        "{count} links exceed the limit of {limit}",
        "リンクが {count} 個あり、上限の {limit} 個を超えています",
    ),
    "measurement_report_bad_link": (
        "a link is a path that is not a measured file, with its target as written",
        "リンクは測定済みファイルではないパスで、リンク先を書かれたとおりに持たなければなりません",
    ),
    "measurement_report_release_not_object": (
        "release must be an object or null",
        "release はオブジェクトか null でなければなりません",
    ),
    "measurement_report_bad_name": (
        "must be a name of 1 to {limit} characters",
        "1〜{limit} 文字の名前でなければなりません",
    ),
    "measurement_report_bad_time": (
        "measured_at must be an RFC 3339 time with its offset",
        "measured_at はオフセット付きの RFC 3339 時刻でなければなりません",
    ),
    "quote_json_not_object": (
        "a quote is an object with 'attest' and 'signature'",
        "quote は 'attest' と 'signature' を持つオブジェクトでなければなりません",
    ),
    "quote_json_part_invalid": (
        "'{name}' must be base64 of at most {limit} characters",
        "'{name}' は {limit} 文字以内の base64 でなければなりません",
    ),
    # truststore
    "truststore_wrong_type": (
        "not a cpstrust trust store (_type {expected})",
        "cpstrust のトラストストアではありません(_type {expected})",
    ),
    "truststore_bad_version": (
        "version must be a positive integer",
        "version は正の整数でなければなりません",
    ),
    "truststore_bad_keys": (
        "keys must be a list of at most {limit}",
        "keys は {limit} 個以内のリストでなければなりません",
    ),
    "truststore_key_listed_twice": ("a key is listed twice", "同じ鍵が 2 回記載されています"),
    "truststore_key_not_object": (
        "a key is an object",
        "鍵はオブジェクトでなければなりません",
    ),
    "truststore_invalid_key_entry": (
        "invalid key entry: {detail}",
        "鍵のエントリが不正です: {detail}",
    ),
    "truststore_keyid_mismatch": (
        "keyid does not match the public key",
        "keyid が公開鍵と一致しません",
    ),
    "truststore_algorithm_mismatch": (
        "algorithm does not match the public key",
        "algorithm が公開鍵と一致しません",
    ),
    "truststore_invalid_time": ("invalid time {value!r}", "時刻 {value!r} が不正です"),
    "truststore_time_without_zone": (
        "time {value!r} has no time zone",
        "時刻 {value!r} にタイムゾーンがありません",
    ),
    # keyrecord
    "keyrecord_damaged": (
        "damaged key record: {detail}",
        "鍵レコードが破損しています: {detail}",
    ),
    # supplychain
    "supply_chain_too_large": (
        "file is {size} bytes, limit {limit}",
        "ファイルが {size} バイトあり、上限の {limit} バイトを超えています",
    ),
    "licence_policy_too_large": (
        "the licence policy is {size} bytes, over the limit of {limit}",
        "ライセンスポリシーが {size} バイトあり、上限 {limit} を超えています"),
    "licence_policy_not_yaml": (
        "the licence policy is not valid YAML: {detail}",
        "ライセンスポリシーが有効な YAML ではありません: {detail}"),
    "licence_policy_schema_violation": (
        "not a licence policy: {detail}", "ライセンスポリシーの形式に合いません: {detail}"),
    "licence_policy_licence_twice": (
        "{licence} is named twice (first as {first!r})",
        "{licence} が 2 回指定されています (最初は {first!r})"),
    "licence_scope_kind_organisation": ("organisation", "組織"),
    "licence_scope_kind_product": ("product", "製品"),
    "licence_policy_scope_twice": (
        "the {kind} {name!r} is named twice (first as {first!r}): names that differ only "
        "in case or Unicode form are one name to a reader",
        "{kind} {name!r} が 2 回指定されています (最初は {first!r})。大文字小文字や Unicode の"
        "表記だけが異なる名前は同じ名前と見なします"),
    "licence_policy_conflict_twice": (
        "a conflict rule between {sides} is written twice in one scope (first at index "
        "{first})",
        "{sides} の間の競合ルールが同じスコープに 2 回書かれています (最初はインデックス "
        "{first})"),
    "licence_policy_bad_expression": (
        "{licence!r} is not a licence expression: {detail}",
        "{licence!r} はライセンス式ではありません: {detail}"),
    "licence_policy_not_one_licence": (
        "{licence!r} is not one licence: name each licence of an AND or OR on its own",
        "{licence!r} は単一のライセンスではありません: AND や OR の各ライセンスを個別に指定して"
        "ください"),
    "licence_policy_unknown_licence": (
        "{licence} is not on the SPDX licence list (use LicenseRef-... for your own)",
        "{licence} は SPDX ライセンスリストにありません (独自のものは LicenseRef-... を使って"
        "ください)"),
    "licence_policy_unknown_category": (
        "{category} names no licence category (permissive, copyleft, proprietary-free, ...)",
        "{category} はライセンスの分類 (permissive、copyleft、proprietary-free など) では"
        "ありません"),
    "supply_chain_not_yaml": ("not valid YAML: {detail}", "有効な YAML ではありません: {detail}"),
    "supply_chain_schema_violation": ("{detail}", "スキーマに適合しません: {detail}"),
    "supply_chain_unknown_organisation": (
        "unknown organisation {name!r}",
        "組織 {name!r} は定義されていません",
    ),
    "supply_chain_self_supply": (
        "an organisation cannot supply itself",
        "組織は自分自身に供給できません",
    ),
    "supply_chain_unknown_product": (
        "unknown product {name!r}",
        "製品 {name!r} は定義されていません",
    ),
    "supply_chain_unknown_release": (
        "product {product!r} has no release {version!r}",
        "製品 {product!r} にリリース {version!r} はありません",
    ),
    "supply_chain_unknown_site": ("unknown site {name!r}", "拠点 {name!r} は定義されていません"),
    "supply_chain_unknown_zone": (
        "site {site!r} has no zone {zone!r}",
        "拠点 {site!r} にゾーン {zone!r} はありません",
    ),
    "supply_chain_duplicate_zone": (
        "site {site!r} names zone {zone!r} twice",
        "拠点 {site!r} がゾーン {zone!r} を 2 回挙げています",
    ),
    "supply_chain_duplicate_name": (
        "duplicate name {name!r}",
        "名前 {name!r} が重複しています",
    ),
    "supply_chain_bad_address": (
        "{value!r} is not an IP address (ip) or a MAC address of six bytes (mac)",
        "{value!r} は IP アドレス(ip)でも 6 バイトの MAC アドレス(mac)でもありません",
    ),
    "supply_chain_duplicate_address": (
        "address {value!r} is already device {name!r}'s at this site",
        "アドレス {value!r} はこのサイトで既にデバイス {name!r} のものです",
    ),
}
