"""Messages of SBOM generation and the package databases it reads: code -> (English,
Japanese). See cpstrust.messages."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "packagedb_not_utf8": ("text that is not UTF-8", "UTF-8 ではないテキストです"),
    "packagedb_package_twice": (
        "package {name} is listed twice with different versions ({first} at {first_at}, "
        "{second} here)",
        "パッケージ {name} が異なるバージョンで 2 回記載されています ({first_at} に {first}、"
        "ここに {second})"),
    "packagedb_package_twice_in_files": (
        "package {name} is listed with version {second} here and {first} in {other}",
        "パッケージ {name} がここではバージョン {second}、{other} では {first} として記載されて"
        "います"),
    "lock_not_pinned": (
        "{text!r} is not one exact pin (name==version): a lockfile pins what it installs",
        "{text!r} は一つの厳密な固定 (name==version) ではありません: ロックファイルはインストール"
        "するものを固定します"),
    "lock_includes_another": (
        "{text!r} includes another file, whose packages would go unseen: generate from that "
        "file too, or from the installed environment",
        "{text!r} は別のファイルを読み込みます。そのパッケージが漏れるため、そのファイルからも"
        "生成するか、インストール済みの環境から生成してください"),
    "lock_bad_go_sum_line": ("{text!r} is not a go.sum line (module version h1:hash)",
                             "{text!r} は go.sum の行 (module version h1:hash) ではありません"),
    "lock_bad_hash": (
        "{text!r} is not a digest a lockfile may give (sha256:<hex>, or sha512-<base64> for "
        "npm, of the algorithm's length)",
        "{text!r} はロックファイルが記載できるダイジェスト (sha256:<hex>、npm では "
        "sha512-<base64>、アルゴリズムの長さ) ではありません"),
    "lock_bad_shape_at": ("a list of tables was expected here",
                          "ここにはテーブルの配列が必要です"),
    "lock_not_toml": ("not valid TOML: {detail}", "有効な TOML ではありません: {detail}"),
    "lock_bad_shape": ("package is not a list of tables",
                       "package がテーブルの配列ではありません"),
    "packagedb_vendor_not_pinned": (
        "{text!r} is not one exact pin (name==version)",
        "{text!r} は一つの厳密な固定 (name==version) ではありません"),
    "packagedb_entry_without": (
        "an entry without {field}", "{field} のないエントリです"),
    "packagedb_too_large": (
        "package database or metadata of {size} bytes, over the limit",
        "パッケージデータベースまたはメタデータが {size} バイトで、上限を超えています"),
    "dpkg_continuation_without_field": (
        "a continuation line before any field", "フィールドより前に継続行があります"),
    "dpkg_malformed_line": (
        "a line that is neither \"Field: value\" nor a continuation",
        "\"Field: value\" の形式でも継続行でもない行です"),
    "apk_malformed_line": (
        "a line that is not \"X:value\"", "\"X:value\" の形式ではない行です"),
    "npm_lock_not_object": (
        "the lock is not a JSON object", "ロックファイルが JSON オブジェクトではありません"),
    "npm_lock_without_packages": (
        "the lock has neither \"packages\" nor \"dependencies\"",
        "ロックファイルに \"packages\" も \"dependencies\" もありません"),
    "npm_lock_entry_not_object": (
        "a package entry that is not a JSON object",
        "JSON オブジェクトではないパッケージのエントリです"),
    "rpm_db_unreadable": (
        "not a readable rpm database: {error}",
        "読み取れる rpm データベースではありません: {error}"),
    "generate_rpm_wal_pending": (
        "{path}: its write-ahead log is not empty; packages recorded only there are not listed",
        "{path}: ログ先行書き込み (WAL) ファイルが空ではありません。そこにだけ記録された"
        "パッケージは記載されません"),
    "rpm_header_malformed": (
        "a malformed package header: {problem}", "パッケージヘッダーが不正です: {problem}"),
    "jar_too_many_entries": (
        "more than {limit} zip entries", "zip のエントリが {limit} 個を超えています"),
    "jar_unreadable": ("not a readable zip: {error}", "読み取れる zip ではありません: {error}"),
    "jar_entry_too_large": (
        "an entry larger than {limit} bytes", "{limit} バイトを超えるエントリです"),
    "generate_link_escapes": (
        "a symbolic link to {target}, outside the image root",
        "イメージのルートの外を指すシンボリックリンク ({target}) です"),
    "generate_jar_skipped": (
        "{path}: skipped, no package read ({problem})",
        "{path}: スキップしました。パッケージを読み取れません ({problem})"),
    "generate_jar_skipped_too_large": (
        "{path}: skipped, {size} bytes is over the limit for a jar (the file is listed with "
        "its digest)",
        "{path}: スキップしました。{size} バイトは jar の上限を超えています (ファイルは"
        "ダイジェストとともに記載します)"),
    "generate_spec_version_not_cyclonedx": (
        "--spec-version chooses the CycloneDX version: it does not apply to --format {format}",
        "--spec-version は CycloneDX のバージョンを選ぶものです: --format {format} には"
        "使えません"),
    "generate_go_skipped": (
        "{problem}: no Go build info read (the file is listed with its digest)",
        "{problem}: Go のビルド情報を読み取りませんでした (ファイルはダイジェストとともに記載"
        "します)"),
    "go_buildinfo_truncated": (
        "Go build info that ends early (truncated, or longer than the limit)",
        "Go のビルド情報が途中で終わっています (切り詰められているか上限を超えています)"),
    "go_buildinfo_bad_header": (
        "a Go build info header that is not Go's (pointer size, flags or empty version)",
        "Go のものではないビルド情報ヘッダーです (ポインターサイズ、フラグまたは空のバージョン)"),
    "go_buildinfo_before_118": (
        "Go build info as Go before 1.18 wrote it (pointers, not inline strings), not read",
        "Go 1.18 より前の形式のビルド情報 (インライン文字列ではなくポインター) は読み取りません"),
    "go_buildinfo_not_utf8": (
        "Go build info text that is not UTF-8", "UTF-8 ではない Go のビルド情報です"),
    "go_buildinfo_bad_line": (
        "{text!r} is not a line of Go module info (path, mod, dep, => or build)",
        "{text!r} は Go のモジュール情報の行 (path、mod、dep、=>、build) ではありません"),
    "output_unwritable": (
        "cannot write the file: {error}", "ファイルを書き込めません: {error}"),
    "generate_warning": ("warning: {problem}", "警告: {problem}"),
    "generate_done": (
        "SBOM written to {out}: {files} files, {packages} packages.",
        "SBOM を {out} に書き出しました: ファイル {files} 個、パッケージ {packages} 個。"),
}
