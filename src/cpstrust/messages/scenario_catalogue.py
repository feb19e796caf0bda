"""Messages of the OT scenario generator: code -> (English, Japanese).
See cpstrust.messages."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "scenario_parameter_invalid": (
        "the scenario parameter {parameter} cannot be {value} (see the README's limits)",
        "シナリオのパラメーター {parameter} に {value} は指定できません (README の制限を参照)",
    ),
    "scenario_config_not_object": (
        "a scenario configuration must be a JSON object",
        "シナリオ設定は JSON オブジェクトでなければなりません",
    ),
    "scenario_config_unknown_key": (
        "{key!r} is not a scenario parameter",
        "{key!r} はシナリオのパラメーターではありません",
    ),
    "scenario_config_type": (
        "{key} must be {expected}",
        "{key} は {expected} でなければなりません",
    ),
    "scenario_config_attack_kind": (
        "unknown attack kind; the kinds are: {kinds}",
        "不明な攻撃の種類です。種類は次のとおりです: {kinds}",
    ),
    "scenario_truth_format": (
        "not a scenario ground truth file (expected format {expected})",
        "シナリオの正解データファイルではありません (想定する形式: {expected})",
    ),
    "scenario_truth_episodes": (
        "episodes must be a list of at most {limit} entries",
        "episodes は {limit} 件以下のリストでなければなりません",
    ),
    "scenario_truth_duplicate_id": (
        "episode id {id} appears twice",
        "エピソード ID {id} が重複しています",
    ),
    "scenario_truth_episode_fields": (
        "an episode needs exactly these fields, with start <= end: {fields}",
        "エピソードには次のフィールドがちょうど必要です (start <= end): {fields}",
    ),
    "scenario_scale_too_small": (
        "--scale-bytes must be at least {minimum} bytes",
        "--scale-bytes は {minimum} バイト以上でなければなりません",
    ),
    "scenario_out_not_directory": (
        "the output is not a directory",
        "出力先がディレクトリではありません",
    ),
    # What `cpstrust monitor scenario` prints.
    "scenario_captures": ("Captures written", "書き出したキャプチャ"),
    "scenario_file": ("file", "ファイル"),
    "scenario_frames": ("frames", "フレーム数"),
    "scenario_attack_frames": ("attack frames", "攻撃フレーム数"),
    "scenario_bytes": ("bytes", "バイト数"),
    "scenario_done": (
        "{episodes} attack episodes; ground truth in {truth}. Generated in {seconds} s "
        "({rate} frames/s).",
        "攻撃エピソード {episodes} 件。正解データ: {truth}。生成時間 {seconds} 秒 "
        "(毎秒 {rate} フレーム)。",
    ),
}
