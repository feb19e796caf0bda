"""The CLI's help in Japanese: the catalogue, and how a Japanese run applies it.

The command modules write their help in English (command help, option and argument
help). ``HELP_JA`` maps each English text, its whitespace normalised (``help_key``), to
what a Japanese engineer reads; ``localise`` puts it on a click command and everything
below it before any help is rendered. Only a Japanese run imports this module, so an
English run pays nothing for it. tests/cli/test_help_ja.py checks that every help text
of the command tree has an entry and that no entry is left over.
"""

from __future__ import annotations

from rich.highlighter import Highlighter
from rich.text import Text
from typer import _click as click
from typer._click.formatting import HelpFormatter
from typer.core import TyperArgument, TyperGroup, TyperOption

USAGE_LABEL = "使い方: "

# Typer's rich help reads these module constants of typer.rich_utils while it renders.
RICH_LABELS: dict[str, str] = {
    "ARGUMENTS_PANEL_TITLE": "引数",
    "OPTIONS_PANEL_TITLE": "オプション",
    "COMMANDS_PANEL_TITLE": "コマンド",
    "DEFAULT_STRING": "[既定値: {}]",
    "ENVVAR_STRING": "[環境変数: {}]",
    "REQUIRED_LONG_STRING": "[必須]",
    "DEPRECATED_STRING": "(非推奨) ",
}


def help_key(text: str) -> str:
    """How the catalogue spells an English help text: its whitespace normalised, so that
    a docstring's indentation and line breaks do not matter."""
    return " ".join(text.split())


def japanese(text: str | None) -> str | None:
    """The Japanese of an English help text; the English itself if the catalogue lacks it
    (the test names every such text)."""
    if text is None:
        return None
    return HELP_JA.get(help_key(text), text)


def localise(command: click.Command) -> None:
    """Put the Japanese help on ``command``, its parameters and, for a group, every
    subcommand below it; its help page then gets Japanese labels too."""
    command.help = japanese(command.help)
    command.short_help = japanese(command.short_help)
    command.context_class = JapaneseHelpContext
    for param in command.params:
        if isinstance(param, TyperArgument | TyperOption):
            param.help = japanese(param.help)
    if isinstance(command, TyperGroup):
        for subcommand in command.commands.values():
            localise(subcommand)


