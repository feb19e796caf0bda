"""`cpstrust report --product P`: one self-contained HTML page (or JSON with the same
facts) on the demo: the dependency path to each vulnerable component, VEX statuses, the
quality `sbom check` gives; in Japanese; untrusted SBOM content escaped; and the
portfolio report's contract kept."""

from __future__ import annotations

import json
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from clirun import ok, run

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "src" / "cpstrust" / "demo"
DATA = REPO / "tests" / "data" / "report"
MBS_SBOM = DEMO / "sboms" / "mbs-bac200-5.1.2.cdx.xml"
# Elements that make a browser fetch or run something.
_LOADING = {"script", "link", "img", "iframe", "object", "embed", "video", "audio", "source",
            "picture", "frame", "base", "form", "svg", "image"}


class Page(HTMLParser):
    """What a reader (or a browser) meets in the page: tags with their attributes, the
    text, each dependency path's steps, and the style sheet."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.texts: list[str] = []
        self.paths: list[list[str]] = []
        self.style = ""
        self._in: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "ol" and dict(attrs).get("class") == "path":
            self.paths.append([])
        if tag == "li" and self._in and self._in[-1] == "ol.path":
            self.paths[-1].append("")
        self._in.append("ol.path" if tag == "ol" and dict(attrs).get("class") == "path"
                        else tag)

    def handle_endtag(self, tag: str) -> None:
        while self._in:
            if self._in.pop().split(".")[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._in and self._in[-1] == "style":
            self.style += data
            return
        self.texts.append(data)
        if len(self._in) >= 2 and self._in[-1] == "li" and self._in[-2] == "ol.path":
            self.paths[-1][-1] += data

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.texts).split())

    def named(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("CPSTRUST_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CPSTRUST_DATABASE_URL", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("COLUMNS", "200")
    ok("demo")
    yield tmp_path / "home"


def _html(*args: str) -> Page:
    return Page(ok("report", *args, "--format", "html"))


def _assert_loads_nothing(page: Page) -> None:
    assert not {tag for tag, _ in page.tags} & _LOADING
    for _, attrs in page.tags:
        for name, value in attrs.items():
            if name in ("href", "src", "action", "srcset", "poster", "data"):
                assert value is not None and value.startswith("#"), (name, value)
    assert "url(" not in page.style and "@import" not in page.style
    (policy,) = [a["content"] for a in page.named("meta")
                 if a.get("http-equiv") == "Content-Security-Policy"]
    assert policy is not None and policy.startswith("default-src 'none'")


def test_the_html_report_shows_paths_vex_and_quality_and_loads_nothing(
        home: Path, tmp_path: Path) -> None:
    ok("vex", "import", str(DATA / "mbs-bac200.openvex.json"))
    out = tmp_path / "mbs.html"
    code, _, err = run("report", "--product", "MBS-BAC200", "--format", "html", "--out", str(out))
    assert code == 0 and "mbs.html" in err
    page = Page(out.read_text("utf-8"))
    assert page.named("html") == [{"lang": "en"}]
    _assert_loads_nothing(page)
    assert ["MBS-BAC200 5.1.2", "bac200-web-console 5.1.2", "Flask 2.2.2",
            "Werkzeug 2.2.2"] in page.paths
    assert ["MBS-BAC200 5.1.2", "lxml 4.6.2"] in page.paths
    assert ("not affected justification: vulnerable_code_not_in_execute_path in "
            f"{DATA / 'mbs-bac200.openvex.json'} (stored VEX 1) at /statements/0") in page.text
    assert "under investigation" in page.text
    checked = json.loads(ok("sbom", "check", str(MBS_SBOM), "--format", "json"))
    for framework in checked["frameworks"]:
        assert f"{framework['title']}: {framework['score']}%" in page.text
    # Headings and table headers for screen readers.
    assert len(page.named("h1")) == 1 and len(page.named("caption")) == len(page.named("table"))
    assert {a.get("scope") for a in page.named("th")} == {"col", "row"}


def test_the_json_report_has_the_facts_the_html_shows(home: Path) -> None:
    facts = json.loads(ok("report", "--product", "HC-Gateway", "--version", "3.2.0",
                          "--format", "json"))
    page = _html("--product", "HC-Gateway", "--version", "3.2.0")
    assert facts["version"] == "3.2.0" and facts["releases"] == ["3.2.0", "3.4.0"]
    assert len(facts["findings"]) == facts["summary"]["findings"] == 9
    for finding in facts["findings"]:
        assert finding["vulnerability_id"] in page.text
    shown = [[f"{s['name']} {s['version']}" for s in p["path"]]
             for p in facts["dependency_paths"]]
    assert sorted(shown) == sorted(page.paths)
    assert ["HC-Gateway 3.2.0", "urllib3 1.26.4"] in shown
    for component in facts["components"]:
        assert component["name"] in page.text
    checked = json.loads(ok("sbom", "check", str(DEMO / "sboms" / "hc-gateway-3.2.0.cdx.json"),
                            "--format", "json"))
    assert facts["quality"] == {k: v for k, v in checked.items() if k != "source"}


def test_the_japanese_report_is_in_japanese(home: Path) -> None:
    page = Page(ok("--lang", "ja", "report", "--product", "MBS-BAC200", "--format", "html"))
    assert page.named("html") == [{"lang": "ja"}]
    assert "MBS-BAC200 5.1.2 サプライチェーン報告書" in page.text
    for label in ("コンポーネント別の脆弱性", "製品からの依存経路", "深刻度", "SBOM の品質",
                  "ライセンス分類", "許容型", "重要"):
        assert label in page.text
    for english in ("Vulnerabilities by component", "Dependency path", "Severity",
                    "Licence class"):
        assert english not in page.text
    _assert_loads_nothing(page)


def test_sbom_content_is_escaped(home: Path, tmp_path: Path) -> None:
    hostile = "<script>alert(1)</script>"
    bom = tmp_path / "bom.json"
    bom.write_text(json.dumps({
        "bomFormat": "CycloneDX", "specVersion": "1.5",
        "metadata": {"component": {"type": "device", "bom-ref": "root", "name": hostile}},
        "components": [{"type": "library", "name": hostile, "version": "2.2.2",
                        "bom-ref": "w", "purl": "pkg:pypi/werkzeug@2.2.2",
                        "licenses": [{"license": {"name": "<img src=https://x.example/a>"}}]}],
        "dependencies": [{"ref": "root", "dependsOn": ["w"]}]}))
    product = '"><img src="https://x.example/p.png">'
    ok("sbom", "import", str(bom), "--product", product, "--version", "1",
       "--supplier", "<b>Evil</b>")
    html = ok("report", "--product", product, "--format", "html")
    assert hostile not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    page = Page(html)
    _assert_loads_nothing(page)
    assert page.named("b") == []
    assert [hostile, f"{hostile} 2.2.2"] in page.paths  # shown, as text
    assert product in page.text and "<b>Evil</b>" in page.text


def test_the_portfolio_report_keeps_its_contract(home: Path) -> None:
    code, out, _ = run("report", "--fail-on", "high")
    assert code == 1 and "Supply-chain vulnerability report" in out
    assert run("report", "--fail-on", "critical")[0] == 0
    for misuse in (("--format", "html"), ("--version", "3.2.0"),
                   ("--policy", str(DATA / "licences.yaml"))):
        code, _, err = run("report", *misuse)
        assert code == 2 and "--product" in err
    code, _, err = run("report", "--product", "MBS-BAC200", "--out", "x.txt")
    assert code == 2 and "--format html" in err
    code, _, err = run("report", "--product", "Nothing", "--format", "json")
    assert code == 2 and "Nothing" in err


def test_fail_on_counts_the_products_open_findings(home: Path) -> None:
    code, out, _ = run("report", "--product", "MBS-BAC200", "--fail-on", "high")
    assert code == 1
    assert "MBS-BAC200 → bac200-web-console → Flask → Werkzeug" in out
    ok("vex", "import", str(DATA / "mbs-bac200.openvex.json"))
    assert run("report", "--product", "MBS-BAC200", "--fail-on", "high")[0] == 0
    assert run("report", "--product", "MBS-BAC200", "--fail-on", "any")[0] == 1
