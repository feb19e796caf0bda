"""Messages of the web UI (`cpstrust serve`, /ui): its pages' words, and the login's
outcomes: code -> (English, Japanese). See cpstrust.messages."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # Logging in and sessions.
    "websession_login_failed": (
        "the user name or the password is wrong",
        "ユーザ名またはパスワードが違います",
    ),
    "websession_too_many_failures": (
        "too many failed logins: try again in {minutes} minutes",
        "ログインの失敗が多すぎます。{minutes} 分後に再度お試しください",
    ),
    "websession_none": ("you are not logged in", "ログインしていません"),
    "websession_expired": (
        "your session has expired: log in again",
        "セッションの有効期限が切れました。再度ログインしてください",
    ),
    "websession_csrf_refused": (
        "the form's security token is missing or wrong: reload the page and send it again",
        "フォームのセキュリティトークンがないか不正です。ページを再読み込みして送信し直してください",
    ),
    "websession_form_invalid": (
        "the form must have exactly one of each field ({fields})",
        "フォームの各項目({fields})はちょうど 1 つずつ必要です",
    ),
    # The layout.
    "web_skip_to_content": ("Skip to the content", "本文へ移動"),
    "web_nav_label": ("Main", "メイン"),
    "web_language_label": ("Language", "言語"),
    "web_signed_in_as": ("{user} of {organisation} ({role})",
                         "{organisation} の {user}({role})"),
    "web_logout": ("Log out", "ログアウト"),
    "web_dashboard": ("Dashboard", "ダッシュボード"),
    # The login page.
    "web_login_title": ("Log in to cpstrust", "cpstrust にログイン"),
    "web_login_user": ("User name", "ユーザ名"),
    "web_login_password": ("Password", "パスワード"),
    "web_login_submit": ("Log in", "ログイン"),
    "web_error_heading": ("Error", "エラー"),
    # The dashboard.
    "web_dashboard_title": ("Dashboard of {organisation}", "{organisation} のダッシュボード"),
    "web_by_severity": ("Open findings by severity", "重大度別の未対応の検出事項"),
    "web_by_severity_caption": (
        "Open findings of your products and of those granted to you, by severity",
        "自組織の製品と共有された製品の未対応の検出事項(重大度別)",
    ),
    "web_severity": ("Severity", "重大度"),
    "web_findings": ("Findings", "検出事項"),
    "web_total": ("Total", "合計"),
    "web_widespread": ("Most widespread vulnerabilities", "影響範囲の広い脆弱性"),
    "web_widespread_caption": (
        "The {count} vulnerabilities open in the most releases",
        "未対応のリリース数が多い脆弱性 上位 {count} 件",
    ),
    "web_vulnerability": ("Vulnerability", "脆弱性"),
    "web_releases": ("Releases", "リリース"),
    "web_none_open": ("No open findings.", "未対応の検出事項はありません。"),
    "web_devices": ("Devices by trust verdict", "トラスト判定別のデバイス"),
    "web_devices_caption": (
        "The devices of your sites, by their verdict from the last trust evaluation",
        "自組織のサイトのデバイス(直近のトラスト評価の判定別)",
    ),
    "web_verdict": ("Verdict", "判定"),
    "web_devices_count": ("Devices", "デバイス数"),
    "web_no_devices": ("Your organisation operates no devices.",
                       "自組織が運用するデバイスはありません。"),
    "web_verdict_trusted": ("Trusted", "信頼済み"),
    "web_verdict_at_risk": ("At risk", "リスクあり"),
    "web_verdict_untrusted": ("Untrusted", "信頼できない"),
    "web_verdict_unknown": ("Unknown (evidence missing)", "不明(証拠なし)"),
    "web_verdict_none": ("Not evaluated yet", "未評価"),
    "web_changes": ("What changed since yesterday", "昨日からの変化"),
    "web_changes_caption": (
        "Findings introduced, resolved or reopened since {since} (UTC)",
        "{since}(UTC)以降に発生・解決・再発した検出事項",
    ),
    "web_change_kind": ("Change", "変化"),
    "web_change_introduced": ("Introduced", "発生"),
    "web_change_resolved": ("Resolved", "解決"),
    "web_change_reopened": ("Reopened", "再発"),
    "web_recent_caption": ("The latest changes, newest first", "最近の変化(新しい順)"),
    "web_when": ("When (UTC)", "日時(UTC)"),
    "web_product": ("Product", "製品"),
    "web_version": ("Version", "バージョン"),
    "web_no_changes": ("Nothing changed since yesterday.", "昨日から変化はありません。"),
    "web_refresh": ("Refresh", "更新"),
    "web_severity_critical": ("Critical", "緊急"),
    "web_severity_high": ("High", "重要"),
    "web_severity_medium": ("Medium", "警告"),
    "web_severity_low": ("Low", "注意"),
    "web_severity_none": ("None", "なし"),
    "web_severity_unknown": ("Unknown", "不明"),
}
