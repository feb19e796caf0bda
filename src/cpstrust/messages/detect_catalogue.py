"""Messages of OT detection: the baseline file's errors and every alert's explanation
(what deviated, from what learned value, by how much): code -> (English, Japanese).
See cpstrust.messages."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "baseline_too_large": (
        "the baseline is larger than {limit} bytes",
        "ベースラインが {limit} バイトを超えています",
    ),
    "baseline_format": (
        "not an OT baseline: \"format\" must be \"{expected}\"",
        "OT ベースラインではありません: \"format\" は \"{expected}\" である必要があります",
    ),
    "baseline_version": (
        "baseline version {version} is not supported (this cpstrust reads version "
        "{expected}); learn it again",
        "ベースラインのバージョン {version} には対応していません(このcpstrustが読めるのは"
        "バージョン {expected}): 学習し直してください",
    ),
    "baseline_fields": (
        "the baseline must have exactly these fields: {fields}",
        "ベースラインには次のフィールドがちょうど必要です: {fields}",
    ),
    "baseline_row": (
        "a row of the wrong shape or type",
        "形または型が正しくない行です",
    ),
    "baseline_rows": (
        "more than {limit} rows",
        "行が {limit} を超えています",
    ),
    "baseline_duplicate_row": (
        "the same entry appears twice",
        "同じ項目が 2 回現れます",
    ),
    "alert_new_talker": (
        "{src} opened protocol {protocol} port {port} to {dst}, a pair never seen talking "
        "so in the baseline (new host: {new_host})",
        "{src} が {dst} へプロトコル {protocol} ポート {port} で通信しました。ベースラインに"
        "ない組み合わせです(新規ホスト: {new_host})",
    ),
    "alert_host_scan": (
        "{src} contacted {count} hosts it never spoke to within a minute",
        "{src} が 1 分以内に、通信したことのない {count} 台のホストに接続しました",
    ),
    "alert_new_function_code": (
        "Modbus function {function}, never sent to {dst} in the baseline (learned: "
        "{learned})",
        "Modbus ファンクション {function} は、ベースラインで {dst} に送られたことがありません"
        "(学習済み: {learned})",
    ),
    "alert_unusual_writer": (
        "{src} wrote ({what}) to {dst}; it never wrote in the baseline",
        "{src} が {dst} に書き込みました({what})。ベースラインでは書き込みのないホストです",
    ),
    "alert_modbus_diagnostics": (
        "Modbus diagnostics (function 8, sub-function {sub_function}) to unit {unit}, not "
        "seen in the baseline",
        "ユニット {unit} への Modbus 診断(ファンクション 8、サブファンクション "
        "{sub_function})。ベースラインにありません",
    ),
    "alert_modbus_restart": (
        "Modbus restart communications (function 8, sub-function {sub_function}) to unit "
        "{unit}",
        "ユニット {unit} への Modbus 通信再起動(ファンクション 8、サブファンクション "
        "{sub_function})",
    ),
    "alert_modbus_listen_only": (
        "Modbus force listen only mode (function 8, sub-function {sub_function}) to unit "
        "{unit}: the device stops answering",
        "ユニット {unit} への Modbus 強制リッスンオンリーモード(ファンクション 8、"
        "サブファンクション {sub_function}): 機器が応答しなくなります",
    ),
    "alert_bacnet_reinitialize": (
        "BACnet ReinitializeDevice (state {code}) sent to {dst}",
        "{dst} に BACnet ReinitializeDevice(状態 {code})が送られました",
    ),
    "alert_bacnet_communication_control": (
        "BACnet DeviceCommunicationControl (enable/disable {code}) sent to {dst}",
        "{dst} に BACnet DeviceCommunicationControl(有効/無効 {code})が送られました",
    ),
    "alert_new_unit_id": (
        "unit id {unit} addressed on {dst}, which answered only for {learned} in the baseline",
        "{dst} のユニット ID {unit} 宛ての要求。ベースラインで応答したのは {learned} のみです",
    ),
    "alert_unit_id_scan": (
        "{count} unit ids unknown to the baseline tried on {dst} within a minute (the "
        "latest {unit}; learned: {learned})",
        "1 分以内に {dst} でベースラインにないユニット ID を {count} 個試行(最新 {unit}、"
        "学習済み: {learned})",
    ),
    "alert_new_address_range": (
        "{table} addresses {range} read or written, outside the learned {learned}",
        "{table} のアドレス {range} へのアクセス。学習済みの範囲 {learned} の外です",
    ),
    "alert_new_bacnet_service": (
        "BACnet service {service}, never used with {dst} in the baseline (learned: "
        "{learned})",
        "BACnet サービス {service} は、ベースラインで {dst} に使われたことがありません"
        "(学習済み: {learned})",
    ),
    "alert_new_bacnet_object": (
        "BACnet object {object} of {dst} addressed, unknown to the baseline",
        "ベースラインにない {dst} の BACnet オブジェクト {object} へのアクセス",
    ),
    "alert_bacnet_object_scan": (
        "{count} BACnet objects unknown to the baseline addressed on {dst} within a minute "
        "(the latest {object})",
        "1 分以内に {dst} でベースラインにない BACnet オブジェクトを {count} 個アクセス"
        "(最新 {object})",
    ),
    "alert_out_of_range_write": (
        "{what} written with {value}, outside the learned [{low}, {high}] (margin {margin}) "
        "by {by}",
        "{what} に {value} が書き込まれました。学習済みの範囲 [{low}, {high}](余裕 {margin})"
        "から {by} 外れています",
    ),
    "alert_out_of_range_value": (
        "{what} reported {value}, outside the learned [{low}, {high}] (margin {margin}) by "
        "{by}",
        "{what} が {value} を報告しました。学習済みの範囲 [{low}, {high}](余裕 {margin})"
        "から {by} 外れています",
    ),
    "alert_rate_change": (
        "{count} requests in {window} s where the baseline held at most {learned} "
        "({factor}×)",
        "{window} 秒間に {count} 件の要求。ベースラインでは最大 {learned} 件でした"
        "({factor} 倍)",
    ),
    "alert_flood": (
        "{count} requests in {window} s where the baseline held at most {learned} "
        "({factor}×): a flood",
        "{window} 秒間に {count} 件の要求。ベースラインでは最大 {learned} 件でした"
        "({factor} 倍): フラッド",
    ),
    "alert_anomalous_window": (
        "the learned model scored this flow's 10 s window {score} (alert below {threshold}); "
        "most unusual: {feature} {value} against a learned median of {learned} ({by} "
        "deviations)",
        "学習モデルによるこのフローの 10 秒窓のスコアは {score}(しきい値 {threshold} 未満で"
        "アラート)。最も異常な特徴: {feature} が {value}、学習済み中央値 {learned}"
        "(偏差 {by} 個分)",
    ),
    "ot_unknown_device": (
        "{ip} (MAC {macs}; {protocols}) is on the network but declared as no device of the "
        "graph",
        "{ip}(MAC {macs}、{protocols})はネットワーク上にありますが、グラフのどのデバイス"
        "としても宣言されていません",
    ),
    "ot_missing_device": (
        "{device} (IP {ip}, MAC {mac}) is declared in the graph but was never seen on the "
        "network",
        "{device}(IP {ip}、MAC {mac})はグラフで宣言されていますが、ネットワーク上で一度も"
        "観測されていません",
    ),
}
