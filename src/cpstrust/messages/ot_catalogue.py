"""Messages of OT monitoring (captures, decoding): code -> (English, Japanese).
See cpstrust.messages."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "pcap_unreadable": (
        "cannot read the capture: {error}",
        "キャプチャを読み込めません: {error}",
    ),
    "pcap_not_capture": (
        "not a pcap or pcapng file (no known magic number)",
        "pcap でも pcapng でもありません(既知のマジックナンバーがありません)",
    ),
    "pcap_header_truncated": (
        "the file header is cut short",
        "ファイルヘッダーが途中で切れています",
    ),
    "pcap_bad_version": (
        "pcap major version {version} is not 2",
        "pcap のメジャーバージョン {version} は 2 ではありません",
    ),
    "pcapng_bad_block_length": (
        "pcapng block length {length} is not a multiple of 4 between 12 and the limit, "
        "or disagrees with the block's trailing length",
        "pcapng のブロック長 {length} が 12 以上上限以下の 4 の倍数でないか、"
        "ブロック末尾の長さと一致しません",
    ),
    "pcapng_bad_byte_order": (
        "the section header's byte-order magic is neither 0x1A2B3C4D nor its reverse",
        "セクションヘッダーのバイト順マジックが 0x1A2B3C4D でもその逆でもありません",
    ),
    "pcapng_too_many_interfaces": (
        "more than {limit} interfaces in one section",
        "1 つのセクションのインターフェースが {limit} 個を超えています",
    ),
    "live_dumpcap_unavailable": (
        "cannot start {program}: {error} (install Debian's tshark or wireshark-common)",
        "{program} を起動できません: {error}(Debian の tshark または wireshark-common "
        "をインストールしてください)",
    ),
    "live_dumpcap_failed": (
        "dumpcap cannot capture on {interface}: {error}",
        "dumpcap は {interface} でキャプチャできません: {error}",
    ),
}