class _JapaneseHelpFormatter(HelpFormatter):
    """Click's formatter with the usage line's label in Japanese (Typer has no setting)."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, USAGE_LABEL if prefix is None else prefix)


class _FoldingHighlighter(Highlighter):
    """Typer's highlighter, also folding what does not fit: rich breaks lines only at
    spaces, and would cut a run of Japanese longer than a table cell short with "…"."""

    def __init__(self, typer_highlighter: Highlighter) -> None:
        self._typer_highlighter = typer_highlighter

    def highlight(self, text: Text) -> None:
        self._typer_highlighter.highlight(text)
        text.highlight_regex(f"^{USAGE_LABEL}", "usage")
        text.overflow = "fold"


class JapaneseHelpContext(click.Context):
    """The context of a command in a Japanese run: every help page (--help, or a group
    run without its command) is rendered through ``get_help``."""

    formatter_class = _JapaneseHelpFormatter

    def get_help(self) -> str:
        """The help page, with the help option's text, Typer's panel titles and labels
        in Japanese and long lines folded while it is rendered (they are Typer's module
        attributes: put back after, so nothing else in the process sees them)."""
        from typer import rich_utils  # loaded by any help page anyway; not before one

        help_option = self.command.get_help_option(self)
        if help_option is not None:
            help_option.help = japanese(help_option.help)
        japanese_rendering: dict[str, object] = {
            **RICH_LABELS, "highlighter": _FoldingHighlighter(rich_utils.highlighter)}
        english = {name: getattr(rich_utils, name) for name in japanese_rendering}
        for name, value in japanese_rendering.items():
            setattr(rich_utils, name, value)
        try:
            return super().get_help()
        finally:
            for name, value in english.items():
                setattr(rich_utils, name, value)


# English help text (whitespace normalised) -> Japanese, by command; a text several
# commands share is under the first. Product names, file formats, command and option
# names, metavars and `code` stay as they are; a paragraph break ("\n\n") keeps the first
# paragraph as the command's one-line summary in its group's listing.
HELP_JA: dict[str, str] = {
    # cpstrust (the root) and every command's --help
    "Build, prove and keep a chain of trust across an industrial supply chain. Start with "
    "`cpstrust demo` to load the bundled sample supply chain and see a report. Then load your own: "
    "`cpstrust chain load supply-chain.yaml`, `cpstrust vulndb import advisories/`, `cpstrust sbom "
    "import bom.json --product P --version V`, and ask `cpstrust impact CVE-2024-1234`. Chain of "
    "trust: `cpstrust keys create`, `cpstrust trust add-key`, `cpstrust release "
    "sign|verify|import`, `cpstrust image verify`, `cpstrust verifier serve` with `cpstrust agent "
    "attest` on devices, `cpstrust devices`, `cpstrust update check`. Exit codes: 0 ok, 1 findings "
    "at or above --fail-on or a refused signature, release, image or device, 2 bad input or usage.":
        "産業サプライチェーン全体にわたって信頼の連鎖を築き、証明し、維持します。\n\n"
        "まず `cpstrust demo` で同梱のサンプルサプライチェーンを読み込み、"
        "レポートを確認してください。次に自社のデータを読み込みます: `cpstrust chain load "
        "supply-chain.yaml`、`cpstrust vulndb import advisories/`、"
        "`cpstrust sbom import bom.json --product P --version V`。"
        "そのうえで `cpstrust impact CVE-2024-1234` で影響範囲を調べます。\n\n"
        "信頼の連鎖: `cpstrust keys create`、`cpstrust trust add-key`、"
        "`cpstrust release sign|verify|import`、`cpstrust image verify`、"
        "`cpstrust verifier serve` と機器側の `cpstrust agent attest`、`cpstrust devices`、"
        "`cpstrust update check`。\n\n"
        "終了コード: 0 正常、1 --fail-on 以上の検出事項、"
        "または署名・リリース・イメージ・機器の拒否、2 不正な入力または使い方の誤り。",
    "Language of messages and reports: en or ja (default from LANG).":
        "メッセージとレポートの言語: en または ja(既定値は LANG から決定)。",
    "Show tracebacks and debug logs.": "トレースバックとデバッグログを表示します。",
    "Show this message and exit.": "このヘルプを表示して終了します。",
    # cpstrust scan
    "Find known vulnerabilities in an SBOM file or in stored releases.":
        "SBOM ファイルまたは保存済みリリースに含まれる既知の脆弱性を検出します。",
    "Find known vulnerabilities in an SBOM file or in stored releases. `cpstrust scan bom.json` "
    "reads the file and matches it against the local advisory database without storing anything "
    "(like `trivy sbom`); `--vex supplier.vex.json` applies a supplier's statements "
    "(not_affected with its justification, fixed, ...). `cpstrust scan --product P` or `--all` "
    "re-evaluates stored releases and updates their findings.":
        "SBOM ファイルまたは保存済みリリースに含まれる既知の脆弱性を検出します。\n\n"
        "`cpstrust scan bom.json` はファイルを読み込み、"
        "何も保存せずにローカルの脆弱性データベースと照合します(`trivy sbom` と同様)。"
        "`--vex supplier.vex.json` はサプライヤーの VEX ステートメント (正当化理由付きの "
        "not_affected、fixed など) を適用します。"
        "`cpstrust scan --product P` または `--all` は保存済みリリースを再評価し、"
        "その検出事項を更新します。",
    "With FILE: a VEX document (OpenVEX, CycloneDX VEX or CSAF 2.0 VEX, told by content) whose "
    "statements set each finding's status; repeat for more. --fail-on then counts only affected "
    "and under_investigation findings.":
        "FILE と併用: 各検出事項の状態を決める VEX 文書 (OpenVEX、CycloneDX VEX、CSAF 2.0 VEX。"
        "形式は内容から判定)。複数指定できます。このとき --fail-on は affected と "
        "under_investigation の検出事項だけを数えます。",
    "SBOM file (CycloneDX JSON/XML, SPDX JSON/tag-value) to scan; nothing is stored.":
        "検査する SBOM ファイル(CycloneDX JSON/XML、SPDX JSON/tag-value)。何も保存しません。",
    "Scan the stored releases of this product.": "この製品の保存済みリリースを検査します。",
    "With --product: only this release.": "--product と併用: このリリースだけを検査します。",
    "VEX: a supplier's word on which vulnerabilities affect its products (OpenVEX, CycloneDX "
    "VEX, CSAF 2.0 VEX).":
        "VEX: どの脆弱性が製品に影響するかについてのサプライヤーの表明 (OpenVEX、CycloneDX VEX、"
        "CSAF 2.0 VEX)。",
    "Keep a VEX document as evidence and let its statements set the status of the stored "
    "findings they decide (not_affected, fixed, or open when affected or under investigation). "
    "The statements keep deciding: findings that later advisories bring are decided by the "
    "stored VEX too. A person's decision (`cpstrust findings set`) stands. A bad document, or "
    "one that contradicts a stored statement of the same time, stores nothing.":
        "VEX 文書を証跡として保存し、そのステートメントが該当する保存済み検出事項の状態を決めます "
        "(not_affected、fixed、affected または調査中なら open)。\n\n"
        "ステートメントは保存後も効力を持ち、後の脆弱性情報で新たに見つかった検出事項にも"
        "適用されます。人の判断 (`cpstrust findings set`) はそのまま残ります。不正な文書や、"
        "保存済みの同時刻のステートメントと矛盾する文書は何も保存しません。",
    "VEX document: OpenVEX, CycloneDX VEX or CSAF 2.0 VEX (told by content).":
        "VEX 文書: OpenVEX、CycloneDX VEX、CSAF 2.0 VEX (形式は内容から判定)。",
    "Write a VEX document for your own product: one statement per stored finding. "
    "not_affected (with its justification) and fixed findings say so; a finding accepted as a "
    "risk is affected, with the acceptance as its action; an open finding is affected when a "
    "statement said so, else under investigation. Components are named by purl and, when their "
    "SBOM has a serial, by a BOM-Link into it.":
        "自社製品の VEX 文書を書き出します: 保存済みの検出事項ごとに一つのステートメント。\n\n"
        "not_affected (正当化理由付き) と fixed の検出事項はそのとおりに、リスク受容した検出事項は "
        "受容を対応策とする affected に、未対応の検出事項はステートメントが affected と"
        "述べていれば affected、そうでなければ調査中 (under_investigation) になります。"
        "コンポーネントは purl で、SBOM にシリアル番号があれば BOM-Link でも指定します。",
    "table, json, or sarif (SARIF 2.1.0, file scans: for code scanning in CI).":
        "table、json、sarif (SARIF 2.1.0。ファイルの検査のみ: CI のコードスキャン向け)。",
    "table, json, or sarif (SARIF 2.1.0).": "table、json、sarif (SARIF 2.1.0) のいずれか。",
    "The product whose findings to state.": "検出事項を表明する製品。",
    "One release of it (default: every stored release).":
        "その製品の一つのリリース (既定: 保存済みのすべてのリリース)。",
    "openvex or cyclonedx (CycloneDX 1.6 VEX).": "openvex または cyclonedx (CycloneDX 1.6 VEX)。",
    "Write to this file (default: standard output).":
        "このファイルに書き出します (既定: 標準出力)。",
    "Apply it to this product's stored releases only.":
        "この製品の保存済みリリースだけに適用します。",
    "With --product: apply it to this release only.":
        "--product と併用: このリリースだけに適用します。",
    "Scan every stored release.": "保存済みのすべてのリリースを検査します。",
    "table or json.": "table または json。",
    "Exit with code 1 when a finding has this severity or worse (for CI gating; any: every "
    "finding); a vulnerability whose version could not be compared counts too.":
        "この深刻度以上の検出事項があれば終了コード 1 で終了します(CI のゲート用。any: "
        "すべての検出事項)。バージョンを比較できなかった脆弱性も対象に含めます。",
    # cpstrust impact
    "Show the blast radius of a vulnerability across the stored supply chain.":
        "保存済みサプライチェーン全体での脆弱性の影響範囲を表示します。",
    "Show the blast radius of a vulnerability across the stored supply chain. Follows open and "
    "accepted findings to releases, products and their supplier, walks the supplier relations "
    "downstream to every organisation receiving them, and lists the devices running an affected "
    "release and the sites they stand in.":
        "保存済みサプライチェーン全体での脆弱性の影響範囲を表示します。\n\n"
        "状態が open または accepted の検出事項からリリース、製品、その供給元をたどり、"
        "供給関係を下流へたどって、それらを受け取るすべての組織を洗い出します。さらに、"
        "影響を受けるリリースを稼働している機器と、その設置拠点を一覧表示します。",
    "Advisory id or any alias: CVE-…, GHSA-…, PYSEC-…, GO-….":
        "アドバイザリ ID またはその別名: CVE-…、GHSA-…、PYSEC-…、GO-…。",
    # cpstrust report
    "Summarise every stored release: components, devices, open findings by severity, and the "
    "vulnerabilities that reach the most releases and devices.":
        "保存済みのすべてのリリースを要約します: コンポーネント、機器、"
        "深刻度別の未対応の検出事項、そして最も多くのリリースと機器に影響する脆弱性。",
    "Summarise every stored release: components, devices, open findings by severity, and the "
    "vulnerabilities that reach the most releases and devices. With --product P, one release of P "
    "for people: its components and their licences (decided by --policy when given), its findings "
    "with their VEX status, the dependency path from the product to each vulnerable component, "
    "and its SBOM's quality score as `sbom check` gives it; --format html writes one "
    "self-contained page (no external resources) in the language of --lang.":
        "保存済みのすべてのリリースを要約します: コンポーネント、機器、"
        "深刻度別の未対応の検出事項、そして最も多くのリリースと機器に影響する脆弱性。\n\n"
        "--product P を指定すると、P の 1 つのリリースについて人が読む報告書を作成します: "
        "コンポーネントとそのライセンス(--policy を指定すればその判定も)、"
        "VEX の状態を含む検出事項、製品から各脆弱なコンポーネントに至る依存経路、"
        "`sbom check` と同じ SBOM の品質スコア。--format html は外部リソースを読み込まない"
        "単一のページを --lang の言語で書き出します。",
    "table, json, or html (with --product: one self-contained file).":
        "table、json、または html(--product と併用: 単一で完結したファイル)。",
    "Report on this product alone, for people.":
        "この製品だけについて、人が読む報告書を作成します。",
    "With --product: this release (default: the one stored last).":
        "--product と併用: このリリース(既定: 最後に保存されたリリース)。",
    "With --product: decide the licences by this policy (YAML).":
        "--product と併用: このポリシー(YAML)でライセンスを判定します。",
    "With --product: write the html or json report to this file (default: standard output).":
        "--product と併用: html または json の報告書をこのファイルに書き出します(既定: 標準出力)。",
    # cpstrust demo
    "Load the bundled sample (a made-up car maker, its suppliers, their SBOMs, and an advisory "
    "snapshot taken from real OSV records) into the store and print the report.":
        "同梱のサンプル(架空の自動車メーカー、その供給元、各社の SBOM、"
        "実在の OSV レコードから取ったアドバイザリのスナップショット)をストアに読み込み、"
        "レポートを表示します。",
    "Load the bundled sample (a made-up car maker, its suppliers, their SBOMs, and an advisory "
    "snapshot taken from real OSV records) into the store and print the report. Runs against the "
    "configured store (CPSTRUST_HOME / CPSTRUST_DATABASE_URL); running it again changes nothing.":
        "同梱のサンプル(架空の自動車メーカー、その供給元、各社の SBOM、"
        "実在の OSV レコードから取ったアドバイザリのスナップショット)をストアに読み込み、"
        "レポートを表示します。\n\n"
        "設定済みのストア(CPSTRUST_HOME / CPSTRUST_DATABASE_URL)に対して実行します。"
        "再実行しても何も変わりません。",
    # cpstrust vulndb
    "The offline advisory database: import OSV data, update it, show status.":
        "オフラインの脆弱性データベース: OSV データの取り込み、更新、状態の表示。",
    "Import OSV advisories from directories and zips, offline, in one transaction. Re-importing is "
    "incremental: unchanged records are skipped. Aliases (CVE, GHSA, PYSEC, GO, ...) are merged "
    "into one vulnerability; withdrawn records match nothing. Stored SBOMs are re-evaluated for "
    "the packages whose advisories changed.":
        "ディレクトリと zip から OSV アドバイザリを、"
        "オフラインかつ単一のトランザクションで取り込みます。\n\n"
        "再取り込みは差分だけを処理し、変更のないレコードはスキップします。別名(CVE、GHSA、"
        "PYSEC、GO など)はひとつの脆弱性にまとめ、取り下げられたレコードはどれにも一致しません。"
        "アドバイザリが変わったパッケージについては、保存済みの SBOM を再評価します。",
    "OSV directories (JSON or YAML, searched recursively) and OSV all.zip files.":
        "OSV ディレクトリ(JSON または YAML、再帰的に検索)と OSV の all.zip ファイル。",
    "Fetch the per-ecosystem OSV all.zip exports over HTTPS and import them. Conditional requests "
    "skip files that did not change; downloads are checked and swapped in only when every "
    "ecosystem succeeded, so a failure leaves the previous data untouched. Without network, use "
    "`cpstrust vulndb import`.":
        "エコシステムごとの OSV all.zip エクスポートを HTTPS で取得し、取り込みます。\n\n"
        "条件付きリクエストにより、変更のないファイルはスキップします。"
        "ダウンロードしたファイルは検査し、すべてのエコシステムが成功したときにだけ差し替えるため"
        "、失敗しても以前のデータはそのまま残ります。"
        "ネットワークがない環境では `cpstrust vulndb import` を使ってください。",
    "OSV ecosystem to fetch (repeatable), e.g. PyPI, Go, npm.":
        "取得する OSV エコシステム(複数指定可)。例: PyPI、Go、npm。",
    "Where the OSV exports are served.": "OSV エクスポートの配信元。",
    "Allow a plain-HTTP base URL (a local mirror).":
        "平文 HTTP のベース URL を許可します(ローカルミラー用)。",
    "Show the advisory sources, record counts and how old the data is.":
        "アドバイザリの取り込み元、レコード数、データの鮮度を表示します。",
    # cpstrust sbom
    "Generate the SBOM of a firmware or container image, store SBOMs received for releases "
    "(evidence kept with its digest) and check their quality against NTIA, BSI TR-03183-2 and "
    "METI.":
        "ファームウェアやコンテナのイメージの SBOM を生成し、リリースごとに受け取った SBOM を"
        "保存し(ダイジェストとともに証跡として保管)、その品質を NTIA、BSI TR-03183-2、"
        "経済産業省の手引に照らして検査します。",
    "Write the SBOM of a root filesystem: every regular file with its SHA-256 (a \"file\" "
    "component named by its path inside), and the packages installed in it, read from dpkg, "
    "apk, rpm (rpmdb.sqlite), Python (dist-info, egg-info), npm (package-lock.json, "
    "node_modules), jars and Go executables' build info (standard library, main module and "
    "dependency modules), with purl, declared licence, supplier or author, hashes a lockfile "
    "gives and dependencies. On a terminal, a progress bar on stderr counts the files and "
    "bytes hashed. The image is read once and "
    "nothing is extracted. The SBOM is the reference for `cpstrust release sign --sbom` and "
    "`cpstrust image verify`. Hostile archives (paths outside the root, links escaping it, too "
    "many members or bytes) and malformed package databases are refused with exit 2, naming the "
    "member or the file and line; nothing is written then.":
        "ルートファイルシステムの SBOM を書き出します。すべての通常ファイルを SHA-256 とともに"
        "(イメージ内のパスを名前とする \"file\" コンポーネントとして)、またイメージに"
        "インストールされたパッケージを dpkg、apk、Python(dist-info、egg-info)、"
        "rpm(rpmdb.sqlite)、npm(package-lock.json、node_modules)、jar、Go 実行ファイルの"
        "ビルド情報(標準ライブラリ、メインモジュール、依存モジュール)から読み取り、"
        "purl、宣言された"
        "ライセンス、サプライヤーまたは作成者、ロックファイルが示すハッシュ、依存関係とともに"
        "記載します。端末では、ハッシュしたファイル数とバイト数を進捗バーとして標準エラーに"
        "表示します。\n\n"
        "イメージは一度だけ読み、何も展開しません。この SBOM は `cpstrust release sign "
        "--sbom` と `cpstrust image verify` の基準になります。悪意のあるアーカイブ"
        "(ルート外のパス、ルート外を指すリンク、多すぎるメンバーやバイト数)や不正な"
        "パッケージデータベースは、メンバーまたはファイルと行を示して終了コード 2 で"
        "拒否します。その場合は何も書き出しません。",
    "Root filesystem: a directory or a tar archive (.tar, .tar.gz, .tar.bz2, .tar.xz); or a "
    "lockfile (requirements *.txt, poetry.lock, uv.lock, package-lock.json, go.sum).":
        "ルートファイルシステム: ディレクトリまたは tar アーカイブ (.tar、.tar.gz、.tar.bz2、"
        ".tar.xz)。またはロックファイル (requirements の *.txt、poetry.lock、uv.lock、"
        "package-lock.json、go.sum)。",
    "cyclonedx (CycloneDX JSON), spdx (SPDX 2.3 JSON) or spdx3 (SPDX 3.0.1 JSON-LD).":
        "cyclonedx(CycloneDX JSON)、spdx(SPDX 2.3 JSON)または spdx3(SPDX 3.0.1 JSON-LD)。",
    "CycloneDX version to write: 1.6 (the default) or 1.7; only with --format cyclonedx.":
        "書き出す CycloneDX のバージョン: 1.6(既定)または 1.7。--format cyclonedx の"
        "ときのみ使えます。",
    "Write the SBOM to this file (whole or not at all) instead of stdout.":
        "SBOM を標準出力ではなくこのファイルに書き出します(完全に書き出すか、何も書き出さないか"
        "のどちらか)。",
    "Name of the described image (default: PATH's name).":
        "記述するイメージの名前(既定: PATH の名前)。",
    "Version of the described image.": "記述するイメージのバージョン。",
    "Check an SBOM's quality: which of NTIA's minimum elements, BSI TR-03183-2 v2.1.0's "
    "required fields and METI's guide the document and each component meet, a score per "
    "element, and what to fix; and components whose purl disagrees with their name or version. "
    "Nothing is stored. A buyer can send a supplier's SBOM back with these reasons, and a CI job "
    "can gate on them with --require.":
        "SBOM の品質を検査します。NTIA の最小要素、BSI TR-03183-2 v2.1.0 の必須項目、"
        "経済産業省の手引のうち、文書と各コンポーネントが満たすもの、要素ごとのスコア、"
        "対処方法を示します。purl が名前やバージョンと食い違うコンポーネントも示します。\n\n"
        "何も保存しません。調達側はこの理由を添えて供給元に SBOM を差し戻せます。CI では "
        "--require で判定に使えます。",
    "SBOM file (CycloneDX JSON/XML, SPDX JSON/tag-value).":
        "SBOM ファイル(CycloneDX JSON/XML、SPDX JSON/tag-value)。",
    "Exit with code 1 unless the SBOM meets every required element of this framework "
    "(repeatable): ntia, bsi, meti or consistency.":
        "SBOM がこのフレームワークの必須要素をすべて満たさない場合、終了コード 1 で終了します"
        "(複数指定可): ntia、bsi、meti、consistency。",
    "Validate and store a release's SBOM, then evaluate it against the advisory database. The "
    "document is kept byte for byte with its SHA-256, who sent it and when. A release has one "
    "current SBOM; importing another replaces it and keeps the decisions (accepted, not affected) "
    "taken on findings that still apply.":
        "リリースの SBOM を検証して保存し、脆弱性データベースと照合します。\n\n"
        "文書はバイト単位でそのまま、SHA-256、送付元、受領日時とともに保管します。"
        "リリースごとの現行の SBOM はひとつだけで、別の SBOM を取り込むと置き換わります。その際、"
        "引き続き該当する検出事項について下した判断(accepted、not affected)は引き継ぎます。",
    "CycloneDX 1.2–1.7 (JSON/XML), SPDX 2.2/2.3 (JSON/tag-value) or SPDX 3.0.1 (JSON-LD).":
        "CycloneDX 1.2–1.7(JSON/XML)、SPDX 2.2/2.3(JSON/tag-value)または SPDX 3.0.1"
        "(JSON-LD)。",
    "Product the SBOM describes.": "SBOM が記述する製品。",
    "Release (version) of the product.": "製品のリリース(バージョン)。",
    "Organisation that supplied it; creates the product under it if new.":
        "SBOM を提供した組織。製品が未登録なら、その組織の下に作成します。",
    # cpstrust licenses
    "Licence compliance: the licences of an SBOM's components against a policy (allow, "
    "review, deny).":
        "ライセンスの遵守確認: SBOM のコンポーネントのライセンスをポリシー(許可、要確認、拒否)に"
        "照らして判定します。",
    "Decide each component's licence by a policy: allow, review or deny, with the licence and "
    "the rule that decided. A licence expression is read against the SPDX list: OR takes the "
    "best choice, AND the worst part; licences are classified by the ScanCode LicenseDB "
    "categories (permissive, copyleft-limited, copyleft, ...). The policy's overrides for an "
    "organisation and a product apply over its base; each verdict names the scope that "
    "decided it. Exit 1 when a component is denied. `--product P` without FILE checks the "
    "stored releases of P by the SBOMs kept for them, under P's overrides and those of P's "
    "supplier.":
        "各コンポーネントのライセンスをポリシーで判定します(許可、要確認、拒否)。判定した"
        "ライセンスと規則も示します。\n\n"
        "ライセンス式は SPDX ライセンスリストに照らして読み、OR は最も良い選択肢、AND は最も"
        "悪い部分で判定します。ライセンスは ScanCode LicenseDB の分類(permissive、"
        "copyleft-limited、copyleft など)で分類します。ポリシーの組織・製品ごとの上書きは"
        "基本の規則に重ねて適用し、各判定にはそれを決めたスコープを示します。拒否された"
        "コンポーネントがあれば終了コード 1 で終了します。FILE なしの `--product P` は P の"
        "保存済みリリースを、保存した SBOM で、P とその供給元の上書きのもとで検査します。",
    "SBOM file (CycloneDX JSON/XML, SPDX JSON/tag-value); or give --product.":
        "SBOM ファイル(CycloneDX JSON/XML、SPDX JSON/tag-value)。または --product を指定します。",
    "Without FILE: check the stored releases of this product (under its overrides and its "
    "supplier's). With FILE: apply this product's overrides.":
        "FILE なし: この製品の保存済みリリースを (製品とその供給元の上書きのもとで) 検査します。"
        "FILE あり: この製品の上書きを適用します。",
    "With FILE: apply this organisation's overrides (under the product's).":
        "FILE あり: この組織の上書きを適用します (製品の上書きが優先します)。",
    "Licence policy (YAML): decisions by SPDX id, by category, and for missing and unknown "
    "licences.":
        "ライセンスポリシー(YAML): SPDX 識別子ごと、分類ごと、記載なし・不明なライセンスの"
        "判定。",
    "The stored licence policy: every stored release's licence findings follow it (and each "
    "SBOM stored later).":
        "保存するライセンスポリシー: 保存済みの全リリース (と以後に保存する SBOM) の"
        "ライセンスの検出事項はこのポリシーに従います。",
    "Licence policy (YAML), validated whole: nothing is stored if any of it is bad.":
        "ライセンスポリシー (YAML)。全体を検証し、一部でも誤りがあれば何も保存しません。",
    "Store a licence policy (the previous one is kept as evidence) and re-evaluate the "
    "licence findings of every stored release by it, in one transaction: denied, to review, "
    "unknown or missing licences and conflicts become findings of kind `licence`, and their "
    "changes events (cause `policy`).":
        "ライセンスポリシーを保存し (以前のものは証跡として保持します)、保存済みの全リリースの"
        "ライセンスの検出事項を一つのトランザクションで再評価します。拒否・要確認・不明・記載なし"
        "のライセンスと競合は種類 `licence` の検出事項となり、その変化はイベント (原因 "
        "`policy`) になります。",
    "Stop judging licences: record that no policy is held (earlier versions are kept) and "
    "resolve every standing licence finding.":
        "ライセンスの判定をやめます。ポリシーを保持しないことを記録し (以前のバージョンは保持"
        "します)、未解決のライセンスの検出事項をすべて解決済みにします。",
    "The licence policy held now: its version, digest, where it came from, and the document "
    "as set.":
        "現在保持しているライセンスポリシー: バージョン、ダイジェスト、取得元、設定した文書。",
    "Only findings of this kind: vulnerability, licence (under the stored licence policy) or ot "
    "(OT alerts, unknown and missing devices; ids ot-N). Default: all.":
        "この種類の検出事項のみ: vulnerability、licence(保存したライセンスポリシーによる)、"
        "または ot(OT のアラート、不明なデバイス、未検出のデバイス。ID は ot-N)。"
        "既定ではすべて。",
    # cpstrust chain
    "The supply-chain graph: organisations, products, releases, sites, devices.":
        "サプライチェーンのグラフ: 組織、製品、リリース、拠点、機器。",
    "Load organisations (with supplier tiers), products, releases, sites with zones and devices "
    "from a YAML file, and the SBOMs it names; all in one transaction. Loading again updates what "
    "changed and duplicates nothing. See `src/cpstrust/demo/supply-chain.yaml` for an example of "
    "the format.":
        "組織(供給階層を含む)、製品、リリース、ゾーン付きの拠点、"
        "機器を YAML ファイルから読み込み、ファイルが指定する SBOM も読み込みます。"
        "すべて単一のトランザクションで行います。\n\n"
        "再度読み込むと変更点だけを更新し、重複は作りません。"
        "形式の例は `src/cpstrust/demo/supply-chain.yaml` を参照してください。",
    "Supply-chain YAML file.": "サプライチェーンの YAML ファイル。",
    # cpstrust findings
    "Stored findings and their lifecycle (open, accepted, fixed, not_affected).":
        "保存済みの検出事項とそのライフサイクル(open、accepted、fixed、not_affected)。",
    "List findings, worst first.": "検出事項を深刻な順に一覧表示します。",
    "Only findings in this state.": "この状態の検出事項だけを表示します。",
    "Only this product's findings.": "この製品の検出事項だけを表示します。",
    "Record a decision on a finding, e.g. `accepted` with a note, or `not_affected`.":
        "検出事項への判断を記録します。例: メモを付けて `accepted`、または `not_affected`。",
    "Finding id from `findings list` (ot-N for an OT finding).":
        "`findings list` に表示される検出事項 ID(OT の検出事項は ot-N)。",
    "New state.": "新しい状態。",
    "Why (kept with the finding).": "理由(検出事項とともに保管)。",
    # cpstrust keys
    "Signing keys and roots of trust. The private key never leaves its backend: an encrypted file, "
    "a PKCS#11 token (HSM, secure element) or a TPM 2.0.":
        "署名鍵と信頼の起点(ルートオブトラスト)。"
        "秘密鍵が保管先の外に出ることはありません: 暗号化ファイル、PKCS#11 トークン(HSM、"
        "セキュアエレメント)、または TPM 2.0。",
    "Generate a key pair inside BACKEND. Examples: CPSTRUST_KEY_PASSPHRASE=… cpstrust keys create "
    "vendor-release cpstrust keys create plc-01 --backend pkcs11 --module "
    "/usr/lib/softhsm/libsofthsm2.so --token plc --algorithm ecdsa-p256 cpstrust keys create "
    "plc-ak --backend tpm --tcti device:/dev/tpmrm0 --algorithm ecdsa-p256 --attestation-key":
        "BACKEND の中で鍵ペアを生成します。\n\n"
        "例:\n"
        "  CPSTRUST_KEY_PASSPHRASE=… cpstrust keys create vendor-release\n"
        "  cpstrust keys create plc-01 --backend pkcs11 --module "
        "/usr/lib/softhsm/libsofthsm2.so\n"
        "    --token plc --algorithm ecdsa-p256\n"
        "  cpstrust keys create plc-ak --backend tpm --tcti device:/dev/tpmrm0 --algorithm "
        "ecdsa-p256\n"
        "    --attestation-key",
    "Name to refer to the key by.": "鍵を参照するときの名前。",
    "Where the private key lives.": "秘密鍵の保管先。",
    "ed25519 or ecdsa-p256 (a TPM has only ecdsa-p256).":
        "ed25519 または ecdsa-p256(TPM は ecdsa-p256 のみ)。",
    "Environment variable holding a file key's passphrase.":
        "ファイル鍵のパスフレーズを保持する環境変数。",
    "PKCS#11 module (.so) path.": "PKCS#11 モジュール(.so)のパス。",
    "PKCS#11 token label.": "PKCS#11 トークンのラベル。",
    "Environment variable holding the PKCS#11 user PIN.":
        "PKCS#11 のユーザー PIN を保持する環境変数。",
    "TPM connection, e.g. device:/dev/tpmrm0 or swtpm:host=…,port=…":
        "TPM への接続。例: device:/dev/tpmrm0、swtpm:host=…,port=…",
    "TPM only: a restricted key that signs quotes and nothing else (for `agent attest`).":
        "TPM のみ: クォートにだけ署名する制限付きの鍵(`agent attest` 用)。",
    "Keys this installation holds.": "この環境が保持する鍵を一覧表示します。",
    "Print the public key as PEM (SubjectPublicKeyInfo), for `cpstrust trust add-key` here or at a "
    "partner, or for any DSSE verifier.":
        "公開鍵を PEM(SubjectPublicKeyInfo)で出力します。"
        "この環境や取引先での `cpstrust trust add-key`、または任意の DSSE 検証ツールで使えます。",
    "Key name.": "鍵の名前。",
    "Stop signing with a key here. Verifiers elsewhere learn of it only through the trust store: "
    "also run `cpstrust trust revoke KEYID` and export the store.":
        "この環境でその鍵による署名をやめます。ほかの場所の検証者がそれを知る手段はトラストストア"
        "だけです: `cpstrust trust revoke KEYID` も実行し、ストアをエクスポートしてください。",
    "Why (e.g. 'laptop stolen').": "理由(例: 'ノート PC の盗難')。",
    # cpstrust trust
    "Trusted keys with roles (root, release-signer, device-identity, organisation, assessor, "
    "data-producer), scopes, validity and revocation. Exported as a signed, versioned document; an "
    "older version is never accepted back (rollback).":
        "役割(root、release-signer、device-identity、organisation、assessor、data-producer)、"
        "範囲、有効期間、失効を管理する信頼済みの鍵。"
        "署名付きで版管理された文書としてエクスポートし、"
        "古い版が再び受け入れられることはありません(ロールバック防止)。",
    # cpstrust trust evaluate
    "Compute a verdict (trusted, at_risk, untrusted, unknown) with its reasons for every "
    "organisation, product, release, device and system, propagated along the supply chain, and "
    "store them. Exit 1 if any subject is untrusted.":
        "すべての組織・製品・リリース・機器・システムについて、判定(trusted、at_risk、"
        "untrusted、unknown)とその理由をサプライチェーンに沿って伝播させて計算し、保存します。"
        "untrusted の対象が一つでもあれば終了コード 1 を返します。",
    "Trust policy file (YAML; see the README).": "信頼ポリシーファイル(YAML。README 参照)。",
    # cpstrust risk
    "Risk of a site's zones (likelihood x impact, from the stored findings, attestations, trust "
    "verdicts and the operator's assessment) and the plan of CPSF countermeasures by risk "
    "reduction per effort.":
        "拠点のゾーンのリスク(保存された検出事項・機器検証・信頼判定・運用者の評価から求める"
        "発生可能性 x 影響度)と、工数あたりのリスク低減量の順に並べた CPSF 対策の計画。",
    "The risk register of a site: per zone and threat, likelihood and impact (1-5), risk = "
    "likelihood x impact with its level, the facts behind each, and the CPSF countermeasures; a "
    "likelihood x impact heat map in HTML.":
        "拠点のリスク台帳: ゾーンと脅威ごとの発生可能性と影響度(1〜5)、リスク値 = 発生可能性 x "
        "影響度とその水準、それぞれの根拠となる事実、CPSF の対策。HTML では発生可能性 x 影響度の"
        "ヒートマップも示します。",
    "The plan of countermeasures of a site: the CPSF requirements not yet met in the operator's "
    "assessment, ordered by the risk reduction they give per unit of effort, and those already in "
    "place.":
        "拠点の対策計画: 運用者の評価でまだ実施済みでない CPSF 要求事項を、工数あたりのリスク低減量"
        "の順に並べ、実施済みのものも示します。",
    "The site (as the supply-chain file names it).": "拠点(サプライチェーンファイルでの名前)。",
    "Only this zone of the site.": "拠点のこのゾーンだけ。",
    "As at this time (UTC); now by default.": "この時刻(UTC)時点。既定は現在時刻。",
    "Exit 1 when a risk is at this level or above.":
        "この水準以上のリスクがあれば終了コード 1 を返します。",
    # cpstrust trust report
    "Evaluate the policy (as `trust evaluate` does, storing the verdicts) and show the supply "
    "chain as a graph with verdicts: organisations, products, releases, devices, zones and "
    "sites, the reasons and the evidence or finding behind each, and what to do next about each "
    "subject that is not trusted, with the CPSF requirements it serves. Exit 1 if any subject is "
    "untrusted.":
        "ポリシーを評価し(`trust evaluate` と同じく判定を保存します)、"
        "サプライチェーンを判定付きのグラフとして示します: "
        "組織・製品・リリース・機器・ゾーン・サイト、それぞれの理由とその根拠となる証跡や検出事項、"
        "そして信頼されていない対象ごとに次にすべきことと、それが満たす CPSF 要件。"
        "untrusted の対象が一つでもあれば終了コード 1 を返します。",
    "Write to this file (default: standard output; json and html only).":
        "このファイルに書き出します(既定: 標準出力。json と html のみ)。",
    "Another policy: show whose verdict would change under it (nothing is stored).":
        "別のポリシー: それを適用すると判定が変わる対象を表示します(何も保存しません)。",
    "Compute every verdict again, not only what changed since the last evaluation.":
        "前回の評価以降に変わった部分だけでなく、すべての判定を計算し直します。",
    "Evaluate as at this time (UTC); now by default.":
        "この時刻(UTC)時点で評価します。既定は現在時刻。",
    "Show only subjects of this kind (repeatable).": "この種別の対象だけを表示します(複数指定可)。",
    "Trust a public key; makes a new version of the trust store.":
        "公開鍵を信頼します。トラストストアの新しい版を作成します。",
    "Public key PEM (from `keys export-public`).":
        "公開鍵の PEM(`keys export-public` で出力したもの)。",
    "Role the key is trusted in (repeatable).": "鍵を信頼する役割(複数指定可)。",
    "Product (release-signer) or device (device-identity) it may vouch for; repeatable; none means "
    "all.":
        "鍵が保証できる製品(release-signer)または機器(device-identity)。複数指定可。"
        "指定しなければすべてが対象です。",
    "Valid from (UTC).": "有効期間の開始(UTC)。",
    "Valid until (UTC).": "有効期間の終了(UTC)。",
    "Whose key this is.": "この鍵の持ち主。",
    "Revoke a trusted key: nothing it signed is accepted any more.":
        "信頼済みの鍵を失効させます: その鍵が署名したものは今後いっさい受け入れません。",
    "Key id or a unique prefix (8+ hex digits).":
        "鍵 ID、または一意に決まる接頭辞(16 進 8 桁以上)。",
    "Why the key is no longer trusted.": "鍵を信頼しなくなった理由。",
    "The trusted keys of the current trust store version.":
        "現在の版のトラストストアにある信頼済みの鍵を一覧表示します。",
    "Sign the current trust store with a root key and write it as a DSSE envelope.":
        "現在のトラストストアにルート鍵で署名し、DSSE エンベロープとして書き出します。",
    "Where to write the signed trust store.": "署名付きトラストストアの書き出し先。",
    "Root key (from `keys list`) that signs it.":
        "署名に使うルート鍵(`keys list` に表示される名前)。",
    "Install a newer trust store, verified offline against the root keys already trusted (or "
    "pinned with --root the first time). Exit 1 if refused.":
        "より新しいトラストストアを導入します。すでに信頼しているルート鍵(初回は --root "
        "で固定した鍵)に照らしてオフラインで検証します。拒否した場合は終了コード 1。",
    "Signed trust store (from `trust export`).":
        "署名付きトラストストア(`trust export` で出力したもの)。",
    "Root public key PEM to pin on the first import (repeatable).":
        "初回の取り込みで固定するルート公開鍵の PEM(複数指定可)。",
    # cpstrust release
    "Sign releases (DSSE envelope, in-toto Statement v1, SLSA provenance v1 naming the SBOM) and "
    "verify them offline.":
        "リリースに署名し(DSSE エンベロープ、in-toto Statement v1、"
        "SBOM を指定する SLSA provenance v1)、オフラインで検証します。",
    "Sign ARTIFACT... as release VERSION of PRODUCT. Writes a standard DSSE envelope (payloadType "
    "application/vnd.in-toto+json) whose subjects are the artifacts' SHA-256 digests. Any DSSE "
    "verifier can check it with the public key from `cpstrust keys export-public`.":
        "ARTIFACT... に PRODUCT のリリース VERSION として署名します。\n\n"
        "標準の DSSE エンベロープ(payloadType application/vnd.in-toto+json)を書き出します。"
        "その対象(subject)は各成果物の SHA-256 ダイジェストです。"
        "`cpstrust keys export-public` で得た公開鍵があれば、"
        "どの DSSE 検証ツールでも検証できます。",
    "Files to sign (firmware images, packages), or a directory: a firmware root file system, every "
    "file of which becomes a subject.":
        "署名するファイル(ファームウェアイメージ、パッケージ)、またはディレクトリ。"
        "ディレクトリはファームウェアのルートファイルシステムとして扱い、"
        "その中のすべてのファイルが対象になります。",
    "Signing key name (from `keys list`).": "署名鍵の名前(`keys list` に表示される名前)。",
    "Product the release belongs to.": "リリースが属する製品。",
    "Version of the release.": "リリースのバージョン。",
    "Where to write the DSSE envelope.": "DSSE エンベロープの書き出し先。",
    "SBOM describing the release; its digest is bound into the signed provenance.":
        "リリースを記述する SBOM。そのダイジェストを署名付きの provenance に含めます。",
    "Check a signed release offline: a trusted release-signer key, in scope for the product, "
    "neither revoked nor expired, signed it, and every --artifact is a subject. Exit 0 trusted, 1 "
    "refused (reason on stderr or in --format json), 2 unreadable input.":
        "署名付きリリースをオフラインで検証します: 信頼済みで、製品が範囲内にあり、"
        "失効も期限切れもしていない release-signer 鍵が署名していること、"
        "およびすべての --artifact が対象に含まれていることを確認します。\n\n"
        "終了コード: 0 信頼済み、1 拒否(理由は標準エラー出力または --format json に出力)、"
        "2 入力を読めない。",
    "DSSE envelope of the release.": "リリースの DSSE エンベロープ。",
    "File that must be one of the signed subjects (repeatable).":
        "署名された対象のいずれかでなければならないファイル(複数指定可)。",
    "Product the release must be for.": "リリースに求める製品。",
    "Version the release must be.": "リリースに求めるバージョン。",
    "Verify a signed release and keep it as evidence for its release in the store: its subjects "
    "become the reference values that images and devices are checked against. Exit 0 stored, 1 "
    "refused (nothing stored), 2 unreadable input.":
        "署名付きリリースを検証し、ストア内の該当リリースの証跡として保管します: その対象が、"
        "イメージと機器を照合する基準値になります。\n\n"
        "終了コード: 0 保存、1 拒否(何も保存しない)、2 入力を読めない。",
    "The SBOM the release names; refused unless its digest is the signed one.":
        "リリースが指定する SBOM。ダイジェストが署名されたものと一致しなければ拒否します。",
    "Supplier organisation, creating the product under it if new.":
        "供給元の組織。製品が未登録なら、その組織の下に作成します。",
    # cpstrust evidence
    "Signed organisational evidence: ★ self-declarations, assessors' attestations, assessment "
    "results, JC-STAR labels, SBOM and VEX deliveries. A supplier exports one bundle; the buyer "
    "verifies and imports it offline against its trust store.":
        "署名付きの組織のエビデンス: ★ の自己宣言、評価機関による証明、評価結果、JC-STAR ラベル、"
        "SBOM と VEX の提供。サプライヤーは 1 つのバンドルを書き出し、"
        "調達側は自社のトラストストアに照らしてオフラインで検証し取り込みます。",
    "Sign a piece of evidence for ORG with KEY and keep it here, to be exported with `evidence "
    "export`. Assessment results are signed by the assessment engine, not here.":
        "ORG のエビデンスに KEY で署名し、この環境に保存します。`evidence export` で書き出せます。"
        "\n\n評価結果は評価エンジンが署名するため、ここでは作成しません。",
    "star-declaration, star-attestation, jcstar-label, sbom-delivery or vex-delivery.":
        "star-declaration、star-attestation、jcstar-label、sbom-delivery、vex-delivery の"
        "いずれか。",
    "Organisation the evidence speaks for.": "エビデンスが対象とする組織。",
    "★ level (3-5; a self-declaration 3 only) or JC-STAR level (1-4).":
        "★ レベル (3〜5。自己宣言は 3 のみ) または JC-STAR のレベル (1〜4)。",
    "Product (jcstar-label, sbom-delivery; optional for vex-delivery).":
        "製品 (jcstar-label、sbom-delivery で必須。vex-delivery では任意)。",
    "Release of the product the SBOM describes (sbom-delivery).":
        "SBOM が記述する製品のリリース (sbom-delivery)。",
    "The SBOM or VEX file delivered; its SHA-256 is signed.":
        "提供する SBOM または VEX ファイル。その SHA-256 に署名します。",
    "Assessor organisation (star-attestation).": "評価機関の組織名 (star-attestation)。",
    "When the assessment was made, UTC (star-attestation; default now).":
        "評価を行った日時、UTC (star-attestation。既定値は現在)。",
    "The assessor's report reference (star-attestation).":
        "評価機関の報告書の参照番号 (star-attestation)。",
    "JC-STAR registration number (jcstar-label).": "JC-STAR の登録番号 (jcstar-label)。",
    "Expiry time, UTC (default a year from now).": "有効期限、UTC (既定値は 1 年後)。",
    "Write every piece of evidence held for ORG as one bundle (JSON, DSSE envelopes and the "
    "signers' public keys for the buyer to review).":
        "ORG について保持しているすべてのエビデンスを 1 つのバンドル (JSON。DSSE エンベロープと、"
        "調達側が確認するための署名者の公開鍵) として書き出します。",
    "Organisation whose evidence to export.": "エビデンスを書き出す組織。",
    "Bundle file to write (default: standard output).":
        "書き出すバンドルファイル (既定値: 標準出力)。",
    "Verify each envelope of BUNDLE offline against the trust store and keep those accepted, "
    "in one transaction. The keys the bundle offers are shown, never trusted. Exit 0 all "
    "accepted, 1 some refused (the others kept), 2 malformed bundle (nothing kept).":
        "BUNDLE の各エンベロープをトラストストアに照らしてオフラインで検証し、受理したものを"
        "1 つのトランザクションで保存します。バンドルが提示する鍵は表示するだけで、信頼はしません。"
        "\n\n終了コード: 0 すべて受理、1 一部を拒否 (他は保存)、"
        "2 バンドルが不正 (何も保存しない)。",
    "Evidence bundle (from `evidence export`).": "エビデンスバンドル (`evidence export` の出力)。",
    "Verify a bundle (or held evidence) against the trust store now, keeping nothing. Exit 0 "
    "all accepted, 1 any refused, 2 malformed input.":
        "バンドル (または保持しているエビデンス) を現在のトラストストアに照らして検証します。"
        "何も保存しません。\n\n終了コード: 0 すべて受理、1 いずれかを拒否、2 不正な入力。",
    "Evidence bundle file, or the id of held evidence.":
        "エビデンスバンドルのファイル、または保持しているエビデンスの ID。",
    "The evidence held, each verified again now: expiry, revocation and the trust store may "
    "have changed since it was kept.":
        "保持しているエビデンスを、それぞれ現時点で検証し直して一覧にします。保存後に有効期限、"
        "失効、トラストストアが変わっている場合があるためです。",
    "Only this organisation's evidence.": "この組織のエビデンスだけを表示します。",
    # cpstrust update
    "Check updates against the trust store before installing them.":
        "アップデートを導入する前に、トラストストアに照らして検証します。",
    "Fetch the release from SERVER, verify it offline against the trust store, then download each "
    "artifact and check it against the signed digest. Exit 0 accepted, 1 refused (wrong signer, "
    "out of scope, revoked or expired key, tampered artifact, older version), 2 unreachable server "
    "or unreadable input.":
        "リリースを SERVER から取得し、トラストストアに照らしてオフラインで検証したうえで、"
        "各成果物をダウンロードして署名されたダイジェストと照合します。\n\n"
        "終了コード: 0 受理、1 拒否(署名者の誤り、範囲外、失効または期限切れの鍵、"
        "改ざんされた成果物、古いバージョン)、2 サーバに接続できない、または入力を読めない。",
    "Update server base URL; the release is at BASE/PRODUCT/release.json and each artifact at "
    "BASE/PRODUCT/NAME.":
        "アップデートサーバのベース URL。リリースは BASE/PRODUCT/release.json、"
        "各成果物は BASE/PRODUCT/NAME に置かれています。",
    "Installed product.": "導入済みの製品。",
    "Installed version.": "導入済みのバージョン。",
    "Keep verified artifacts here (default: a temporary directory).":
        "検証済みの成果物をここに保存します(既定: 一時ディレクトリ)。",
    "Allow plain HTTP (a mirror on a trusted local network).":
        "平文 HTTP を許可します(信頼できるローカルネットワーク上のミラー用)。",
    "Refuse larger artifacts.": "これより大きい成果物は拒否します。",
    # cpstrust verifier
    "The attestation verifier: issues challenges to devices and appraises their signed or "
    "TPM-quoted measurement reports against signed release reference values.":
        "構成証明の検証サーバ: 機器にチャレンジを発行し、機器が署名した、"
        "または TPM でクォートした測定レポートを、署名付きリリースの基準値に照らして評価します。",
    "Serve POST /v1/challenge and POST /v1/attest until interrupted; each verdict is stored with "
    "its findings (see `cpstrust devices`).":
        "POST /v1/challenge と POST /v1/attest を、中断されるまで提供します。各判定は、"
        "その検出事項とともに保存します(`cpstrust devices` を参照)。",
    "Address to listen on.": "待ち受けるアドレス。",
    "Port to listen on (0: any free port).": "待ち受けるポート(0: 空いている任意のポート)。",
    "Seconds a device has to answer a challenge.": "機器がチャレンジに応答するまでの制限時間(秒)。",
    "Largest request accepted, in bytes.": "受け付ける最大のリクエストサイズ(バイト)。",
    # cpstrust agent
    "The device side of attestation: measure, answer the verifier's challenge.":
        "構成証明の機器側: 測定を行い、検証サーバのチャレンジに応答します。",
    "Ask the verifier for a challenge, measure ROOT, answer with a report signed by --key (or "
    "quoted by the TPM), and print the verdict. Exit 0 GENUINE, 1 any other verdict, 2 bad input "
    "or an unreachable verifier.":
        "検証サーバにチャレンジを要求して ROOT を測定し、"
        "--key で署名した(または TPM でクォートした)レポートで応答して、判定を表示します。\n\n"
        "終了コード: 0 GENUINE、1 それ以外の判定、2 不正な入力、または検証サーバに接続できない。",
    "The device's firmware root: a directory or a tar archive.":
        "機器のファームウェアのルート: ディレクトリまたは tar アーカイブ。",
    "Verifier URL, e.g. http://verifier:8470.": "検証サーバの URL。例: http://verifier:8470",
    "This device's name, as the verifier knows it.": "検証サーバに登録されている、この機器の名前。",
    "Device identity key (from `keys list`); a TPM attestation key answers with a quote.":
        "機器識別鍵(`keys list` に表示される名前)。"
        "TPM のアテステーション鍵ならクォートで応答します。",
    "Product the device believes it runs (reported, not trusted).":
        "機器が稼働していると認識している製品(報告のみで、信頼はしません)。",
    "Version the device believes it runs.": "機器が稼働していると認識しているバージョン。",
    # cpstrust devices
    # cpstrust assess
    "CPSF assessments: answer the questionnaire of a catalogue or ★ profile, then see the ★ "
    "level, the gaps and the plan, the maturity of the management guideline's ten items, and "
    "export or sign them.":
        "CPSF の評価: カタログや★プロファイルの設問に回答し、達成した★レベル、ギャップと"
        "対応計画、経営ガイドラインの重要10項目の成熟度を確認して、書き出しや署名をします。",
    "The stored catalogue or profile to answer (e.g. cpsf-star3, mgmt-guideline-v3).":
        "回答する保存済みのカタログまたはプロファイル (例: cpsf-star3、mgmt-guideline-v3)。",
    "Organisation assessed.": "評価する組織。",
    "Answer file (YAML, or CSV by extension; see the README). Without it, the questions are "
    "asked here.":
        "回答ファイル (YAML、拡張子が .csv なら CSV。README 参照)。指定しなければ、"
        "ここで設問を順に尋ねます。",
    "Answer the questionnaire of PROFILE for ORG. Interactive without --answers: each answer "
    "is saved as soon as it is given, so running it again continues where it stopped ('s' "
    "skips a question, 'q' stops). From a file: checked whole, then stored in one transaction "
    "(a bad file stores nothing); answers not in the file are kept.":
        "ORG について PROFILE の設問に回答します。\n\n"
        "--answers がなければ対話形式で、回答はその都度保存されるため、もう一度実行すると"
        "中断したところから再開します ('s' で設問を飛ばし、'q' で中断)。\n\n"
        "ファイルからの場合は、全体を検査してから一つのトランザクションで保存します "
        "(不正なファイルは何も保存しません)。ファイルにない回答はそのまま残ります。",
    "table, json or html.": "table、json、html のいずれか。",
    "Language of the report (default: the global --lang).":
        "レポートの言語 (既定: 全体の --lang)。",
    "Industry averages of the ten items (YAML or CSV, see the README), drawn over the radar "
    "chart.":
        "重要10項目の業界平均 (YAML または CSV。README 参照)。レーダーチャートに重ねて"
        "描きます。",
    "ORG's ★ level and the gaps that block the next, the plan of action, the maturity of the "
    "management guideline's ten items (radar chart in HTML) and every answer with its "
    "evidence files.":
        "ORG の★レベルと次のレベルを妨げるギャップ、対応計画、経営ガイドラインの重要10項目の"
        "成熟度 (HTML ではレーダーチャート)、すべての回答とその証跡ファイルを示します。",
    "Image to write: .svg or .png.": "書き出す画像: .svg または .png。",
    "Draw the radar chart of the management guideline's ten items for ORG.":
        "ORG について、経営ガイドラインの重要10項目のレーダーチャートを描きます。",
    "assessment-results, or poam (a plan of action for the gaps).":
        "assessment-results、または poam (ギャップへの対応計画)。",
    "Write ORG's assessment as OSCAL JSON (validated by compliance-trestle before it is "
    "written): assessment results with a finding per requirement, or a POA&M with an item "
    "per gap in the plan's order.":
        "ORG の評価を OSCAL JSON で書き出します (書き出す前に compliance-trestle で検証)。"
        "要件ごとに finding を持つ assessment results、または対応計画の順にギャップごとの"
        "項目を持つ POA&M です。",
    "The profile the result is for (default: the highest ★ profile assessed).":
        "結果の対象とするプロファイル (既定: 評価した最も高い★のプロファイル)。",
    "Sign ORG's assessment result (each requirement's status and the ★ level attained) with "
    "KEY as signed evidence, kept here to be exported with `evidence export`.":
        "ORG の評価結果 (要件ごとの状態と達成した★レベル) に KEY で署名して署名付き証跡とし、"
        "`evidence export` で書き出せるようここに保存します。",
    # cpstrust catalog
    "Control catalogues (OSCAL catalogs), levels (OSCAL profiles) and cross-framework "
    "mappings (OSCAL mapping collections).":
        "管理策カタログ (OSCAL カタログ)、レベル (OSCAL プロファイル)、フレームワーク間の"
        "対応付け (OSCAL マッピングコレクション)。",
    "List the stored catalogues, profiles and mappings, the shipped ones included (CPSF, "
    "the ★3/★4/★5 levels, the management guideline's ten items, JC-STAR ★1, CPSF mappings), "
    "with how many entries each has and how many of them are provisional.":
        "保存済みのカタログ、プロファイル、マッピングを一覧表示します。同梱のもの (CPSF、"
        "★3/★4/★5 のレベル、経営ガイドラインの重要10項目、JC-STAR ★1、CPSF の対応付け) "
        "を含み、それぞれの項目数と、そのうち暫定の項目数を示します。",
    "Write a stored catalogue, profile or mapping as OSCAL JSON, as it was imported. "
    "Provisional entries carry the prop status=unconfirmed (namespace "
    "https://cpstrust.dev/ns/oscal) with a remark saying what is unknown.":
        "保存済みのカタログ、プロファイル、マッピングを、取り込んだときのまま OSCAL JSON "
        "で書き出します。暫定の項目にはプロパティ status=unconfirmed (名前空間 "
        "https://cpstrust.dev/ns/oscal) と、何が未確認かを述べた remarks が付いています。",
    "The stored catalogue, profile or mapping.": "保存済みのカタログ、プロファイル、マッピング。",
    "Store an OSCAL catalog, profile or mapping collection, checked against OSCAL's models. "
    "A profile's imports must name stored catalogues or profiles (by file name without "
    "extension, or through its back-matter links) and every control it selects must exist "
    "there; a mapping's sources must be in its stored source catalogue. A bad document "
    "stores nothing.":
        "OSCAL のカタログ、プロファイル、マッピングコレクションを OSCAL のモデルで検査して"
        "保存します。プロファイルの imports は保存済みのカタログかプロファイルを (拡張子を"
        "除いたファイル名か back-matter のリンクで) 指し、選ぶコントロールはすべてそこに"
        "存在する必要があります。マッピングの対応元は保存済みの対応元カタログにある必要が"
        "あります。不正な文書は何も保存しません。",
    "OSCAL catalog, profile or mapping collection (JSON, or YAML).":
        "OSCAL のカタログ、プロファイル、マッピングコレクション (JSON または YAML)。",
    "Store it under this name (default: the file name without extension).":
        "この名前で保存します (既定: 拡張子を除いたファイル名)。",
    "Devices with their site, release, latest attestation verdict and open findings.":
        "機器の一覧: 設置拠点、リリース、最新の構成証明の判定、未対応の検出事項。",
    "One device: its latest verdict with the reasons, and its authenticity findings (open first, "
    "then by severity).":
        "指定した機器の最新の判定とその理由、および真正性に関する検出事項(未対応を先に、"
        "次に深刻度の順)を表示します。",
    "Device name.": "機器の名前。",
    # cpstrust image
    "Check firmware images against their signed release and SBOM.":
        "ファームウェアイメージを、署名付きリリースと SBOM に照らして検査します。",
    "Hash every file of the image and compare with the signed release's subjects and the SBOM's "
    "file and component hashes. Verdict GENUINE, or findings MODIFIED (content differs), UNLISTED "
    "(present but not declared: unknown bundled software; executables rank above data), MISSING. "
    "Exit 0 genuine, 1 not genuine or release refused, 2 unreadable input.":
        "イメージ内のすべてのファイルのハッシュを計算し、署名付きリリースの対象、"
        "および SBOM のファイルとコンポーネントのハッシュと比較します。\n\n"
        "判定は GENUINE、または検出事項 MODIFIED(内容が異なる)、"
        "UNLISTED(存在するが宣言されていない: 同梱された不明なソフトウェア。"
        "実行ファイルはデータより重く扱う)、MISSING。\n"
        "終了コード: 0 真正、1 真正でない、またはリリースの拒否、2 入力を読めない。",
    "Firmware image: a directory or a tar (.tar, .tar.gz, .tar.xz).":
        "ファームウェアイメージ: ディレクトリまたは tar(.tar、.tar.gz、.tar.xz)。",
    "Signed release (DSSE envelope) of the image.":
        "イメージの署名付きリリース(DSSE エンベロープ)。",
    "The SBOM the release names (default: the stored SBOM with the signed digest).":
        "リリースが指定する SBOM(既定: 署名されたダイジェストを持つ保存済みの SBOM)。",
    "Product the image must be.": "イメージに求める製品。",
    # cpstrust events
    "Findings introduced, resolved or reopened by each change to the stored data "
    "(advisories, VEX, SBOMs, re-scans, the licence policy), and their delivery to a JSONL "
    "file or a webhook.":
        "保存データへの変更(アドバイザリ、VEX、SBOM、再スキャン、ライセンスポリシー)ごとに"
        "新たに発生・解消・"
        "再発した検出事項と、その JSONL ファイルまたは Webhook への配信。",
    "Findings introduced, resolved or reopened by each change to the stored data "
    "(advisories, VEX, SBOMs, re-scans, the licence policy), and their delivery to a JSONL "
    "file or a webhook. "
    "Without a subcommand, lists the recorded events, oldest first; each has an id to "
    "continue from (`--since ID`). "
    "An event is recorded in the same transaction as the change that caused it: a finding "
    "introduced (open), resolved (fixed, not affected, or gone with its component) or "
    "reopened by an advisory import or update, a VEX import, an SBOM stored for a release, "
    "a re-scan, or the licence policy set or cleared. `cpstrust events deliver` sends them on.":
        "保存データへの変更(アドバイザリ、VEX、SBOM、再スキャン、ライセンスポリシー)ごとに"
        "新たに発生・解消・"
        "再発した検出事項と、その JSONL ファイルまたは Webhook への配信。\n\n"
        "サブコマンドなしでは、記録されたイベントを古い順に一覧表示します。各イベントには続き"
        "から読むための ID があります(`--since ID`)。\n\n"
        "イベントは原因となった変更と同じトランザクションで記録されます: アドバイザリの取り込み"
        "や更新、VEX の取り込み、リリースへの SBOM の保存、再スキャン、ライセンスポリシーの"
        "設定や解除によって、検出事項が新た"
        "に発生した (open)、解消した (fixed、not affected、またはコンポーネントとともに消滅)、"
        "再発した、というものです。`cpstrust events deliver` で配信します。",
    "Only events after this event id, or from this ISO 8601 time.":
        "このイベント ID より後、またはこの ISO 8601 時刻以降のイベントのみ。",
    "Only events of this kind (repeatable).": "この種別のイベントのみ(複数指定可)。",
    "Only this product's events.": "この製品のイベントのみ。",
    "table, json, or jsonl (one event per line).": "table、json、jsonl(1 行に 1 イベント)。",
    "Keep printing new events as they are recorded, until interrupted.":
        "中断されるまで、新しいイベントが記録されるたびに出力し続けます。",
    "With --follow: seconds between looks for new events.":
        "--follow 指定時: 新しいイベントを確認する間隔(秒)。",
    "Deliver every event the sink has not had yet, in id order, then stop. Each sink keeps "
    "its own cursor in the store, moved after each batch is delivered: delivery is "
    "at-least-once, and every event carries its id for the receiver to drop repeats. A "
    "webhook answering 4xx, or failing every attempt, stops the delivery (exit 2) with the "
    "cursor before the batch that failed.":
        "配信先がまだ受け取っていないイベントをすべて ID 順に配信して終了します。\n\n"
        "配信先ごとのカーソルをストアに保持し、バッチを配信するたびに進めます。配信は"
        "at-least-once で、受信側が重複を捨てられるよう各イベントに ID が付きます。Webhook が "
        "4xx を返すか、すべての試行に失敗すると配信を停止し(終了コード 2)、カーソルは失敗した"
        "バッチの手前に残ります。",
    "Append each event not yet in this file as one JSON line (synced to disk).":
        "このファイルにまだないイベントを 1 行 1 件の JSON として追記します(ディスクに同期)。",
    "POST the events not yet delivered to this https:// URL, in batches signed as Standard "
    "Webhooks specifies.":
        "未配信のイベントを、Standard Webhooks の仕様どおりに署名したバッチでこの https:// URL "
        "に POST します。",
    "Environment variable holding the webhook's signing secret (whsec_ and base64, as "
    "Standard Webhooks writes it).":
        "Webhook の署名シークレットを保持する環境変数(Standard Webhooks の形式: whsec_ と "
        "base64)。",
    "Seconds to wait for the webhook to answer each request.":
        "各リクエストに対する Webhook の応答を待つ秒数。",
    "Attempts per batch before giving up (5xx, timeouts, refused connections are tried "
    "again, waiting twice as long each time).":
        "諦めるまでのバッチごとの試行回数(5xx、タイムアウト、接続拒否は、待ち時間を毎回 2 倍に"
        "して再試行します)。",
    "Allow a plain-HTTP webhook URL (a receiver on this machine).":
        "平文 HTTP の Webhook URL を許可します(このマシン上の受信側など)。",
    # cpstrust monitor
    "OT monitoring: decode Modbus/TCP and BACnet/IP captures, and write labelled scenarios "
    "for training and evaluating detectors.":
        "OT 監視: Modbus/TCP と BACnet/IP のキャプチャをデコードし、検知器の学習と評価のための"
        "ラベル付きシナリオを書き出します。",
    "Decode a capture and show what it holds: packets by protocol, Modbus function codes "
    "(requests, responses, exceptions) and BACnet services, the assets seen (IP, MAC, Modbus "
    "unit ids, BACnet device instance and vendor), the largest flows, and what could not be "
    "decoded, by class. The file is read as a stream in bounded memory. A corrupt or "
    "truncated record ends the reading there and is reported; exit 2 when the file cannot "
    "be read at all.":
        "キャプチャをデコードし、その内容を表示します: プロトコル別のパケット、Modbus の"
        "ファンクションコード(要求・応答・例外)と BACnet のサービス、検出された資産(IP、MAC、"
        "Modbus ユニット ID、BACnet デバイスインスタンスとベンダー)、最大のフロー、そして"
        "デコードできなかったものを分類別に示します。ファイルは上限のあるメモリでストリームとして"
        "読み込みます。壊れた、または途中で切れたレコードがあればそこで読み込みを終えて報告します。"
        "ファイルをまったく読めないときは終了コード 2 です。",
    "Capture file (pcap or pcapng).": "キャプチャファイル(pcap または pcapng)。",
    "How many flows to list, the largest by bytes first.":
        "一覧にするフローの数(バイト数の多い順)。",
    # cpstrust monitor learn
    "Learn a baseline from captures of normal traffic: who talks to whom with which "
    "protocol, Modbus function codes, unit ids and address ranges, BACnet services and "
    "objects, value ranges per register and object, polling periods and request rates per "
    "pair, and the learned model's training windows. Exit 2 on a bad capture.":
        "通常時の通信のキャプチャからベースラインを学習します: 誰が誰とどのプロトコルで通信するか、"
        "Modbus のファンクションコード・ユニット ID・アドレス範囲、BACnet のサービスと"
        "オブジェクト、"
        "レジスタとオブジェクトごとの値の範囲、組ごとのポーリング周期と要求レート、学習モデルの"
        "訓練用の窓。キャプチャが不正なら終了コード 2 です。",
    "Captures of normal operation (pcap or pcapng), one or more.":
        "通常運用時のキャプチャ(pcap または pcapng)、1 つ以上。",
    "Baseline file to write (JSON).": "書き出すベースラインファイル(JSON)。",
    # cpstrust monitor analyze
    "Analyse a capture against a baseline: rule detectors (new talkers, functions, "
    "services, writers, diagnostics and restarts, out-of-range values, rate changes, "
    "floods, scans) and the learned model. Each alert says what deviated, from what learned "
    "value and by how much, with its severity, ATT&CK for ICS technique and the CPSF "
    "requirements of the countermeasures; bursts are one alert with a count. Exit 0 "
    "without alerts, 1 with alerts, 2 on bad input.":
        "キャプチャをベースラインと照合して分析します: ルール検知(新しい通信相手、ファンクション、"
        "サービス、書き込み元、診断と再起動、範囲外の値、レートの変化、フラッド、スキャン)と"
        "学習モデル。各アラートは、何が、学習済みのどの値から、どれだけ外れたかを示し、重大度、"
        "ATT&CK for ICS の手法、対策となる CPSF 要求事項を伴います。同じ逸脱の連続は件数付きの"
        "1 件のアラートにまとめます。アラートなしで終了コード 0、ありで 1、入力が不正なら 2 です。",
    "Baseline file written by monitor learn.": "monitor learn が書き出したベースラインファイル。",
    "Also run the learned model (isolation forest over per-flow windows).":
        "学習モデル(フローごとの窓に対する Isolation Forest)も実行します。",
    "Keep the alerts as findings (`cpstrust findings list`).":
        "アラートを検出事項として保存します(`cpstrust findings list`)。",
    "Site of the graph the traffic was captured at (findings are kept per site).":
        "トラフィックをキャプチャしたグラフ上のサイト(検出事項はサイトごとに保持されます)。",
    "Hours of capture time after which an alert finding nobody decided on, not seen again, "
    "is resolved.":
        "誰も判断していないアラートの検出事項が、再び観測されずにこの時間(キャプチャ時刻で"
        "数えた時間)を過ぎると解決済みにします。",
    # cpstrust monitor assets
    "The asset inventory learned passively from traffic (IP, MAC, role, protocols, Modbus "
    "unit ids, BACnet device and vendor, first and last seen, talkers), merged over every "
    "capture given so far, and reconciled with the devices the supply-chain graph declares "
    "(by IP or MAC): unknown and missing devices become findings. Exit 0 when every host "
    "is declared and every declared device seen, 1 otherwise, 2 on bad input.":
        "トラフィックから受動的に学習した資産インベントリ(IP、MAC、役割、プロトコル、Modbus "
        "ユニット ID、BACnet デバイスとベンダー、初回と最終の観測、通信相手)を、これまでに"
        "与えたすべてのキャプチャにわたって統合し、サプライチェーングラフが宣言するデバイスと"
        "(IP または MAC で)突き合わせます。不明なデバイスと未検出のデバイスは検出事項に"
        "なります。すべてのホストが宣言済みで宣言済みデバイスがすべて観測されていれば終了"
        "コード 0、そうでなければ 1、入力が不正なら 2 です。",
    "Capture file (pcap or pcapng) to learn from; repeat for more.":
        "学習に使うキャプチャファイル(pcap または pcapng)。複数なら繰り返し指定します。",
    # cpstrust monitor live
    "Watch an interface until SIGINT or SIGTERM: dumpcap captures into a ring buffer, each "
    "file is decoded and analysed against the baseline as it is written, every alert is "
    "printed as it happens (one JSON object per line with --format json) and stored as a "
    "finding. A dumpcap that dies is restarted, counted and reported; the capture counters "
    "(received, dropped) are reported when it stops. Exit 0 without alerts, 1 with alerts, "
    "2 on bad input or when dumpcap cannot run.":
        "SIGINT または SIGTERM までインターフェースを監視します: dumpcap がリングバッファに"
        "キャプチャし、各ファイルを書き込まれるそばからデコードしてベースラインと照合します。"
        "アラートは発生した時点で表示し(--format json では 1 行に 1 つの JSON オブジェクト)、"
        "検出事項として保存します。停止した dumpcap は再起動し、回数を数えて報告します。"
        "停止時にキャプチャのカウンター(受信、ドロップ)を報告します。アラートなしで終了"
        "コード 0、ありで 1、入力が不正か dumpcap を実行できなければ 2 です。",
    "Interface to capture on (dumpcap -i).": "キャプチャするインターフェース(dumpcap -i)。",
    "Store alerts as findings as they happen.":
        "アラートを発生した時点で検出事項として保存します。",
    "Directory of dumpcap's ring buffer (a temporary one by default).":
        "dumpcap のリングバッファのディレクトリ(既定では一時ディレクトリ)。",
    "Kilobytes written to one ring file before dumpcap moves to the next.":
        "dumpcap が次のリングファイルへ移る前に 1 ファイルへ書き込むキロバイト数。",
    "Ring files dumpcap keeps.": "dumpcap が保持するリングファイルの数。",
    "Capture filter (BPF) for dumpcap, e.g. 'tcp port 502 or udp'.":
        "dumpcap のキャプチャフィルター(BPF)。例: 'tcp port 502 or udp'。",
    # cpstrust monitor scenario
    "Write a labelled OT scenario: a factory/building network drawn from the seed (HMI, SCADA "
    "and engineering workstation polling PLCs and gateways over Modbus/TCP; a BMS reading "
    "BACnet/IP controllers), its normal operation and attack episodes. Writes normal.pcap "
    "(training: normal traffic only), test.pcap (normal traffic and attacks), truth.json (the "
    "parameters, the declared network and each episode's interval, kind, source, destination "
    "and ATT&CK for ICS technique) and truth.csv (the episodes). Simulated time: hours of "
    "traffic take seconds.":
        "ラベル付きの OT シナリオを書き出します: シードから決まる工場・ビルのネットワーク "
        "(HMI、SCADA、エンジニアリングワークステーションが Modbus/TCP で PLC やゲートウェイを"
        "ポーリングし、BMS が BACnet/IP コントローラーを読み取る)、その通常運用と攻撃エピソード。"
        "\n\n"
        "normal.pcap (学習用: 通常通信のみ)、test.pcap (通常通信と攻撃)、truth.json "
        "(パラメーター、宣言されたネットワーク、各エピソードの区間・種類・送信元・宛先・"
        "ATT&CK for ICS の手法) と truth.csv (エピソード一覧) を書き出します。"
        "時間はシミュレーションで、数時間分の通信を数秒で生成します。",
    "Directory to write the captures and the ground truth into (created).":
        "キャプチャと正解データを書き出すディレクトリ (なければ作成)。",
    "Decides the network, the timings and the attacks: another seed, another scenario.":
        "ネットワーク、タイミング、攻撃を決めます。シードが違えばシナリオも異なります。",
    "JSON file of scenario parameters (see the README); options given here override it.":
        "シナリオのパラメーターの JSON ファイル (README 参照)。ここで指定したオプションが"
        "優先されます。",
    "Length of the training capture (normal traffic only), in simulated minutes.":
        "学習用キャプチャ (通常通信のみ) の長さ (シミュレーション上の分)。",
    "Length of the test capture (normal traffic and attacks), in simulated minutes.":
        "テスト用キャプチャ (通常通信と攻撃) の長さ (シミュレーション上の分)。",
    "Scales the normal variation: noise, jitter, reconnects, operator writes.":
        "通常時のばらつき (ノイズ、ジッター、再接続、オペレーターの書き込み) の倍率。",
    "Scales how far attacks go: rates, distances out of range.":
        "攻撃の強さ (頻度、範囲外への逸脱量) の倍率。",
    "Attack episodes of each kind in the test capture.":
        "テスト用キャプチャに含める、種類ごとの攻撃エピソード数。",
    "Capture file format: pcap or pcapng.": "キャプチャファイルの形式: pcap または pcapng。",
    "Scale mode: write one capture (scale.pcap) of about this size, e.g. 1G, instead of the "
    "training and test captures.":
        "スケールモード: 学習用・テスト用の代わりに、およそこの大きさ (例: 1G) のキャプチャ "
        "(scale.pcap) を 1 つ書き出します。",
    "OT incidents: the same anomaly on devices of one release or supplier, across sites, as "
    "one incident with its evidence and a ranked plan of countermeasures.":
        "OT インシデント: 同じリリースまたは同じ供給者の機器に複数拠点で現れた同じ異常を 1 件の"
        "インシデントとし、根拠と順位付きの対策計画を示します。",
    "Only incidents in this status (default: all but merged).":
        "この状態のインシデントだけ (既定: 統合済みを除くすべて)。",
    "One incident: why its severity was raised, its ranked countermeasure plan with the "
    "CPSF requirements of each step and how each was scored, and the evidence.":
        "インシデント 1 件: 深刻度を引き上げた理由、各対策の CPSF 対策要件とスコアの内訳を"
        "付けた順位付きの対策計画、根拠。",
    "Incident id (as listed).": "インシデント ID (一覧に表示されるもの)。",
    "Replace IP and MAC addresses, site and device names with pseudonyms.":
        "IP アドレス、MAC アドレス、拠点名、機器名を仮名に置き換えます。",
    "Export an incident for sharing: a STIX 2.1 bundle (sightings of the anomaly's indicator "
    "with the observed traffic, the affected devices as infrastructure, their open "
    "vulnerabilities, the plan as courses of action), validated against the STIX 2.1 JSON "
    "schemas; the same incident exported again gives the same file.":
        "共有のためにインシデントを書き出します: STIX 2.1 バンドル (観測した通信を伴う異常の"
        "インディケーターのサイティング、影響を受けた機器 (infrastructure)、その未対応の脆弱性、"
        "対策計画 (course-of-action))。STIX 2.1 の JSON スキーマで検証し、同じインシデントを"
        "再度書き出すと同じファイルになります。",
    "Write a STIX 2.1 bundle.": "STIX 2.1 バンドルを書き出します。",
    "The file to write.": "書き出すファイル。",

    "Serve the REST API (/api/v1, OpenAPI at /openapi.json) and the attestation verifier "
    "(/v1/challenge, /v1/attest) until interrupted.":
        "REST API (/api/v1、OpenAPI は /openapi.json) と"
        "アテステーション検証サーバ (/v1/challenge、/v1/attest) を、中断されるまで提供します。",
    'Port to listen on.':
        '待ち受けるポート。',
    "Run background jobs (advisory updates, re-evaluations, uploads) from the database's "
    "queue until interrupted.":
        "データベースのキューからバックグラウンドジョブ(脆弱性情報の更新、再評価、"
        "アップロード)を中断されるまで実行します。",
    "Seconds after which a job whose worker fell silent runs again elsewhere.":
        "ワーカーの応答が途絶えたジョブを別のワーカーで再実行するまでの秒数。",
    "Where advisory-update jobs fetch OSV's exports (default: OSV's own).":
        "脆弱性情報更新ジョブが OSV のエクスポートを取得する場所(既定: OSV 本家)。",
    "Let advisory-update jobs fetch over plain http.":
        "脆弱性情報更新ジョブに平文 http での取得を許可します。",
    "Server processes sharing the listening socket (default: one per CPU this process may "
    "use); background jobs run in the process that starts them, never in two.":
        "待ち受けソケットを共有するサーバプロセスの数(既定: このプロセスが使える CPU "
        "1 つにつき 1 つ)。バックグラウンドジョブはそれらを起動するプロセスで実行され、"
        "2 つのプロセスで実行されることはありません。",
    "PostgreSQL connections the server processes may open, all together; each process gets "
    "an equal share, one at least (default: 80, of PostgreSQL's default max_connections of "
    "100; CPSTRUST_DATABASE_CONNECTIONS set instead gives each process its own number).":
        "サーバプロセスが合わせて開ける PostgreSQL の接続数。各プロセスに等しく割り当てます"
        "(1 つ以上)(既定: 80。PostgreSQL の既定の max_connections は 100。代わりに "
        "CPSTRUST_DATABASE_CONNECTIONS を設定すると、各プロセスがその数を使います)。",
    "Run background jobs in this process too (else only `cpstrust worker` does).":
        "このプロセスでもバックグラウンドジョブを実行します(しない場合は `cpstrust worker` "
        "のみが実行)。",
    'TLS certificate chain (PEM); with --ssl-keyfile.':
        'TLS 証明書チェーン (PEM)。--ssl-keyfile と共に指定します。',
    "The certificate's private key (PEM).":
        '証明書の秘密鍵 (PEM)。',
    'Users of the service, each of one organisation with one role.':
        'サービスのユーザ。各ユーザは 1 つの組織に属し、1 つのロールを持ちます。',
    'Create a user; the password is hashed with argon2id.':
        'ユーザを作成します。パスワードは argon2id でハッシュ化されます。',
    "The user's name.":
        'ユーザ名。',
    "The user's organisation (created when new).":
        'ユーザの組織 (存在しなければ作成します)。',
    'admin, analyst, uploader (uploads only) or auditor (reads only).':
        'admin、analyst、uploader (アップロードのみ)、auditor (参照のみ) のいずれか。',
    'Environment variable holding the password.':
        'パスワードを保持する環境変数。',
    "The server's operator: may also import into the advisory database every organisation "
    "shares.":
        'サーバのオペレータ。すべての組織が共有する脆弱性情報データベースへのインポートも'
        'できます。',
    "Carry the user's operator power (its user must be an operator).":
        'ユーザのオペレータ権限を持たせます (ユーザがオペレータである必要があります)。',
    "API keys: shown once, kept as a digest, of one organisation with one role, expiring and "
    "revocable.":
        "API キー: 一度だけ表示され、ダイジェストとして保存されます。"
        "1 つの組織と 1 つのロールに属し、有効期限と失効があります。",
    'Create an API key and print it once on stdout; only its digest is kept.':
        'API キーを作成し、標準出力に一度だけ表示します。保存されるのはダイジェストのみです。',
    "The key's user: its organisation and role, unless --role permits less.":
        'キーのユーザ。その組織とロールを引き継ぎます (--role でより狭いロールを指定しない限り)。',
    "The key's organisation.":
        'キーの組織。',
    'Days until the key expires (default: never).':
        'キーの有効日数 (既定: 無期限)。',
    'List API keys (never their secrets), with expiry, revocation and last use.':
        'API キーを一覧表示します (秘密は表示しません)。有効期限、失効、最終使用を示します。',
    "Only this organisation's keys.":
        'この組織のキーのみ。',
    'Revoke an API key: it is refused from now on.':
        'API キーを失効させます。以後そのキーは拒否されます。',
    "The key's id, from `apikeys list`.":
        'キーの ID (`apikeys list` で表示されます)。',
    'What a supplier shows another organisation: one product, or every one.':
        '供給者が他の組織に参照を許すもの: 1 つの製品、またはすべての製品。',
    "Let an organisation see a supplier's product (or all of them), its releases and findings.":
        '組織に、供給者の製品 (またはすべての製品) とそのリリース・検出事項の参照を許可します。',
    'The organisation that shows its products.':
        '製品の参照を許す組織。',
    'The organisation that may see them.':
        '参照を許される組織。',
    'Only this product (default: every product of the supplier).':
        'この製品のみ (既定: 供給者のすべての製品)。',
}
