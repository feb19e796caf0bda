"""Messages of events and their delivery: code -> (English, Japanese).
See cpstrust.messages."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # Sinks and delivery.
    "events_jsonl_busy": (
        "another delivery is appending to this file",
        "別の配信がこのファイルに追記中です",
    ),
    "events_jsonl_not_events": (
        "the last line is not an event cpstrust wrote: deliver to a file of events only",
        "最終行が cpstrust の書いたイベントではありません。"
        "イベント専用のファイルに配信してください",
    ),
    "events_secret_malformed": (
        "not a Standard Webhooks secret: expected whsec_ followed by base64",
        "Standard Webhooks のシークレットではありません。whsec_ に続けて base64 を指定してください",
    ),
    "events_secret_length": (
        "the secret holds {size} bytes; Standard Webhooks requires 24 to 64",
        "シークレットは {size} バイトです。Standard Webhooks では 24〜64 バイトが必要です",
    ),
    "events_secret_missing": (
        "the environment variable {variable} holding the webhook secret is not set",
        "Webhook のシークレットを保持する環境変数 {variable} が設定されていません",
    ),
    "events_webhook_status": (
        "the webhook answered HTTP {status}",
        "Webhook が HTTP {status} を返しました",
    ),
    "events_webhook_unreachable": (
        "the webhook could not be reached: {error}",
        "Webhook に接続できません: {error}",
    ),
    "events_delivery_stopped": (
        "delivery stopped after {attempts} attempt(s) at a batch after event {cursor} "
        "({delivered} events delivered by this run; the next run starts there): {cause}",
        "イベント {cursor} より後のバッチで {attempts} 回試行して配信を停止しました"
        "(今回配信済み {delivered} 件。次回はそこから再開します): {cause}",
    ),
    "events_since_unreadable": (
        "--since takes an event id or an ISO 8601 time, not {value!r}",
        "--since にはイベント ID か ISO 8601 の時刻を指定してください({value!r} は不可)",
    ),
    "events_follow_json": (
        "--follow streams events: use --format jsonl or table",
        "--follow はイベントを逐次出力します。--format jsonl か table を指定してください",
    ),
    "events_one_sink": (
        "give one sink: --jsonl FILE or --webhook URL",
        "配信先を 1 つ指定してください: --jsonl FILE または --webhook URL",
    ),
    # The command line.
    "events_title": ("Events", "イベント"),
    "events_none": ("No events.", "イベントはありません。"),
    "event_time": ("Time", "時刻"),
    "event_change": ("Status change", "状態の変化"),
    "event_cause": ("Cause", "原因"),
    "event_gone": ("gone", "消滅"),
    "events_delivered": (
        "Delivered {delivered} events to {sink}; delivered up to event {cursor}.",
        "{sink} に {delivered} 件のイベントを配信しました(イベント {cursor} まで配信済み)。",
    ),
    "events_caught_up": (
        "{caught_up} events were already in the file (written before an interrupted run): "
        "not written again.",
        "{caught_up} 件のイベントは中断された前回の実行で既にファイルに書かれていたため、"
        "再度書きませんでした。",
    ),
}
