"""Messages of assessments (questionnaires, answer files, reports, charts): code ->
(English, Japanese). See cpstrust.messages."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # Answer files.
    "answers_not_yaml": ("not a YAML answer file: {detail}",
                         "YAML の回答ファイルではありません: {detail}"),
    "answers_not_mapping": ("an answer file is a mapping (version, answers, ...)",
                            "回答ファイルはマッピング (version、answers など) である"
                            "必要があります"),
    "answers_bad_version": ("version {version!r} is not known; this cpstrust reads version "
                            "{expected}",
                            "version {version!r} は未知です。この cpstrust が読めるのは version "
                            "{expected} です"),
    "answers_no_list": ("answers must be a list of answers",
                        "answers は回答のリストである必要があります"),
    "answers_too_many": ("more than {limit} answers", "回答が {limit} 件を超えています"),
    "answers_entry_not_mapping": ("an answer is a mapping (requirement, status, ...)",
                                  "回答はマッピング (requirement、status など) である"
                                  "必要があります"),
    "answers_bad_evidence": ("evidence must be a list of file paths",
                             "evidence はファイルパスのリストである必要があります"),
    "answers_csv_not_utf8": ("not UTF-8 (byte {offset})",
                             "UTF-8 ではありません (バイト {offset})"),
    "answers_csv_no_header": (
        "the first line must name the columns (requirement, status, note, maturity, evidence)",
        "1 行目に列名 (requirement、status、note、maturity、evidence) が必要です"),
    "answers_csv_malformed": ("malformed CSV: {detail}", "CSV の形式が不正です: {detail}"),
    "answers_unknown_field": ("unknown field {field!r} (known: {allowed})",
                              "未知の項目 {field!r} です (使える項目: {allowed})"),
    "answers_csv_duplicate_column": ("column {column!r} is named twice",
                                     "列 {column!r} が二度あります"),
    "answers_csv_missing_column": ("column {column!r} is missing", "列 {column!r} がありません"),
    "answers_csv_field_count": ("{found} fields where the header names {expected}",
                                "項目が {found} 個あります (見出しは {expected} 個)"),
    "answers_missing_field": ("{field} is missing", "{field} がありません"),
    "answers_note_too_long": ("the note is longer than {limit} characters",
                              "note が {limit} 文字を超えています"),
    "answers_too_much_evidence": ("more than {limit} evidence files",
                                  "証跡ファイルが {limit} 個を超えています"),
    "answers_bad_status": ("status {status!r} is not one of: {allowed}",
                           "status {status!r} は次のいずれでもありません: {allowed}"),
    "answers_bad_maturity": ("maturity {maturity!r} is not a level from 1 to 5",
                             "maturity {maturity!r} は 1 から 5 のレベルではありません"),
    "answers_not_text": ("{field} must be text", "{field} は文字列である必要があります"),
    "answers_duplicate_requirement": (
        "requirement {requirement!r} is answered twice (first at {first})",
        "要件 {requirement!r} に二度回答しています (最初は {first})"),
    # Industry averages.
    "averages_malformed": ("not a file of averages: {detail}",
                           "平均値のファイルではありません: {detail}"),
    "averages_bad_shape": (
        "averages are YAML {{version: 1, averages: {{item: number}}}} or CSV with the columns "
        "item,average",
        "平均値は YAML {{version: 1, averages: {{項目: 数値}}}} か、列 item,average の CSV です"),
    "averages_duplicate_item": ("item {item!r} is given twice", "項目 {item!r} が二度あります"),
    "averages_too_many": ("more than {limit} items", "項目が {limit} 個を超えています"),
    "averages_bad_value": ("average {value!r} is not a number from 1 to 5",
                           "平均値 {value!r} は 1 から 5 の数値ではありません"),
    "averages_unknown_item": ("item {item!r} is not one of the ten items ({items})",
                              "項目 {item!r} は重要10項目 ({items}) のいずれでもありません"),
    # Assessments.
    "assess_file_other_source": ("the file answers {found!r}, not {expected!r}",
                                 "このファイルは {expected!r} ではなく {found!r} への回答です"),
    "assess_file_other_organisation": (
        "the file is for organisation {found!r}, not {expected!r}",
        "このファイルは組織 {expected!r} ではなく {found!r} のものです"),
    "assess_unknown_requirement": (
        "requirement {requirement!r} is not a question of {questionnaire!r}",
        "要件 {requirement!r} は {questionnaire!r} の設問にありません"),
    "assess_maturity_not_asked": (
        "{requirement} takes no maturity level (only the management guideline's items do)",
        "{requirement} には成熟度を付けられません (付けられるのは経営ガイドラインの項目のみ)"),
    "assess_evidence_missing": ("evidence file {file} does not exist or is not a file",
                                "証跡ファイル {file} が存在しないか、ファイルではありません"),
    "assess_evidence_too_large": ("evidence file {file} is {size} bytes, over the limit of "
                                  "{limit}",
                                  "証跡ファイル {file} は {size} バイトで、上限 {limit} を"
                                  "超えています"),
    "assess_evidence_unreadable": ("evidence file {file} cannot be read: {reason}",
                                   "証跡ファイル {file} を読めません: {reason}"),
    "assess_no_assessment": ("{organisation!r} has not been assessed (cpstrust assess run)",
                             "{organisation!r} は評価されていません (cpstrust assess run)"),
    "assess_which_profile": ("several assessments ({profiles}): say which with --profile",
                             "評価が複数あります ({profiles})。--profile で指定してください"),
    "assess_no_gaps": ("{organisation!r} has no gap: no plan of action to export",
                       "{organisation!r} にはギャップがないため、書き出す対応計画はありません"),
    "assess_chart_suffix": ("the chart is written as .svg or .png",
                            "チャートは .svg か .png で書き出します"),
    # The command line.
    "assess_progress": ("{org}: {answered} of {total} questions of {source} answered",
                        "{org}: {source} の設問 {total} 問中 {answered} 問に回答済み"),
    "assess_starting": (
        "{source}: {answered} of {total} answered. Status: met (m), partially-met (p), "
        "not-met (n), not-applicable (na); s skips, q stops. Every answer is saved at once.",
        "{source}: {total} 問中 {answered} 問回答済み。状態: met (m)、partially-met (p)、"
        "not-met (n)、not-applicable (na)。s で飛ばし、q で中断します。"
        "回答はその都度保存されます。"),
    "assess_stopped": ("Stopped; the answers given are saved. Run the same command again to "
                       "continue.",
                       "中断しました。回答は保存済みです。同じコマンドを再び実行すると続きから"
                       "再開します。"),
    "assess_prompt_status": ("Status (m/p/n/na, s skip, q stop)",
                             "状態 (m/p/n/na、s で飛ばす、q で中断)"),
    "assess_prompt_status_again": ("{word!r} is not a status; type m, p, n, na, s or q",
                                   "{word!r} は状態ではありません。m、p、n、na、s、q のいずれかを"
                                   "入力してください"),
    "assess_prompt_note": ("Note (optional)", "メモ (任意)"),
    "assess_prompt_maturity": ("Maturity 1-5 (optional)", "成熟度 1-5 (任意)"),
    "assess_prompt_maturity_again": ("{word!r} is not a level from 1 to 5",
                                     "{word!r} は 1 から 5 のレベルではありません"),
    "assess_prompt_evidence": ("Evidence file (empty when done)",
                               "証跡ファイル (なければ空のまま Enter)"),
    "assess_kept_without_evidence": ("{requirement}: answer saved without evidence files",
                                     "{requirement}: 証跡ファイルなしで回答を保存しました"),
    "assess_written": ("Written to {path}", "{path} に書き出しました"),
    "assess_signed": ("Signed the assessment result of {org} against {profile} (★{star}) as "
                      "evidence {id}; export it with `cpstrust evidence export --org`.",
                      "{org} の {profile} に対する評価結果 (★{star}) に署名し、証跡 {id} として"
                      "保存しました。`cpstrust evidence export --org` で書き出せます。"),
    "assess_star_line": ("★ attained: {star}; next: {next} ({gaps} gap(s))",
                         "達成した★: {star}、次: {next} (ギャップ {gaps} 件)"),
    # Report labels.
    "assess_report_title": ("Assessment of {organisation}", "{organisation} の評価"),
    "assess_report_standing": ("Standing", "現状"),
    "assess_report_assessed_against": ("Assessed against", "評価の対象"),
    "assess_report_star": ("★ level attained", "達成した★レベル"),
    "assess_report_no_star": ("none yet", "まだありません"),
    "assess_report_next": ("Next level", "次のレベル"),
    "assess_report_gap_count": ("{count} requirement(s) to close", "対応すべき要件 {count} 件"),
    "assess_report_levels": ("Requirements met or not applicable, per level",
                             "レベルごとの、満たしているか対象外の要件"),
    "assess_report_level": ("Level", "レベル"),
    "assess_report_satisfied": ("Met or not applicable", "満たす・対象外"),
    "assess_report_required": ("Required", "必要"),
    "assess_report_summary": ("Answers by status", "状態ごとの回答"),
    "assess_report_plan": ("Plan of action", "対応計画"),
    "assess_report_plan_caption": (
        "Gaps in order: the nearer level first, then what is cheapest to close",
        "ギャップを順に: 近いレベルから、次に対応しやすいものから"),
    "assess_report_no_gaps": ("No gap: every level is attained.",
                              "ギャップはありません。すべてのレベルを達成しています。"),
    "assess_report_requirement": ("Requirement", "要件"),
    "assess_report_action": ("What to do", "対応"),
    "assess_report_maturity": ("Maturity of the ten important items",
                               "重要10項目の成熟度"),
    "assess_report_item": ("Item", "項目"),
    "assess_report_maturity_level": ("Maturity", "成熟度"),
    "assess_report_provisional_scale": (
        "The names of the maturity levels are not confirmed: levels are shown as numbers.",
        "成熟度の各レベルの名称は未確認のため、数字で示しています。"),
    "assess_report_answers": ("Answers", "回答"),
    "assess_report_note": ("Note", "メモ"),
    "assess_report_evidence": ("Evidence files", "証跡ファイル"),
    "assess_report_provisional": ("provisional", "暫定"),
    "assess_report_footer": (
        "A self-assessment: the answers are the organisation's own. Provisional entries of "
        "the catalogues are marked.",
        "自己評価です。回答は組織自身によるものです。カタログの暫定の項目には印を付けています。"),
    "assess_chart_title": ("Maturity: {organisation}", "成熟度: {organisation}"),
    "assess_chart_own": ("{organisation}", "{organisation}"),
    "assess_chart_average": ("Industry average", "業界平均"),
    "assess_status_met": ("met", "満たす"),
    "assess_status_partially-met": ("partially met", "一部満たす"),
    "assess_status_not-met": ("not met", "満たさない"),
    "assess_status_not-applicable": ("not applicable", "対象外"),
    "assess_status_unanswered": ("unanswered", "未回答"),
    "assess_action_answer": ("Answer the question", "設問に回答する"),
    "assess_action_complete": ("Complete the measure", "対策を完成させる"),
    "assess_action_implement": ("Put the measure in place", "対策を導入する"),
}
