"""Messages of cpstrust.sbom (SBOM quality): code -> (English, Japanese). See
cpstrust.messages.

Each element of ``sbom.quality`` has a title ("quality.<element>") and what to do when it
is not met ("quality_fix.<element>"), naming where CycloneDX and SPDX keep the data.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "framework.ntia-2021": (
        "NTIA minimum elements (2021)", "NTIA 最小要素 (2021 年)"),
    "framework.bsi-tr-03183-2-2.1.0": (
        "BSI TR-03183-2 v2.1.0", "BSI 技術ガイドライン TR-03183-2 v2.1.0"),
    "framework.meti-sbom-guide-2.0": (
        "METI SBOM guide ver 2.0 (provisional: its advice on making SBOMs as sources "
        "confirm it; the guide's own list of minimum items is not confirmed)",
        "経済産業省 SBOM 導入の手引 ver 2.0 (暫定: 情報源で確認できた SBOM 作成上の助言のみ。"
        "手引自体の最小項目の一覧は未確認)"),
    "framework.consistency": (
        "Consistency of purls with their components", "purl とコンポーネントの整合性"),
    # NTIA
    "quality.author": ("Author of the SBOM data", "SBOM データの作成者"),
    "quality_fix.author": (
        "Name who wrote the SBOM: metadata.authors or metadata.tools (CycloneDX), "
        "creationInfo.creators (SPDX).",
        "SBOM の作成者を記載してください: metadata.authors または metadata.tools "
        "(CycloneDX)、creationInfo.creators (SPDX)。"),
    "quality.timestamp": ("Timestamp of the SBOM", "SBOM のタイムスタンプ"),
    "quality_fix.timestamp": (
        "Record when the SBOM was made: metadata.timestamp (CycloneDX), "
        "creationInfo.created (SPDX).",
        "SBOM の作成日時を記録してください: metadata.timestamp (CycloneDX)、"
        "creationInfo.created (SPDX)。"),
    "quality.supplier": ("Supplier name", "サプライヤー名"),
    "quality_fix.supplier": (
        "Name each component's supplier: supplier.name (or manufacturer, publisher) "
        "(CycloneDX), PackageSupplier or PackageOriginator (SPDX).",
        "各コンポーネントのサプライヤーを記載してください: supplier.name (または "
        "manufacturer、publisher) (CycloneDX)、PackageSupplier または PackageOriginator "
        "(SPDX)。"),
    "quality.name": ("Component name", "コンポーネント名"),
    "quality_fix.name": (
        "Give each component its name: name (CycloneDX), PackageName (SPDX).",
        "各コンポーネントの名前を記載してください: name (CycloneDX)、PackageName (SPDX)。"),
    "quality.version": ("Component version", "コンポーネントのバージョン"),
    "quality_fix.version": (
        "Give each component its version: version (CycloneDX), PackageVersion (SPDX).",
        "各コンポーネントのバージョンを記載してください: version (CycloneDX)、"
        "PackageVersion (SPDX)。"),
    "quality.unique_identifier": (
        "Other unique identifier (purl, CPE or SWID)", "その他の一意な識別子 (purl、CPE、SWID)"),
    "quality_fix.unique_identifier": (
        "Give each component a package URL, a CPE or a SWID tag id: purl, cpe, swid "
        "(CycloneDX), externalRefs of type purl, cpe23Type or swid (SPDX).",
        "各コンポーネントに purl、CPE、SWID タグ ID のいずれかを記載してください: purl、"
        "cpe、swid (CycloneDX)、種類 purl・cpe23Type・swid の externalRefs (SPDX)。"),
    "quality.dependency": ("Dependency relationship", "依存関係"),
    "quality_fix.dependency": (
        "Put each component in the dependency graph, with an empty list when it has no "
        "dependencies: dependencies[].ref and dependsOn (CycloneDX), DEPENDS_ON or "
        "CONTAINS relationships (SPDX).",
        "各コンポーネントを依存関係グラフに含めてください (依存がなければ空のリスト): "
        "dependencies[].ref と dependsOn (CycloneDX)、DEPENDS_ON または CONTAINS の関係 "
        "(SPDX)。"),
    # BSI TR-03183-2 v2.1.0
    "quality.bsi_format": (
        "Format: CycloneDX 1.6 or later, or SPDX 3.0.1 or later",
        "形式: CycloneDX 1.6 以降、または SPDX 3.0.1 以降"),
    "quality_fix.bsi_format": (
        "Write the SBOM as CycloneDX 1.6 or later, or SPDX 3.0.1 or later (SPDX 2 is no "
        "longer accepted).",
        "SBOM を CycloneDX 1.6 以降、または SPDX 3.0.1 以降で作成してください (SPDX 2 は"
        "認められなくなりました)。"),
    "quality.creator_contact": (
        "Creator of the SBOM, by e-mail or URL", "SBOM 作成者の連絡先 (電子メールまたは URL)"),
    "quality_fix.creator_contact": (
        "Give an e-mail address (or a URL) of whoever made the SBOM: "
        "metadata.manufacturer.contact[].email or .url (CycloneDX), a creator with an "
        "e-mail (SPDX).",
        "SBOM 作成者の電子メールアドレス (または URL) を記載してください: "
        "metadata.manufacturer.contact[].email または .url (CycloneDX)、電子メール付きの "
        "creator (SPDX)。"),
    "quality.sbom_uri": ("SBOM-URI", "SBOM の URI (SBOM-URI)"),
    "quality_fix.sbom_uri": (
        "Identify the SBOM: serialNumber (CycloneDX), documentNamespace (SPDX).",
        "SBOM の識別子を記載してください: serialNumber (CycloneDX)、documentNamespace "
        "(SPDX)。"),
    "quality.component_creator": (
        "Component creator, by e-mail or URL",
        "コンポーネント作成者の連絡先 (電子メールまたは URL)"),
    "quality_fix.component_creator": (
        "Give an e-mail address (or a URL) of each component's maker: "
        "manufacturer.contact[].email or manufacturer.url (CycloneDX 1.6), "
        "PackageOriginator with an e-mail (SPDX).",
        "各コンポーネント作成者の電子メールアドレス (または URL) を記載してください: "
        "manufacturer.contact[].email または manufacturer.url (CycloneDX 1.6)、電子メール"
        "付きの PackageOriginator (SPDX)。"),
    "quality.filename": ("Filename of the component", "コンポーネントのファイル名"),
    "quality_fix.filename": (
        "Give each component's actual file name, without a path: property "
        "bsi:component:filename (CycloneDX).",
        "各コンポーネントの実際のファイル名 (パスなし) を記載してください: プロパティ "
        "bsi:component:filename (CycloneDX)。"),
    "quality.dependencies_complete": (
        "Dependencies, with their completeness", "依存関係とその完全性"),
    "quality_fix.dependencies_complete": (
        "Put each component in the dependency graph and say whether its dependencies are "
        "complete: compositions[].aggregate listing it (CycloneDX), a relationship to NONE "
        "or NOASSERTION (SPDX).",
        "各コンポーネントを依存関係グラフに含め、依存関係が完全かどうかを示してください: "
        "それを列挙する compositions[].aggregate (CycloneDX)、NONE または NOASSERTION への"
        "関係 (SPDX)。"),
    "quality.distribution_licence": (
        "Distribution licence (concluded)", "配布ライセンス (concluded)"),
    "quality_fix.distribution_licence": (
        "Give the licence each component is distributed under, as an SPDX id or "
        "expression: licenses[] with acknowledgement \"concluded\" (CycloneDX 1.6), "
        "PackageLicenseConcluded (SPDX).",
        "各コンポーネントの配布ライセンスを SPDX 識別子または式で記載してください: "
        "acknowledgement \"concluded\" の licenses[] (CycloneDX 1.6)、"
        "PackageLicenseConcluded (SPDX)。"),
    "quality.hash_sha512": (
        "SHA-512 of the deployable component", "配布形態のコンポーネントの SHA-512"),
    "quality_fix.hash_sha512": (
        "Give the SHA-512 of each component as deployed: externalReferences of type "
        "distribution with a SHA-512 hash (CycloneDX), a SHA512 PackageChecksum (SPDX).",
        "各コンポーネントの配布形態の SHA-512 を記載してください: SHA-512 ハッシュ付きの種類 "
        "distribution の externalReferences (CycloneDX)、SHA512 の PackageChecksum (SPDX)。"),
    "quality.executable": ("Executable property", "実行可能性の属性"),
    "quality_fix.executable": (
        "Say whether each component is executable: property bsi:component:executable, "
        "\"executable\" or \"non-executable\" (CycloneDX).",
        "各コンポーネントが実行可能かどうかを示してください: プロパティ "
        "bsi:component:executable に \"executable\" または \"non-executable\" (CycloneDX)。"),
    "quality.archive": ("Archive property", "アーカイブ属性"),
    "quality_fix.archive": (
        "Say whether each component is an archive: property bsi:component:archive, "
        "\"archive\" or \"no archive\" (CycloneDX).",
        "各コンポーネントがアーカイブかどうかを示してください: プロパティ "
        "bsi:component:archive に \"archive\" または \"no archive\" (CycloneDX)。"),
    "quality.structured": ("Structured property", "構造化属性"),
    "quality_fix.structured": (
        "Say whether each component is structured: property bsi:component:structured, "
        "\"structured\" or \"unstructured\" (CycloneDX).",
        "各コンポーネントが構造化されているかを示してください: プロパティ "
        "bsi:component:structured に \"structured\" または \"unstructured\" (CycloneDX)。"),
    "quality.source_uri": ("Source code URI (additional)", "ソースコードの URI (追加項目)"),
    "quality_fix.source_uri": (
        "Where the data exists, give each component's source: externalReferences of "
        "type source-distribution or vcs (CycloneDX).",
        "データがある場合、各コンポーネントのソースの場所を記載してください: 種類 "
        "source-distribution または vcs の externalReferences (CycloneDX)。"),
    "quality.deployable_uri": (
        "URI of the deployable form (additional)", "配布形態の URI (追加項目)"),
    "quality_fix.deployable_uri": (
        "Where the data exists, give where each component is distributed: "
        "externalReferences of type distribution (CycloneDX), PackageDownloadLocation "
        "(SPDX).",
        "データがある場合、各コンポーネントの配布場所を記載してください: 種類 distribution "
        "の externalReferences (CycloneDX)、PackageDownloadLocation (SPDX)。"),
    "quality.original_licence": (
        "Original licence (declared, additional)", "元のライセンス (declared、追加項目)"),
    "quality_fix.original_licence": (
        "Where the data exists, give the licence its creator gave each component: "
        "licenses[] with acknowledgement \"declared\" (CycloneDX 1.6), "
        "PackageLicenseDeclared (SPDX).",
        "データがある場合、作成者が付与したライセンスを記載してください: acknowledgement "
        "\"declared\" の licenses[] (CycloneDX 1.6)、PackageLicenseDeclared (SPDX)。"),
    # METI
    "quality.validated": (
        "Format checked before it is handed over", "受け渡し前の形式確認"),
    "quality_fix.validated": (
        "Validate the SBOM against its format's schema before handing it over.",
        "受け渡す前に SBOM をその形式のスキーマで検証してください。"),
    "quality.no_noassertion": (
        "No field left as NOASSERTION", "NOASSERTION のままの項目がない"),
    "quality_fix.no_noassertion": (
        "Replace NOASSERTION with what is known (supplier, originator, download location, "
        "licences), and use it only where the data truly cannot be had.",
        "NOASSERTION を判明している情報 (サプライヤー、作成者、ダウンロード場所、"
        "ライセンス) に置き換え、本当に情報が得られない場合にのみ使ってください。"),
    # consistency
    "quality.purl_agrees": (
        "purl agrees with the component's name and version",
        "purl がコンポーネントの名前・バージョンと一致"),
    "quality_fix.purl_agrees": (
        "Make each purl name the component's own package and version: matching goes by "
        "the purl, so what the component says otherwise goes unseen.",
        "各 purl がコンポーネント自身のパッケージとバージョンを指すようにしてください。"
        "照合は purl で行うため、食い違う側の情報は見落とされます。"),
}
