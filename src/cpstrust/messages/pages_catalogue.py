"""Messages of the web UI's pages past the dashboard (service/pages.py, app/browse.py):
code -> (English, Japanese). See cpstrust.messages."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # What a caller may not see is not found (app.browse).
    "browse_no_product": ("no product {product_id} that you may see",
                          "参照できる製品 {product_id} はありません"),
    "browse_no_release": ("no release {release_id} that you may see",
                          "参照できるリリース {release_id} はありません"),
    # The navigation.
    "pages_nav_graph": ("Supply chain", "サプライチェーン"),
    # The graph.
    "pages_graph_title": ("Your supply chain", "サプライチェーン"),
    "pages_graph_intro": (
        "Organisations, their products and releases, the devices running them at your "
        "sites, and the sites.",
        "組織、その製品とリリース、自組織のサイトで稼働するデバイス、およびサイトです。",
    ),
    "pages_graph_truncated": (
        "More than 500 of some kind of node: only the first 500 of each are shown.",
        "ノード数が 500 を超える種類があるため、各種類の先頭 500 件のみ表示しています。",
    ),
    "pages_graph_picture": ("As a graph", "グラフ表示"),
    "pages_graph_picture_help": (
        "Click a product, a release or a device to open its page. The same graph follows "
        "as a list of links.",
        "製品・リリース・デバイスをクリックするとそのページを開きます。同じグラフを下にリンクの一覧で示します。",
    ),
    "pages_graph_picture_label": ("The supply chain as a graph",
                                  "サプライチェーンのグラフ"),
    "pages_graph_legend": ("Legend", "凡例"),
    "pages_graph_list": ("As a list", "一覧表示"),
    "pages_kind_organisation": ("Organisation", "組織"),
    "pages_kind_product": ("Product", "製品"),
    "pages_kind_release": ("Release", "リリース"),
    "pages_kind_device": ("Device", "デバイス"),
    "pages_kind_site": ("Site", "サイト"),
    # A product.
    "pages_product_title": ("Product {product}", "製品 {product}"),
    "pages_supplier": ("Supplier", "供給者"),
    "pages_kind": ("Kind", "種類"),
    "pages_access": ("Why you see it", "参照できる理由"),
    "pages_access_own": ("Your organisation's", "自組織のもの"),
    "pages_access_granted": ("Shared with you by its supplier",
                             "供給者から共有されたもの"),
    "pages_description": ("Description", "説明"),
    "pages_releases_caption": ("The releases of {product}", "{product} のリリース"),
    "pages_components": ("Components", "コンポーネント"),
    "pages_open_findings": ("Open findings", "未対応の検出事項"),
    "pages_more_not_shown": ("More exist than are shown here.",
                             "ここに表示しきれない項目があります。"),
    "pages_no_releases": ("No releases are stored.", "リリースは保存されていません。"),
    # A release.
    "pages_release_title": ("{product} {version}", "{product} {version}"),
    "pages_sbom": ("Current SBOM", "現在の SBOM"),
    "pages_no_sbom": ("none stored", "保存されていません"),
    "pages_signatures": ("Signatures", "署名"),
    "pages_signature_caption": ("Signed release {source}, received {received}",
                                "署名付きリリース {source}({received} 受領)"),
    "pages_signature_verified": ("verified", "検証済み"),
    "pages_signature_refused": ("not trusted", "信頼できません"),
    "pages_signed_by": ("signed by {keys}.", "署名鍵: {keys}。"),
    "pages_sbom_signed": ("The current SBOM is the one signed.",
                          "現在の SBOM は署名されたものです。"),
    "pages_sbom_not_signed": ("The current SBOM is not the one signed.",
                              "現在の SBOM は署名されたものではありません。"),
    "pages_artifact": ("Artifact", "成果物"),
    "pages_signature_status": ("Signature", "署名"),
    "pages_unsigned": ("No signed release is kept for this release: its artifacts are "
                       "unsigned.",
                       "このリリースには署名付きリリースが保存されていないため、成果物は未署名です。"),
    "pages_findings_caption": ("The findings of this release, worst first, with the path "
                               "by which the product depends on each component",
                               "このリリースの検出事項(重大度順)と、各コンポーネントへの依存経路"),
    "pages_component": ("Component", "コンポーネント"),
    "pages_dependency_path": ("Dependency path", "依存経路"),
    "pages_no_path": ("no path from the product in the SBOM",
                      "SBOM に製品からの経路がありません"),
    "pages_status": ("Status", "状態"),
    "pages_status_open": ("Open", "未対応"),
    "pages_status_accepted": ("Accepted", "受容"),
    "pages_status_fixed": ("Fixed", "修正済み"),
    "pages_status_not_affected": ("Not affected", "影響なし"),
    "pages_decide": ("Change the status", "状態の変更"),
    "pages_new_status": ("New status of {finding}", "{finding} の新しい状態"),
    "pages_note": ("Note (why)", "メモ(理由)"),
    "pages_save": ("Save", "保存"),
    "pages_no_findings": ("No findings.", "検出事項はありません。"),
    "pages_components_caption": ("{shown} of {total} components, by name",
                                 "全 {total} 件中 {shown} 件のコンポーネント(名前順)"),
    "pages_name": ("Name", "名前"),
    "pages_type": ("Type", "種別"),
    "pages_no_components": ("No components are stored.",
                            "コンポーネントは保存されていません。"),
    # The upload page.
    "pages_nav_upload": ("Upload an SBOM", "SBOM のアップロード"),
    "pages_upload_title": ("Upload an SBOM", "SBOM のアップロード"),
    "pages_upload_help": (
        "CycloneDX (JSON or XML) or SPDX (JSON, tag-value, SPDX 3 JSON), at most {limit} MiB, "
        "for a release of one of your organisation's products (a new product is created "
        "for your organisation). It is checked as `cpstrust sbom import` checks it.",
        "CycloneDX(JSON または XML)または SPDX(JSON、タグ値、SPDX 3 JSON)、最大 {limit} MiB。"
        "自組織の製品のリリースとして保存します(新しい製品は自組織のものとして作成します)。"
        "`cpstrust sbom import` と同じ検査を行います。",
    ),
    "pages_upload_file": ("SBOM file", "SBOM ファイル"),
    "pages_upload_submit": ("Upload", "アップロード"),
    "pages_upload_stored_heading": ("Stored", "保存しました"),
    "pages_upload_stored": (
        "{product} {version}: {components} components stored, {findings} new findings.",
        "{product} {version}: コンポーネント {components} 件を保存し、"
        "新しい検出事項は {findings} 件です。",
    ),
    "pages_upload_replaced": ("It replaces the SBOM stored before for this release.",
                              "このリリースに以前保存した SBOM を置き換えました。"),
    "pages_upload_open_release": ("Open the release", "リリースを開く"),
    "pages_upload_names": (
        "the product and the version must each have 1 to {maximum} characters",
        "製品名とバージョンはそれぞれ 1~{maximum} 文字で指定してください",
    ),
    # A device.
    "pages_device_title": ("Device {device}", "デバイス {device}"),
    "pages_attestation": ("Attestation", "構成証明"),
    "pages_attestation_genuine": ("Genuine", "正規"),
    "pages_attestation_modified": ("Modified", "改変あり"),
    "pages_attestation_unlisted": ("Unlisted files", "未申告のファイルあり"),
    "pages_attestation_unknown_release": ("No reference to compare with",
                                          "比較する参照値がありません"),
    "pages_attestation_untrusted_signer": ("Untrusted signer", "信頼できない署名者"),
    "pages_attestation_revoked": ("Device key revoked", "デバイス鍵は失効しています"),
    "pages_attestation_stale": ("Stale (answers no open challenge)",
                                "古い(有効なチャレンジへの応答ではありません)"),
    "pages_never_attested": ("No attestation yet.", "構成証明はまだありません。"),
    "pages_attestations": ("Attestation history", "構成証明の履歴"),
    "pages_attestations_caption": ("The {count} newest appraisals, newest first",
                                   "最新の評価 {count} 件(新しい順)"),
    "pages_reasons": ("Why", "理由"),
    "pages_signer": ("Signed by", "署名者"),
    "pages_device_findings_caption": ("Files that differ from the release's reference, open "
                                      "first, then worst",
                                      "リリースの参照値と異なるファイル(未対応、重大度の順)"),
    "pages_file": ("File", "ファイル"),
    # The impact of an advisory.
    "pages_impact_title": ("Impact of {vulnerability}", "{vulnerability} の影響範囲"),
    "pages_aliases": ("Also known as", "別名"),
    "pages_summary": ("Summary", "概要"),
    "pages_impact_scope": (
        "Within what your organisation may see: your products and those granted to you, "
        "and the devices at your sites.",
        "自組織が参照できる範囲(自組織の製品、共有された製品、自組織のサイトのデバイス)での影響です。",
    ),
    "pages_impact_components": ("Affected components", "影響を受けるコンポーネント"),
    "pages_impact_components_caption": (
        "Findings in force (open or accepted) in {releases} releases of {products} products",
        "{products} 製品の {releases} リリースで有効な検出事項(未対応または受容)",
    ),
    "pages_fixed_in": ("Fixed in", "修正バージョン"),
    "pages_impact_none": ("None that you may see.", "参照できる範囲にはありません。"),
    "pages_impact_organisations": ("Organisations", "組織"),
    "pages_impact_organisations_caption": (
        "Suppliers of affected products (tier 0) and the organisations downstream of them",
        "影響を受ける製品の供給者(階層 0)とその下流の組織",
    ),
    "pages_tier": ("Tier", "階層"),
    "pages_impact_devices": ("Devices", "デバイス"),
    "pages_impact_devices_caption": ("Devices running an affected release, at {sites} sites",
                                     "影響を受けるリリースを実行しているデバイス({sites} サイト)"),
    "pages_cursor_invalid": ("{cursor!r} is not where a page of findings starts",
                             "{cursor!r} は検出事項のページの開始位置ではありません"),
    "pages_findings_next": ("Next findings", "次の検出事項"),
    "pages_findings_first": ("The worst findings", "最も重大な検出事項"),
}
