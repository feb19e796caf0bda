"""Messages of cpstrust.trust, cpstrust.crypto and cpstrust.remote: code -> (English,
Japanese). See cpstrust.messages."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # crypto: public keys
    "crypto_unsupported_curve": (
        "unsupported elliptic curve {curve}",
        "対応していない楕円曲線です: {curve}",
    ),
    "crypto_public_key_too_large": (
        "public key larger than {limit} bytes",
        "公開鍵が {limit} バイトを超えています",
    ),
    "crypto_not_pem_public_key": (
        "not a PEM public key: {error}",
        "PEM 形式の公開鍵ではありません: {error}",
    ),
    "crypto_unsupported_key_type": (
        "unsupported key type {key_type}",
        "対応していない鍵の種類です: {key_type}",
    ),
    # trust.verify: who signed an envelope, and may they vouch for it
    "verify_no_signature": (
        "the envelope carries no signature",
        "エンベロープに署名がありません",
    ),
    "verify_keyid_named_twice": (
        "two signatures name the same key",
        "2 つの署名が同じ鍵を指しています",
    ),
    "verify_key_signed_twice": (
        "key {keyid} signed twice",
        "鍵 {keyid} が 2 回署名しています",
    ),
    "verify_wrong_algorithm": (
        "signature is not {algorithm}, the algorithm of key {keyid}",
        "署名が鍵 {keyid} のアルゴリズム {algorithm} のものではありません",
    ),
    "verify_bad_signature": (
        "signature by key {keyid} does not match the payload",
        "鍵 {keyid} による署名がペイロードと一致しません",
    ),
    "verify_untrusted_signer": (
        "no trusted {role} key verifies the signature of {signer}",
        "{signer} の署名を検証できる信頼済みの {role} 鍵がありません",
    ),
    "verify_no_keyid": ("(no keyid)", "(鍵 ID なし)"),
    "verify_key_revoked": (
        "key {keyid} was revoked on {date}: {reason}",
        "鍵 {keyid} は {date} に失効しています: {reason}",
    ),
    "verify_wrong_role": (
        "key {keyid} is trusted as {roles}, not {role}",
        "鍵 {keyid} は {roles} として信頼されており、{role} ではありません",
    ),
    "verify_key_not_yet_valid": (
        "key {keyid} is valid from {date}",
        "鍵 {keyid} の有効期間は {date} からです",
    ),
    "verify_key_expired": (
        "key {keyid} expired on {date}",
        "鍵 {keyid} は {date} に有効期限が切れています",
    ),
    "verify_out_of_scope": (
        "the signing key may sign only {scopes}, not {subject!r}",
        "署名鍵が署名できるのは {scopes} のみで、{subject!r} は対象外です",
    ),
    "verify_unreadable": ("{cause}", "{cause}"),
    # trust.release and trust.update: signed releases, update checks
    "release_wrong_payload_type": (
        "payload type is {payload_type!r}, not {expected}",
        "ペイロード種別が {expected} ではなく {payload_type!r} です",
    ),
    "release_not_provenance": (
        "predicate is {predicate_type}, not SLSA provenance v1",
        "述語が SLSA provenance v1 ではなく {predicate_type} です",
    ),
    "release_for_other_product": (
        "the release is for {named!r}, not {product!r}",
        "このリリースは {product!r} ではなく {named!r} のものです",
    ),
    "release_without_product": (
        "the release does not name its product",
        "リリースに製品名が記載されていません",
    ),
    "release_other_version": (
        "the release is version {found!r}, not {version!r}",
        "このリリースのバージョンは {version!r} ではなく {found!r} です",
    ),
    "release_artifact_not_subject": (
        "{name} (sha256 {digest}…) is not a subject of the release",
        "{name}(sha256 {digest}…)はリリースの対象に含まれていません",
    ),
    "release_without_version": (
        "the release does not say its version",
        "リリースにバージョンが記載されていません",
    ),
    "update_check_unordered_versions": (
        "cannot order versions {offered!r} and {installed!r}",
        "バージョン {offered!r} と {installed!r} の新旧を比較できません",
    ),
    "update_check_rollback": (
        "offered version {offered} is older than the installed {installed}",
        "提示されたバージョン {offered} は導入済みの {installed} より古いものです",
    ),
    # trust.truststore: editing and importing the trust store
    "trust_key_revoked_for_good": (
        "key {keyid} was revoked and cannot be trusted again",
        "鍵 {keyid} は失効済みのため、再び信頼することはできません",
    ),
    "trust_keyid_too_short": (
        "keyid {keyid!r} is too short",
        "鍵 ID {keyid!r} が短すぎます",
    ),
    "trust_key_not_found": (
        "no trusted key {keyid!r}",
        "信頼済みの鍵 {keyid!r} はありません",
    ),
    "trust_keyid_ambiguous": (
        "keyid prefix {keyid!r} is ambiguous",
        "鍵 ID の先頭部分 {keyid!r} に該当する鍵が複数あります",
    ),
    "trust_key_already_revoked": (
        "key {keyid} is already revoked",
        "鍵 {keyid} はすでに失効しています",
    ),
    "trust_revocation_without_reason": (
        "a revocation needs a reason",
        "失効には理由が必要です",
    ),
    "trust_signer_not_root": (
        "key {name!r} is not a root key of this trust store",
        "鍵 {name!r} はこのトラストストアのルート鍵ではありません",
    ),
    "trust_store_wrong_payload_type": (
        "payload type is {payload_type!r}, not a trust store",
        "ペイロード種別が {payload_type!r} で、トラストストアではありません",
    ),
    "trust_store_no_root": (
        "no root key is trusted yet",
        "信頼済みのルート鍵がまだありません",
    ),
    "trust_store_rollback": (
        "version {version} is not newer than the installed version {installed}",
        "版 {version} は導入済みの版 {installed} より新しくありません",
    ),
    # trust.keyring and trust.agent: the keys this installation holds
    "keyring_tpm_support_missing": (
        "TPM keys need cpstrust's optional TPM support (tpm2-pytss), which is not installed: "
        "install it with pip install '{extra}' (it needs Debian's libtss2-dev)",
        "TPM 鍵には cpstrust のオプションの TPM サポート(tpm2-pytss)が必要ですが、"
        "インストールされていません。pip install '{extra}' でインストールしてください"
        "(Debian の libtss2-dev が必要です)",
    ),
    "keyring_invalid_name": ("invalid key name {name!r}", "鍵の名前 {name!r} は使えません"),
    "keyring_key_exists": (
        "a key named {name!r} already exists",
        "{name!r} という名前の鍵はすでにあります",
    ),
    "keyring_key_not_found": ("no key named {name!r}", "{name!r} という名前の鍵はありません"),
    "keyring_record_not_object": (
        "damaged key record: not a JSON object",
        "鍵レコードが壊れています: JSON オブジェクトではありません",
    ),
    "keyring_key_revoked": (
        "key {name!r} was revoked on {date}: {reason}",
        "鍵 {name!r} は {date} に失効しています: {reason}",
    ),
    "agent_unsendable_path": (
        "a path holds a newline or bytes that are not UTF-8, which a report cannot carry",
        "パスに改行または UTF-8 でないバイトが含まれており、レポートに記載できません",
    ),
    "agent_key_revoked": (
        "key {name!r} was revoked on {date}",
        "鍵 {name!r} は {date} に失効しています",
    ),
    # trust.filekeys: keys in files
    "file_key_unreadable": (
        "cannot read private key: {error}",
        "秘密鍵を読み込めません: {error}",
    ),
    "file_key_undecryptable": (
        "cannot decrypt the private key",
        "秘密鍵を復号できません",
    ),
    "file_key_unexpected_type": (
        "unexpected key type {key_type}",
        "想定外の鍵の種類です: {key_type}",
    ),
    "file_key_not_the_record": (
        "private key does not match the key record",
        "秘密鍵が鍵レコードと一致しません",
    ),
    "file_key_passphrase_too_short": (
        "key {name!r} needs a passphrase of at least {least} characters",
        "鍵 {name!r} には {least} 文字以上のパスフレーズが必要です",
    ),
    "file_key_exists": (
        "a private key file already exists",
        "秘密鍵ファイルがすでに存在します",
    ),
    # trust.pkcs11keys and trust.tpmkeys: keys in hardware
    "trust_signing_with_key": ("signing with key {name!r}", "鍵 {name!r} での署名"),
    "pkcs11_failed": ("{doing} failed: PKCS#11 {error}", "{doing}に失敗しました: PKCS#11 {error}"),
    "pkcs11_signature_unverified": (
        "the signature by key {name!r} does not verify with its recorded public key",
        "鍵 {name!r} による署名を、記録された公開鍵で検証できません",
    ),
    "pkcs11_needs_module": (
        "PKCS#11 key {name!r} needs the path of the PKCS#11 module (.so)",
        "PKCS#11 鍵 {name!r} には PKCS#11 モジュール(.so)のパスが必要です",
    ),
    "pkcs11_needs_token": (
        "PKCS#11 key {name!r} needs the token label",
        "PKCS#11 鍵 {name!r} にはトークンのラベルが必要です",
    ),
    "pkcs11_generating": (
        "generating key {name!r} on token {token!r}",
        "トークン {token!r} での鍵 {name!r} の生成",
    ),
    "pkcs11_mechanism_unsupported": (
        "token {token!r} does not support {mechanism}",
        "トークン {token!r} は {mechanism} に対応していません",
    ),
    "pkcs11_damaged_locator": (
        "key {name!r} has a damaged PKCS#11 locator: {error}",
        "鍵 {name!r} の PKCS#11 の所在情報が壊れています: {error}",
    ),
    "pkcs11_key_on_token": (
        "key {label!r} (id {key_id}) on token {token!r}",
        "トークン {token!r} の鍵 {label!r}(ID {key_id})",
    ),
    "pkcs11_opening": ("opening {key}", "{key}のオープン"),
    "pkcs11_key_not_the_record": (
        "{key} does not match the key record (keyid {keyid})",
        "{key}が鍵レコード(鍵 ID {keyid})と一致しません",
    ),
    "pkcs11_opening_session": (
        "opening a session on token {token!r}",
        "トークン {token!r} のセッションのオープン",
    ),
    "pkcs11_closing_session": (
        "closing a session on token {token!r}",
        "トークン {token!r} のセッションのクローズ",
    ),
    "pkcs11_needs_pin": (
        "PKCS#11 key {name!r} needs the token's user PIN",
        "PKCS#11 鍵 {name!r} にはトークンのユーザー PIN が必要です",
    ),
    "pkcs11_pin_refused": (
        "token {token!r} refused the PIN ({why})",
        "トークン {token!r} が PIN を拒否しました({why})",
    ),
    "pkcs11_pin_not_logged_in": (
        "not the PIN it is logged in with",
        "ログイン中の PIN と異なります",
    ),
    "pkcs11_pin_wrong": ("wrong PIN", "PIN が違います"),
    "pkcs11_pin_malformed": ("malformed PIN", "PIN の形式が不正です"),
    "pkcs11_module_not_found": (
        "PKCS#11 module not found",
        "PKCS#11 モジュールが見つかりません",
    ),
    "pkcs11_no_such_token": (
        "no token labelled {token!r}",
        "ラベルが {token!r} のトークンはありません",
    ),
    "pkcs11_tokens_share_label": (
        "several tokens are labelled {token!r}",
        "ラベルが {token!r} のトークンが複数あります",
    ),
    "pkcs11_module_unloadable": (
        "cannot load the PKCS#11 module: {error}",
        "PKCS#11 モジュールを読み込めません: {error}",
    ),
    "pkcs11_pin_locked": (
        "the user PIN of token {token!r} is locked",
        "トークン {token!r} のユーザー PIN がロックされています",
    ),
    "pkcs11_login_failed": (
        "cannot log in to token {token!r}: PKCS#11 {error}",
        "トークン {token!r} にログインできません: PKCS#11 {error}",
    ),
    "pkcs11_private_key_missing": (
        "{key}: no private key found",
        "{key}: 秘密鍵が見つかりません",
    ),
    "pkcs11_public_key_missing": (
        "{key}: no public key found",
        "{key}: 公開鍵が見つかりません",
    ),
    "pkcs11_key_objects_ambiguous": (
        "{key}: several objects match",
        "{key}: 該当するオブジェクトが複数あります",
    ),
    "pkcs11_public_key_wrong_size": (
        "the token's {algorithm} public key is unusable: {size} bytes, expected {expected}",
        "トークンの {algorithm} 公開鍵は使えません: {expected} バイトのはずが {size} バイトです",
    ),
    "pkcs11_public_key_unusable": (
        "the token's {algorithm} public key is unusable: {error}",
        "トークンの {algorithm} 公開鍵は使えません: {error}",
    ),
    "tpm_failed": (
        "{doing} failed: TPM error {error}",
        "{doing}に失敗しました: TPM エラー {error}",
    ),
    "tpm_signer_closed": (
        "the signer of TPM key {name!r} is closed",
        "TPM 鍵 {name!r} への接続はすでに閉じています",
    ),
    "tpm_signature_unverified": (
        "the TPM's signature with key {name!r} does not verify with the recorded public key",
        "鍵 {name!r} による TPM の署名を、記録された公開鍵で検証できません",
    ),
    "tpm_no_ed25519": (
        "TPM key {name!r}: TPM 2.0 has no Ed25519 signing",
        "TPM 鍵 {name!r}: TPM 2.0 は Ed25519 の署名に対応していません",
    ),
    "tpm_needs_tcti": (
        "TPM key {name!r} needs the TPM connection (TCTI)",
        "TPM 鍵 {name!r} には TPM への接続(TCTI)の指定が必要です",
    ),
    "tpm_needs_directory": (
        "TPM key {name!r} needs the key directory",
        "TPM 鍵 {name!r} には鍵のディレクトリが必要です",
    ),
    "tpm_restricted_invalid": (
        "TPM key {name!r}: option restricted is {value!r}",
        "TPM 鍵 {name!r}: オプション restricted の値 {value!r} は使えません",
    ),
    "tpm_creating": ("creating key {name!r}", "鍵 {name!r} の作成"),
    "tpm_attestation_key_signs_quotes_only": (
        "key {name!r} is an attestation key: it signs only quotes the TPM produces",
        "鍵 {name!r} はアテステーション鍵です: TPM が生成したクォートにしか署名しません",
    ),
    "tpm_not_attestation_key": (
        "key {name!r} is not an attestation key: quotes signed by an unrestricted key prove "
        "nothing",
        "鍵 {name!r} はアテステーション鍵ではありません: 制限のない鍵で署名したクォートは"
        "何も証明しません",
    ),
    "tpm_quoting": (
        "quoting PCRs {pcrs} with key {name!r}",
        "鍵 {name!r} による PCR {pcrs} のクォート",
    ),
    "tpm_resetting_pcr": ("resetting PCR {pcr}", "PCR {pcr} のリセット"),
    "tpm_measurement_size": (
        "a SHA-256 measurement is {expected} bytes, got {size}",
        "SHA-256 の測定値は {expected} バイトですが、{size} バイトでした",
    ),
    "tpm_extending_pcr": ("extending PCR {pcr}", "PCR {pcr} の拡張"),
    "tpm_reading_pcrs": ("reading PCRs", "PCR の読み出し"),
    "tpm_unreachable": (
        "cannot reach the TPM at {tcti!r}: {error}",
        "{tcti!r} の TPM に接続できません: {error}",
    ),
    "tpm_locator_incomplete": (
        "key record {name!r} has no {field!r} in its TPM locator",
        "鍵レコード {name!r} の TPM の所在情報に {field!r} がありません",
    ),
    "tpm_blob_unreadable": (
        "cannot read TPM key blob: {error}",
        "TPM 鍵ブロブを読み込めません: {error}",
    ),
    "tpm_blob_invalid": ("not a {kind}: {error}", "{kind} ではありません: {error}"),
    "tpm_blob_trailing_bytes": (
        "trailing bytes after the {kind}",
        "{kind} の後ろに余分なバイトがあります",
    ),
    "tpm_loading": ("loading key {name!r}", "鍵 {name!r} のロード"),
    "tpm_reading_public_key": (
        "reading the public key of {name!r}",
        "{name!r} の公開鍵の読み出し",
    ),
    "tpm_key_not_the_record": (
        "the TPM key of {name!r} does not match its record (keyid {keyid})",
        "{name!r} の TPM 鍵が鍵レコード(鍵 ID {keyid})と一致しません",
    ),
    "tpm_pcr_out_of_range": (
        "PCR index {index} is outside 0..{last}",
        "PCR 番号 {index} が 0..{last} の範囲外です",
    ),
    "tpm_blob_exists": ("a TPM key blob already exists", "TPM 鍵ブロブがすでに存在します"),
    # trust.quote: appraising TPM 2.0 quotes
    "tpm_quote_key_not_p256": (
        "attestation keys are ECDSA P-256 keys",
        "アテステーション鍵は ECDSA P-256 鍵でなければなりません",
    ),
    "tpm_quote_too_large": (
        "attestation of {size} bytes is not a TPMS_ATTEST (at most {limit})",
        "{size} バイトのアテステーションは TPMS_ATTEST ではありません(最大 {limit} バイト)",
    ),
    "tpm_quote_incomplete": (
        "the attestation is not a complete TPMS_ATTEST",
        "アテステーションが完全な TPMS_ATTEST ではありません",
    ),
    "tpm_quote_bad_signature": (
        "the quote is not signed by the attestation key",
        "クォートがアテステーション鍵で署名されていません",
    ),
    "tpm_quote_signed_incomplete": (
        "signed by the attestation key, but not a complete TPMS_ATTEST",
        "アテステーション鍵で署名されていますが、完全な TPMS_ATTEST ではありません",
    ),
    "tpm_quote_not_tpm_generated": (
        "magic {magic} is not TPM_GENERATED_VALUE: the key signed data the TPM did not produce",
        "magic {magic} が TPM_GENERATED_VALUE ではありません: 鍵が TPM の生成していない"
        "データに署名しています",
    ),
    "tpm_quote_wrong_type": (
        "attestation type {type} is not TPM_ST_ATTEST_QUOTE",
        "アテステーションの種別 {type} が TPM_ST_ATTEST_QUOTE ではありません",
    ),
    "tpm_quote_without_nonce": (
        "the quote carries no nonce: it proves no freshness",
        "クォートに nonce がなく、鮮度を証明できません",
    ),
    "tpm_quote_other_nonce": (
        "the quote answers another challenge (nonce {nonce}): replayed or stale",
        "クォートは別のチャレンジ(nonce {nonce})への応答です: リプレイされたか古いものです",
    ),
    "tpm_quote_wrong_selection": (
        "the quote covers {covered}, not {asked}",
        "クォートの対象は {covered} で、{asked} ではありません",
    ),
    "tpm_quote_bank_pcrs": ("{bank} PCRs {pcrs}", "{bank} の PCR {pcrs}"),
    "tpm_quote_no_pcrs": ("no PCRs", "PCR なし"),
    "tpm_quote_event_size": (
        "event {number} is {size} bytes, not a SHA-256 digest",
        "イベント {number} は {size} バイトで、SHA-256 ダイジェストではありません",
    ),
    "tpm_quote_pcr_mismatch": (
        "the event log ({events} events, PCR {pcr} = {value}) does not match the quoted PCRs",
        "イベントログ(イベント {events} 件、PCR {pcr} = {value})がクォートされた PCR と"
        "一致しません",
    ),
    # trust.authenticity: what differs between an image and its reference
    "authenticity_escaping_symlink": (
        "symbolic link to {target!r} resolves outside the image root",
        "リンク先が {target!r} のシンボリックリンクがイメージのルートの外を指しています",
    ),
    "authenticity_unlisted": (
        "{what} is not declared by the vendor",
        "ベンダーが申告していない{what}です",
    ),
    "authenticity_missing": (
        "declared by {sources}, absent from the image",
        "{sources}が申告していますが、イメージにありません",
    ),
    "authenticity_no_digest": (
        "{what} is declared by {sources} with no digest cpstrust can compute, so its content "
        "is unknown",
        "{sources}が申告している{what}ですが、cpstrust が計算できるダイジェストがないため、"
        "内容は不明です",
    ),
    "authenticity_conflicting": (
        "declarations disagree: the file matches {matched} but not {against}",
        "申告が食い違っています: ファイルは{matched}と一致しますが、{against}とは一致しません",
    ),
    "authenticity_modified": (
        "{what} differs from the {algorithm} declared by {sources}",
        "{what}が{sources}の申告する {algorithm} と異なります",
    ),
    "authenticity_executable": ("executable", "実行ファイル"),
    "authenticity_file": ("file", "ファイル"),
    "authenticity_sbom_component": ("SBOM component {ref}", "「SBOM コンポーネント {ref}」"),
    "authenticity_release_subject": ("release subject", "「リリースの対象」"),
    "trust_list": ("{first}, {rest}", "{first}、{rest}"),
    "trust_list_semicolon": ("{first}; {rest}", "{first}、{rest}"),
    # trust.image and trust.measurement: measuring a firmware image
    "image_too_many_members": ("more than {limit} members", "メンバーが {limit} 個を超えています"),
    "image_path_too_long": (
        "path longer than {limit} characters",
        "パスが {limit} 文字を超えています",
    ),
    "image_too_large": (
        "content larger than {limit} bytes in total",
        "内容の合計が {limit} バイトを超えています",
    ),
    "image_kept_too_much": (
        "package databases larger than {limit} bytes in total",
        "パッケージデータベースの合計が {limit} バイトを超えています",
    ),
    "image_absolute_member_path": ("absolute member path", "メンバーのパスが絶対パスです"),
    "image_member_climbs_out": (
        "member path climbs out of the image with '..'",
        "メンバーのパスが '..' でイメージの外に出ています",
    ),
    "image_member_beneath_link": (
        "member lies beneath the symbolic link {link!r}: unpacking would write through it",
        "メンバーがシンボリックリンク {link!r} の下にあります: 展開するとリンク先に書き込まれます",
    ),
    "image_hard_link_to_unknown": (
        "hard link to {target!r}, which is not an earlier file of the archive",
        "ハードリンクのリンク先 {target!r} が、アーカイブ内でこれより前にあるファイル"
        "ではありません",
    ),
    "image_member_is_root": (
        "member is the image root itself, not a file in it",
        "メンバーがイメージ内のファイルではなく、イメージのルートそのものです",
    ),
    "image_two_entries_at_path": (
        "the image holds two entries at this path; which one is installed depends on the "
        "unpacker",
        "イメージのこのパスにエントリが 2 つあります。どちらが導入されるかは展開ツール次第です",
    ),
    "image_directory_unopenable": (
        "cannot open the image directory: {error}",
        "イメージのディレクトリを開けません: {error}",
    ),
    "image_directory_unreadable": (
        "cannot read the image directory: {error}",
        "イメージのディレクトリを読み込めません: {error}",
    ),
    "image_file_replaced_during_walk": (
        "replaced by something other than a file during the walk",
        "走査中にファイル以外のものに置き換えられました",
    ),
    "image_file_changed_size": (
        "changed size while it was being measured",
        "測定中にサイズが変わりました",
    ),
    "image_not_directory_or_tar": (
        "neither a directory nor a readable tar archive: {error}",
        "ディレクトリでも読み込める tar アーカイブでもありません: {error}",
    ),
    "image_archive_damaged": (
        "the archive is damaged or truncated: {error}",
        "アーカイブが壊れているか、途中で切れています: {error}",
    ),
    "image_unknown_member_type": (
        "member is of unknown tar type {type!r}",
        "メンバーの tar 種別 {type!r} は不明です",
    ),
    "image_archive_ends_in_member": (
        "the archive ends inside this member",
        "アーカイブがこのメンバーの途中で終わっています",
    ),
    "image_member_without_content": ("member has no content", "メンバーに内容がありません"),
    # trust.attestation: the verdict on a device's measurement report, and its reasons
    "appraisal_no_open_challenge": (
        "no open challenge has this nonce: it was never issued, or it has been answered already",
        "この nonce の未応答のチャレンジはありません: 発行されていないか、すでに応答済みです",
    ),
    "appraisal_challenge_expired": (
        "the challenge expired at {at}",
        "チャレンジは {at} に期限切れになりました",
    ),
    "appraisal_wrong_payload_type": (
        "payload type {payload_type!r} is not {expected}",
        "ペイロード種別 {payload_type!r} が {expected} ではありません",
    ),
    "appraisal_other_challenge": (
        "the report answers another challenge: replayed",
        "レポートは別のチャレンジへの応答です: リプレイされています",
    ),
    "appraisal_other_device": (
        "the report is about {reported!r}; the challenge was issued to {device!r}",
        "レポートは {reported!r} のものですが、チャレンジの発行先は {device!r} です",
    ),
    "appraisal_quote_with_signature": (
        "a report answered with a TPM quote must carry no DSSE signature",
        "TPM クォートで応答するレポートに DSSE 署名を付けることはできません",
    ),
    "appraisal_no_attestation_key": (
        "no ECDSA P-256 device-identity key (attestation key) is enrolled for {device!r}",
        "{device!r} には ECDSA P-256 の device-identity 鍵(アテステーション鍵)が"
        "登録されていません",
    ),
    "appraisal_quote_signer_not_enrolled": (
        "the quote is signed by no attestation key enrolled for {device!r}",
        "クォートは {device!r} に登録されたどのアテステーション鍵でも署名されていません",
    ),
    "appraisal_quote_refused": (
        "TPM quote refused: {detail}",
        "TPM クォートを拒否しました: {detail}",
    ),
    "appraisal_all_match": (
        "all {measured} measurements match the reference values of {product} {version}",
        "{measured} 件の測定値がすべて {product} {version} の参照値と一致します",
    ),
    "appraisal_declared_match": (
        "the {measured} measurements match the {declared} declared paths of {product} {version}",
        "{measured} 件の測定値が {product} {version} で申告された {declared} 件のパスと"
        "一致します",
    ),
    "appraisal_differs": (
        "differs from the reference values of {product} {version}: {counts}",
        "{product} {version} の参照値と異なります: {counts}",
    ),
    "appraisal_count_modified": ("{n} modified", "改変 {n} 件"),
    "appraisal_count_unlisted": ("{n} unlisted", "未申告 {n} 件"),
    "appraisal_count_missing": ("{n} missing", "欠落 {n} 件"),
    "appraisal_count_escaping_symlink": (
        "{n} escaping symlink",
        "ルート外へのシンボリックリンク {n} 件",
    ),
    "appraisal_count_conflicting_reference": (
        "{n} conflicting reference",
        "参照値の矛盾 {n} 件",
    ),
    "appraisal_worst_finding": ("{path}: {reason}", "{path}: {reason}"),
    "appraisal_other_release": (
        "the device reports running {claimed_product} {claimed_version}; it is recorded as "
        "running {product} {version}, which it was appraised against",
        "機器は {claimed_product} {claimed_version} を実行中と報告していますが、記録上は "
        "{product} {version} を実行しており、その参照値で判定しました",
    ),
    # remote.http: fetching over HTTPS
    "http_plain_refused": ("refusing plain HTTP", "平文の HTTP は拒否します"),
    "http_not_https": (
        "not an HTTPS URL (scheme {scheme!r})",
        "HTTPS の URL ではありません(スキーム {scheme!r})",
    ),
    "http_redirect_refused": (
        "redirect to {url} refused ({cause})",
        "{url} へのリダイレクトを拒否しました({cause})",
    ),
    "http_fetch_failed": ("cannot fetch: {error}", "取得できません: {error}"),
    "http_too_large": ("larger than {limit} bytes", "{limit} バイトを超えています"),
    # remote.verifier: the verifier's client
    "verifier_client_bad_url": (
        "not an http(s) URL: {url!r}",
        "http(s) の URL ではありません: {url!r}",
    ),
    "verifier_client_no_nonce": (
        "the verifier answered without a nonce",
        "検証サーバの応答に nonce がありません",
    ),
    "verifier_client_unknown_verdict": (
        "the verifier answered an unknown verdict: {error}",
        "検証サーバが不明な判定を返しました: {error}",
    ),
    "verifier_client_refused": (
        "the verifier refused the request (HTTP {status}): {error}",
        "検証サーバがリクエストを拒否しました(HTTP {status}): {error}",
    ),
    "verifier_client_unreachable": (
        "cannot reach the verifier: {error}",
        "検証サーバに接続できません: {error}",
    ),
    "verifier_client_answer_too_large": (
        "answer larger than {limit} bytes",
        "応答が {limit} バイトを超えています",
    ),
    "verifier_client_answer_unreadable": (
        "the verifier's answer is unreadable: {cause}",
        "検証サーバの応答を読み取れません: {cause}",
    ),
    "verifier_client_answer_not_object": (
        "the verifier's answer is not a JSON object",
        "検証サーバの応答が JSON オブジェクトではありません",
    ),
    "verifier_client_answer_malformed": (
        "the verifier's answer is malformed",
        "検証サーバの応答の形式が不正です",
    ),
}
