"""Messages of OSCAL catalogues, profiles and mappings: code -> (English, Japanese). See
cpstrust.messages."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # Reading OSCAL.
    "oscal_not_oscal": (
        "not an OSCAL catalog, profile or mapping collection (one top-level key: "
        "catalog, profile or mapping-collection); found {found}",
        "OSCAL のカタログ、プロファイル、マッピングコレクションのいずれでもありません "
        "(最上位のキーは catalog、profile、mapping-collection のいずれか一つ)。実際は {found}"),
    "oscal_schema_invalid": (
        "not a valid OSCAL {kind}: {detail} ({count} problem(s) in all)",
        "OSCAL {kind} として正しくありません: {detail} (問題は全部で {count} 件)"),
    "oscal_duplicate_control": (
        "control id {control!r} is defined twice (first at {first})",
        "コントロール ID {control!r} が二度定義されています (最初は {first})"),
    "oscal_too_many_controls": (
        "more than {limit} controls", "コントロールが {limit} 個を超えています"),
    "oscal_bad_maturity_scale": (
        "the maturity-level param must list its levels as numbers",
        "maturity-level パラメータは成熟度のレベルを数字で列挙する必要があります"),
    "oscal_one_mapping": (
        "a mapping collection is stored with exactly one mapping; this one has {count}",
        "マッピングコレクションはマッピングを一つだけ持つ必要がありますが、{count} 個あります"),
    "oscal_too_many_maps": ("more than {limit} maps", "マップが {limit} 個を超えています"),
    "oscal_duplicate_map": ("map uuid {uuid} is used twice",
                            "マップの uuid {uuid} が二度使われています"),
    "oscal_bad_relationship": (
        "relationship {relationship!r} is not one of NIST IR 8477's: {allowed}",
        "関係 {relationship!r} は NIST IR 8477 の関係 ({allowed}) のいずれでもありません"),
    # Storing and resolving.
    "catalog_unknown_controls": (
        "{count} control(s) not in catalogue {catalog!r}: {controls}",
        "カタログ {catalog!r} にないコントロールが {count} 個あります: {controls}"),
    "catalog_unknown_import": (
        "imports {href!r}, which is not stored (looked for: {names}); import that "
        "catalogue or profile first, or under one of those names",
        "{href!r} を取り込んでいますが保存されていません (探した名前: {names})。先にその"
        "カタログまたはプロファイルを、これらのいずれかの名前で取り込んでください"),
    "catalog_imports_itself": ("imports itself ({href!r})",
                               "自分自身 ({href!r}) を取り込んでいます"),
    "catalog_import_not_control_set": (
        "imports {href!r}, a mapping collection, not a catalogue or profile",
        "{href!r} はマッピングコレクションで、カタログでもプロファイルでもありません"),
    "catalog_unknown_mapping_source": (
        "the mapping's source catalogue is not stored (looked for: {names})",
        "マッピングの対応元カタログが保存されていません (探した名前: {names})"),
    "catalog_bad_target_id": (
        "{target!r} is not an identifier of {framework}",
        "{target!r} は {framework} の識別子ではありません"),
    "catalog_levels_not_nested": (
        "the levels of {scheme} do not nest: ★{lower} requires {controls}, which ★{higher} "
        "does not",
        "{scheme} のレベルが包含関係になっていません: ★{lower} が求める {controls} を "
        "★{higher} が求めていません"),
    "catalog_name_taken": (
        "another document is stored as {name!r}; choose another name with --name",
        "{name!r} という名前で別の文書が保存されています。--name で別の名前を指定してください"),
    "catalog_not_stored": (
        "no catalogue, profile or mapping named {name!r} is stored",
        "{name!r} という名前のカタログ、プロファイル、マッピングは保存されていません"),
    "catalog_not_a_profile": ("{name!r} is a {kind}, not a profile",
                              "{name!r} は {kind} で、プロファイルではありません"),
    "catalog_not_a_control_set": (
        "{name!r} is a {kind}, not a catalogue or profile",
        "{name!r} は {kind} で、カタログでもプロファイルでもありません"),
    "catalog_no_requirement": ("no stored catalogue has requirement {requirement!r}",
                               "要件 {requirement!r} を持つカタログは保存されていません"),
    "catalog_requirement_ambiguous": (
        "requirement {requirement!r} is in several catalogues ({catalogs}): name one",
        "要件 {requirement!r} は複数のカタログ ({catalogs}) にあります。"
        "カタログを指定してください"),
    # The CLI.
    "catalog_imported": (
        "stored {kind} {name!r}: {entries} entries, {provisional} provisional",
        "{kind} {name!r} を保存しました: 項目 {entries} 件、うち暫定 {provisional} 件"),
    "catalog_imported_again": (
        "{kind} {name!r} is already stored, unchanged",
        "{kind} {name!r} は保存済みで、変更はありません"),
    "catalog_exported": ("wrote {name!r} to {path}", "{name!r} を {path} に書き出しました"),
    "catalog_column_name": ("name", "名前"),
    "catalog_column_kind": ("kind", "種類"),
    "catalog_column_entries": ("entries", "項目数"),
    "catalog_column_provisional": ("provisional", "暫定"),
    "catalog_column_title": ("title", "タイトル"),
    "catalog_column_origin": ("origin", "由来"),
    "catalog_origin_shipped": ("shipped", "同梱"),
    "catalog_origin_imported": ("imported", "取込"),
    "catalog_provisional_note": (
        "provisional entries are marked status=unconfirmed in the OSCAL, with a remark "
        "saying what is unknown (cpstrust catalog export NAME)",
        "暫定の項目は OSCAL 内で status=unconfirmed と記され、何が未確認かを remarks に"
        "記載しています (cpstrust catalog export NAME)"),
}
