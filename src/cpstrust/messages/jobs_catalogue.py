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
}
