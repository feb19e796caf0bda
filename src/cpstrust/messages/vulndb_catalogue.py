"""Messages of cpstrust.vulndb: code -> (English, Japanese). See cpstrust.messages.

Also those of the package identities and version orders it relies on (cpstrust.packages)
and of the advisory feeds (cpstrust.feeds).
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # packages: version orders
    "version_cannot_order": (
        "{scheme} cannot order version {version!r}: {reason}",
        "{scheme} ではバージョン {version!r} を順序付けできません: {reason}",
    ),
    "version_no_ordering": (
        "no version ordering for {scheme!r}",
        "{scheme!r} のバージョン順序は定義されていません",
    ),
    "version_empty_or_too_long": (
        "empty or longer than {limit} characters",
        "空か、{limit} 文字を超えています",
    ),
    "apk_number_beyond_64_bits": (
        "number beyond 64 bits in Alpine version {version!r}",
        "Alpine のバージョン {version!r} に 64 ビットを超える数値があります",
    ),
    "apk_invalid_version": (
        "invalid Alpine version {version!r}",
        "Alpine のバージョン {version!r} が不正です",
    ),
    "deb_bad_epoch": (
        "bad epoch in Debian version {version!r}",
        "Debian のバージョン {version!r} のエポックが不正です",
    ),
    "deb_bad_revision": (
        "bad revision in Debian version {version!r}",
        "Debian のバージョン {version!r} のリビジョンが不正です",
    ),
    "deb_bad_upstream": (
        "bad upstream version in Debian version {version!r}",
        "Debian のバージョン {version!r} の上流バージョンが不正です",
    ),
    "maven_not_transitive": (
        "Maven cannot order version {version!r}: ComparableVersion is not transitive on "
        "versions of this form",
        "Maven ではバージョン {version!r} を順序付けできません: この形式のバージョンでは "
        "ComparableVersion の比較が推移的になりません",
    ),
    "maven_non_ascii": (
        "non-ASCII Maven version {version!r}",
        "Maven のバージョン {version!r} に ASCII 以外の文字があります",
    ),
    "npm_number_too_large": (
        "number above 2**53 - 1 in npm version {version!r}: node-semver cannot order it",
        "npm のバージョン {version!r} に 2**53 - 1 を超える数値があります: node-semver "
        "では順序付けできません",
    ),
    "npm_invalid_version": (
        "invalid npm version {version!r}",
        "npm のバージョン {version!r} が不正です",
    ),
    "rpm_unreadable_version": (
        "rpm cannot read the version {version!r}",
        "rpm ではバージョン {version!r} を読み取れません",
    ),
    # vulndb: components not (fully) matched
    "skip_no_purl": (
        "component has no package URL",
        "コンポーネントにパッケージ URL がありません",
    ),
    "skip_invalid_purl": ("not a valid package URL", "有効なパッケージ URL ではありません"),
    "skip_unknown_ecosystem": (
        "no advisories for purl type {purl_type!r}",
        "purl タイプ {purl_type!r} のアドバイザリはありません",
    ),
    "skip_no_version": (
        "neither the purl nor the component has a version",
        "purl にもコンポーネントにもバージョンがありません",
    ),
    "skip_unparseable_version": (
        "version {version!r} cannot be ordered: matched on listed versions only, the ranges "
        "it could not be compared with are reported as not compared",
        "バージョン {version!r} は順序付けできません: 列挙されたバージョンとだけ照合し、"
        "比較できなかった範囲は未比較として報告します",
    ),
    # feeds: OSV files and zips
    "advisory_source_unsupported": (
        "not an advisory source (expected a directory, .zip, .json, .yaml or .yml)",
        "アドバイザリの取り込み元ではありません(ディレクトリ、.zip、.json、.yaml、.yml の"
        "いずれかが必要です)",
    ),
    "advisory_file_unreadable": ("cannot read: {reason}", "読み込めません: {reason}"),
    "advisory_file_over_limit": (
        "file is over the {limit}-byte limit",
        "ファイルが上限の {limit} バイトを超えています",
    ),
    "advisory_zip_unreadable": (
        "not a readable zip archive: {detail}",
        "読み込める zip アーカイブではありません: {detail}",
    ),
    "advisory_zip_too_many_members": (
        "archive has {count} members, over the {limit} limit",
        "アーカイブのメンバーが {count} 個あり、上限の {limit} 個を超えています",
    ),
    "advisory_member_over_limit": (
        "member is over the {limit}-byte limit",
        "メンバーが上限の {limit} バイトを超えています",
    ),
    "advisory_member_expands": (
        "member expands {ratio:.0f} times, over the {limit}x limit (zip bomb?)",
        "メンバーが {ratio:.0f} 倍に展開され、上限の {limit} 倍を超えています(zip 爆弾の"
        "おそれがあります)",
    ),
    "advisory_member_unreadable": (
        "cannot read archive member: {detail}",
        "アーカイブのメンバーを読み込めません: {detail}",
    ),
    "advisory_member_oversized": (
        "member is larger than its declared size",
        "メンバーが宣言されたサイズより大きくなっています",
    ),
    # feeds: OSV exports fetched over HTTPS
    "osv_cache_create_failed": (
        "cannot create the cache: {detail}",
        "キャッシュを作成できません: {detail}",
    ),
    "osv_export_http_status": (
        "server answered HTTP {status} {reason}",
        "サーバが HTTP {status} {reason} を返しました",
    ),
    "osv_export_download_failed": (
        "download failed: {detail}",
        "ダウンロードに失敗しました: {detail}",
    ),
    "osv_export_timed_out": ("timed out", "タイムアウトしました"),
    "osv_export_unexpected_status": (
        "unexpected HTTP {status}",
        "想定外の HTTP {status} です",
    ),
    "osv_export_truncated": (
        "body ended after {size} of {total} bytes (truncated)",
        "本文が {total} バイト中 {size} バイトで終わりました(途中で切れています)",
    ),
    "osv_export_too_large": (
        "export larger than the limit of {limit} bytes ({detail})",
        "エクスポートが上限の {limit} バイトを超えています({detail})",
    ),
    "osv_export_content_length": (
        "Content-Length is {total} bytes",
        "Content-Length が {total} バイト",
    ),
    "osv_export_body_passed": ("body passed {limit} bytes", "本文が {limit} バイトを超過"),
    "osv_export_too_many_members": (
        "zip has {count} members, over the limit of {limit}",
        "zip のメンバーが {count} 個あり、上限の {limit} 個を超えています",
    ),
    "osv_export_zip_bomb": (
        "zip unpacks to {size} bytes, over {ratio}x its size",
        "zip を展開すると {size} バイトになり、元のサイズの {ratio} 倍を超えます",
    ),
    "osv_export_not_zip": (
        "not a readable zip: {detail}",
        "読み込める zip ではありません: {detail}",
    ),
    "osv_export_corrupt_member": (
        "zip member {member!r} is corrupt",
        "zip のメンバー {member!r} が破損しています",
    ),
    "osv_export_replace_failed": (
        "cannot replace the cached zip: {detail}",
        "キャッシュ済みの zip を置き換えられません: {detail}",
    ),
    "osv_export_none_replaced": ("none", "なし"),
    "osv_export_state_write_failed": (
        "cannot write the fetch state: {detail}",
        "取得状態を書き込めません: {detail}",
    ),
    "osv_export_invalid_ecosystem": (
        "invalid ecosystem name {ecosystem!r}",
        "エコシステム名 {ecosystem!r} が不正です",
    ),
}
