"""Messages of identity, tenancy and the service (`cpstrust serve`, `users`,
`apikeys`, `grants`): code -> (English, Japanese). See cpstrust.messages."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # Users, keys and grants.
    "identity_user_name_invalid": (
        "user name {name!r} must be 1 to 255 characters, not only spaces",
        "ユーザ名 {name!r} は空白以外を含む 1〜255 文字にしてください",
    ),
    "identity_password_length": (
        "a password must be {minimum} to {maximum} characters long",
        "パスワードは {minimum}〜{maximum} 文字にしてください",
    ),
    "identity_user_exists": ("user {name!r} already exists", "ユーザ {name!r} は既に存在します"),
    "identity_no_user": ("no user named {name!r}", "ユーザ {name!r} は存在しません"),
    "identity_key_outside_user_org": (
        "user {name!r} is not of organisation {organisation!r}",
        "ユーザ {name!r} は組織 {organisation!r} に属していません",
    ),
    "identity_key_role_above_user": (
        "a key of user {name!r} ({user_role}) cannot have role {role}, which permits more",
        "ユーザ {name!r}({user_role})の鍵に、より多くを許すロール {role} は付与できません",
    ),
    "identity_operator_key_needs_operator": (
        "an operator's key is made for a user that is an operator: give --user of a user made "
        "with `users create --operator`",
        "オペレータの鍵はオペレータであるユーザにしか作れません: `users create --operator` で"
        "作成したユーザを --user に指定してください",
    ),
    "identity_key_needs_owner": (
        "give --user, or --org and --role",
        "--user、または --org と --role を指定してください",
    ),
    "identity_no_organisation": (
        "no organisation named {name!r}",
        "組織 {name!r} は存在しません",
    ),
    "identity_no_api_key": (
        "no API key with id {key_id!r}",
        "ID {key_id!r} の API キーはありません",
    ),
    "identity_grant_to_itself": (
        "organisation {name!r} sees its own products without a grant",
        "組織 {name!r} は付与なしで自組織の製品を参照できます",
    ),
    "identity_no_product_of": (
        "organisation {supplier!r} supplies no product named {product!r}",
        "組織 {supplier!r} は製品 {product!r} を供給していません",
    ),
    "identity_no_credentials": (
        "no API key: send Authorization: Bearer <key>",
        "API キーがありません。Authorization: Bearer <キー> を送ってください",
    ),
    "identity_key_invalid": ("the API key is not valid", "API キーが無効です"),
    "identity_key_revoked": ("API key {key_id} is revoked", "API キー {key_id} は失効しています"),
    "identity_key_expired": (
        "API key {key_id} has expired",
        "API キー {key_id} は有効期限切れです",
    ),
    # Tenancy.
    "tenancy_operator_only": (
        "{action} changes what every organisation on this server shares: only the server's "
        "operator may do it, not an organisation's administrator",
        "{action} はこのサーバのすべての組織が共有するデータを変更します: 組織の管理者ではなく、"
        "サーバのオペレータだけが実行できます",
    ),
    "tenancy_role_forbids": (
        "role {role} may not {action}",
        "ロール {role} には {action} の権限がありません",
    ),
    "tenancy_no_product": ("no product named {product!r}", "製品 {product!r} はありません"),
    "tenancy_decision_is_suppliers": (
        "finding {finding_id} is of a product another organisation supplies: only it decides",
        "検出事項 {finding_id} は他組織が供給する製品のものです。判断できるのはその組織だけです",
    ),
    "tenancy_product_name_taken": (
        "product name {product!r} is held by another organisation",
        "製品名 {product!r} は他の組織が使用しています",
    ),
    "tenancy_scan_is_suppliers": (
        "product {product!r} is another organisation's: only it scans its releases",
        "製品 {product!r} は他組織のものです。そのリリースをスキャンできるのはその組織だけです",
    ),
    "tenancy_no_site": ("no site named {site!r}", "サイト {site!r} はありません"),
    "tenancy_no_device": ("no device named {device!r}", "機器 {device!r} はありません"),
    # The HTTP service.
    "service_internal_error": (
        "the server failed to handle the request; its log says why",
        "サーバが要求を処理できませんでした。原因はサーバのログにあります",
    ),
    "service_limit_out_of_range": (
        "limit {limit} is outside 1 to {maximum}",
        "limit {limit} は 1〜{maximum} の範囲外です",
    ),
    "service_cursor_invalid": (
        "the cursor is not one this listing gave with this sort",
        "カーソルは、この一覧がこの並び順で返したものではありません",
    ),
    "service_content_length_invalid": (
        "Content-Length is not a number",
        "Content-Length が数値ではありません",
    ),
    "service_body_too_large": (
        "the body of {size} bytes or more is over the limit of {limit} bytes",
        "本文 {size} バイト以上は上限 {limit} バイトを超えています",
    ),
    "service_multipart_needs_file": (
        "the multipart body needs one file in field {field!r}",
        "マルチパート本文には、フィールド {field!r} にファイルが 1 つ必要です",
    ),
    "service_body_empty": ("the body is empty", "本文が空です"),
    "service_content_type_unsupported": (
        "content type {content_type!r} is not accepted here: send {supported}",
        "コンテンツタイプ {content_type!r} は受け付けません。{supported} で送ってください",
    ),
    "service_request_invalid": (
        "{where}: {problem}",
        "{where}: {problem}(要求が不正です)",
    ),
    "service_http_status": ("{status} {phrase}", "{status} {phrase}(HTTP エラー)"),
    "service_status_change_shape": (
        "the body must be an object with status and, optionally, note",
        "本文は status と、必要なら note を持つオブジェクトにしてください",
    ),
    "service_status_unknown": (
        "unknown status {status!r}: open, accepted, fixed or not_affected",
        "不明な状態 {status!r} です。open、accepted、fixed、not_affected のいずれかです",
    ),
    "service_note_invalid": (
        "note must be text of at most {maximum} characters",
        "note は {maximum} 文字以内のテキストにしてください",
    ),
    "service_severity_unknown": (
        "unknown severity {severity!r}: unknown, low, medium, high or critical",
        "不明な深刻度 {severity!r} です。unknown、low、medium、high、critical のいずれかです",
    ),
    # The command line.
    "serve_listening": (
        "cpstrust serving the API at {url}/api/v1 (OpenAPI at {url}/openapi.json) and the "
        "verifier at {url}/v1 (Ctrl-C stops it).",
        "cpstrust は API を {url}/api/v1(OpenAPI は {url}/openapi.json)、検証サーバを "
        "{url}/v1 で提供しています(Ctrl-C で停止)。",
    ),
    "serve_tls_pair": (
        "give the certificate and its key together",
        "証明書と鍵は両方とも指定してください",
    ),
    "user_created": (
        "user {name} created: {role} of {organisation}",
        "ユーザ {name} を作成しました: {organisation} の {role}",
    ),
    "user_is_operator": (
        "{name} is the server's operator: it may import into the advisory database every "
        "organisation shares",
        "{name} はサーバのオペレータです: すべての組織が共有する脆弱性情報データベースに"
        "インポートできます",
    ),
    "apikey_is_operators": (
        "the key carries its user's operator power: it may import into the shared advisory "
        "database",
        "この鍵はユーザのオペレータ権限を持ちます: 共有の脆弱性情報データベースに"
        "インポートできます",
    ),
    "organisation_created": ("organisation {name} created", "組織 {name} を作成しました"),
    "password_env_unset": (
        "environment variable {name} is not set: it holds the password",
        "環境変数 {name} が設定されていません。パスワードはそこに置きます",
    ),
    "apikey_shown_once": (
        "API key {key_id} ({role} of {organisation}, expires {expires}); the key is shown "
        "only now, on stdout:",
        "API キー {key_id}({organisation} の {role}、有効期限 {expires})。キーは今だけ "
        "標準出力に表示されます:",
    ),
    "apikey_never_expires": ("never", "なし"),
    "apikey_revoked": ("API key {key_id} revoked", "API キー {key_id} を失効させました"),
    "api_keys": ("API keys", "API キー"),
    "apikey_column_id": ("key id", "キー ID"),
    "apikey_column_organisation": ("organisation", "組織"),
    "apikey_column_role": ("role", "ロール"),
    "apikey_column_user": ("user", "ユーザ"),
    "apikey_column_created": ("created", "作成"),
    "apikey_column_expires": ("expires", "有効期限"),
    "apikey_column_revoked": ("revoked", "失効"),
    "apikey_column_last_used": ("last used", "最終使用"),
    "apikey_column_operator": ("operator", "オペレータ"),
    "grant_added": (
        "{supplier} grants {to} {what}",
        "{supplier} は {to} に {what} の参照を許可しました",
    ),
    "grant_existed": (
        "{supplier} already grants {to} {what}",
        "{supplier} は既に {to} に {what} の参照を許可しています",
    ),
    "grant_every_product": ("every product", "全製品"),
}
