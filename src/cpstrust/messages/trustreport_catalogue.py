"""Messages of the trust report (its next steps, its labels): code -> (English, Japanese).
See cpstrust.messages."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # trust.next_steps: what to do next, one code per model.trustreport.StepKind
    "next_get_star_evidence": (
        "ask {organisation} for signed ★{star} evidence: its ★{star} self-declaration or "
        "signed assessment result (`assess run cpsf-star3`, `evidence sign`, `assess sign`), "
        "sent as a bundle for `evidence import`",
        "{organisation} に署名付きの ★{star} 証跡を求める: ★{star} の自己宣言または署名付き"
        "評価結果（`assess run cpsf-star3`、`evidence sign`、`assess sign`）をバンドルで受け取り "
        "`evidence import` する",
    ),
    "next_get_assessor_attestation": (
        "get a ★{star} attestation of {organisation} signed by an assessor whose key the trust "
        "store holds in the assessor role (a self-declaration counts up to ★3 only)",
        "{organisation} について、トラストストアが評価機関の役割で保持する鍵で署名された ★{star} の"
        "評価証明を取得する（自己宣言は ★3 までしか認められません）",
    ),
    "next_renew_evidence": (
        "ask {organisation} for new ★ evidence to replace evidence {id} (expired, or older "
        "than the policy allows)",
        "{organisation} に証跡 {id}（期限切れ、またはポリシーの許す期間より古い）に代わる新しい ★ "
        "証跡を求める",
    ),
    "next_replace_evidence": (
        "evidence {id} of {organisation} does not count ({why}): ask for it signed again by a "
        "key the trust store holds for {organisation} in the role it needs",
        "{organisation} の証跡 {id} は認められません（{why}）。{organisation} について必要な役割で"
        "トラストストアが保持する鍵による再署名を求める",
    ),
    "next_raise_star": (
        "{organisation} attains less than ★{star}: close the gaps `assess report` lists and "
        "ask for the new signed result",
        "{organisation} は ★{star} に達していません: `assess report` が示すギャップを解消し、"
        "新しい署名付き結果を求める",
    ),
    "next_get_signed_sbom": (
        "ask the supplier of {release} for the release signed with its SBOM (`release sign "
        "--sbom`) and keep it with `release import --sbom`",
        "{release} の供給者に SBOM 付きの署名済みリリース（`release sign --sbom`）を求め、"
        "`release import --sbom` で保存する",
    ),
    "next_resign_release": (
        "signed release {id} of {release} no longer counts ({why}): ask for it signed again "
        "with a key the trust store holds, or review the trust store",
        "{release} の署名付きリリース {id} は認められなくなりました（{why}）。トラストストアが保持"
        "する鍵での再署名を求めるか、トラストストアを見直す",
    ),
    "next_attest_device": (
        "attest {device} again (`agent attest` against the verifier)",
        "{device} を再度アテステーションする（検証サーバーに対して `agent attest`）",
    ),
    "next_investigate_device": (
        "isolate and investigate {device}: attestation {id} found it {verdict}; restore the "
        "signed release and attest it again",
        "{device} を隔離して調査する: アテステーション {id} の結果は {verdict}。署名付きリリースを"
        "復元し、再度アテステーションする",
    ),
    "next_fix_vulnerability": (
        "fix {vulnerability} ({severity}, open since {since}; the policy allows {days} days): "
        "update the component or move to a release without it",
        "{vulnerability}（{severity}、{since} から未対応。ポリシーの許容は {days} 日）を修正する: "
        "コンポーネントを更新するか、含まないリリースへ移行する",
    ),
    "next_register_devices": (
        "list the devices of {system} in the supply-chain file (`chain load`)",
        "{system} の機器をサプライチェーンファイルに記載する（`chain load`）",
    ),
    "next_resolve_upstream": (
        "follows from {kind} {name} ({verdict}): resolve that first",
        "{kind} {name}（{verdict}）に由来します: まずそちらを解決する",
    ),
    # formats.trust_report / cli: labels
    "trust_report_title": ("Supply-chain trust report", "サプライチェーン信頼レポート"),
    "trust_report_policy": (
        "Policy {policy}, evaluated {at}",
        "ポリシー {policy}（{at} に評価）",
    ),
    "trust_report_summary": ("Verdicts by kind", "種別ごとの判定"),
    "trust_report_graph": ("The supply chain", "サプライチェーン"),
    "trust_report_graph_caption": (
        "Organisations supply products; releases of a product run on devices, which sit in "
        "zones of sites. Each box names its subject and verdict.",
        "組織が製品を供給し、製品のリリースが機器で動き、機器はサイトのゾーンに置かれます。"
        "各枠に対象と判定を記しています。",
    ),
    "trust_report_more": ("+{count} more", "ほか {count} 件"),
    "trust_report_graph_cut": (
        "Tiers with more than {limit} subjects show the {limit} worst; the tables below list "
        "every subject that is not trusted.",
        "{limit} 件を超える階層は判定の悪い順に {limit} 件を表示します。信頼されていない対象は"
        "すべて下の表にあります。",
    ),
    "trust_report_attention": ("What to do next", "次にすべきこと"),
    "trust_report_attention_caption": (
        "Subjects that are not trusted, worst first, with the reasons and the next steps",
        "信頼されていない対象（判定の悪い順）とその理由・次の手順",
    ),
    "trust_report_all_trusted": ("Every subject is trusted.", "すべての対象が trusted です。"),
    "trust_report_trusted": ("Trusted subjects", "信頼されている対象"),
    "trust_report_requirements": ("CPSF requirements named", "参照した CPSF 要件"),
    "trust_report_unconfirmed": ("provisional", "暫定"),
    "trust_report_steps": ("Next steps", "次の手順"),
    "trust_report_verdict": ("Verdict", "判定"),
    "trust_report_total": ("Total", "合計"),
    "trust_report_written": ("Wrote {path}", "{path} に書き出しました"),
    "trust_report_exit_note": (
        "{count} subjects are untrusted (exit code 1).",
        "{count} 件の対象が untrusted です（終了コード 1）。",
    ),
    "verdict_trusted": ("trusted", "信頼"),
    "verdict_at_risk": ("at risk", "要注意"),
    "verdict_untrusted": ("untrusted", "不信"),
    "verdict_unknown": ("unknown", "不明"),
    "kind_organisation": ("organisation", "組織"),
    "kind_product": ("product", "製品"),
    "kind_release": ("release", "リリース"),
    "kind_device": ("device", "機器"),
    "kind_zone": ("zone", "ゾーン"),
    "kind_system": ("site", "サイト"),
}
