"""Messages of background jobs (the service's job queue and `cpstrust worker`):
code -> (English, Japanese). See cpstrust.messages."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "jobs_no_job": ("no job with id {job_id}", "ID {job_id} のジョブはありません"),
    "jobs_ecosystems_invalid": (
        "name 1 to {maximum} ecosystems, each of at most 64 characters",
        "エコシステムを 1〜{maximum} 個、各 64 文字以内で指定してください",
    ),
    "jobs_update_request_shape": (
        'the request must be a JSON object {{"ecosystems": [names]}}',
        'リクエストは JSON オブジェクト {{"ecosystems": [名前の配列]}} にしてください',
    ),
    "jobs_failed_unexpectedly": (
        "the job failed on an unexpected error ({problem}); the worker's log has the details",
        "予期しないエラー({problem})でジョブが失敗しました。詳細はワーカーのログを参照してください",
    ),
    "worker_started": (
        "cpstrust job worker {worker} waiting for jobs (Ctrl-C stops it after the job in hand).",
        "cpstrust ジョブワーカー {worker} がジョブを待っています"
        "(Ctrl-C で処理中のジョブの後に停止)。",
    ),
    "jobs_store_busy": (
        "the database was busy ({detail})",
        "データベースが使用中でした({detail})",
    ),
    # The web UI's jobs page.
    "jobs_page_title": ("Background jobs", "バックグラウンドジョブ"),
    "jobs_nav": ("Jobs", "ジョブ"),
    "jobs_start_reevaluation": (
        "Re-evaluate every release of our products",
        "自組織の製品の全リリースを再評価する",
    ),
    "jobs_ecosystems_label": (
        "Ecosystems (OSV's names, separated by commas)",
        "エコシステム(OSV の名前をカンマ区切りで)",
    ),
    "jobs_start_advisory_update": (
        "Update the shared advisory database",
        "共有の脆弱性情報データベースを更新する",
    ),
    "jobs_list_heading": ("Jobs, newest first", "ジョブ(新しい順)"),
    "jobs_caption": (
        "The {count} newest jobs of your organisation",
        "自組織の最新のジョブ {count} 件",
    ),
    "jobs_none": ("No jobs yet.", "ジョブはまだありません。"),
    "jobs_id": ("Job", "ジョブ"),
    "jobs_kind": ("Kind", "種類"),
    "jobs_state": ("State", "状態"),
    "jobs_progress": ("Progress", "進捗"),
    "jobs_requested_by": ("Requested by", "依頼者"),
    "jobs_created": ("Created", "作成日時"),
    "jobs_outcome": ("Outcome", "結果"),
    "jobs_kind_reevaluate": ("re-evaluation of every release", "全リリースの再評価"),
    "jobs_kind_advisory_update": ("advisory update from OSV", "OSV からの脆弱性情報の更新"),
    "jobs_kind_sbom_upload": ("SBOM upload", "SBOM のアップロード"),
    "jobs_state_queued": ("queued", "待機中"),
    "jobs_state_running": ("running", "実行中"),
    "jobs_state_done": ("done", "完了"),
    "jobs_state_failed": ("failed", "失敗"),
    "jobs_runs": ("run {runs} times", "{runs} 回実行"),
    "jobs_stage_releases": ("releases", "リリース"),
    "jobs_stage_download": ("bytes downloaded", "ダウンロード済みバイト"),
    "jobs_stage_records": ("advisory records", "脆弱性情報レコード"),
    "jobs_stage_store": ("storing", "保存"),
    "jobs_done_of": ("{done} of {total}", "{total} 中 {done}"),
    "jobs_result_releases": ("releases", "リリース"),
    "jobs_result_components": ("components", "コンポーネント"),
    "jobs_result_matches": ("matches", "一致"),
    "jobs_result_new_findings": ("new findings", "新規の検出事項"),
    "jobs_result_cleared": ("cleared", "解消"),
    "jobs_result_exports_updated": ("exports updated", "更新されたエクスポート"),
    "jobs_result_added": ("advisories added", "追加された脆弱性情報"),
    "jobs_result_updated": ("advisories updated", "更新された脆弱性情報"),
    "jobs_result_findings_changed": ("findings changed", "変化した検出事項"),
}
