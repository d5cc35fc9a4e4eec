"""`forceplan report PLAN.xlsx`: one self-contained HTML file, numbers as in the plan.

Reports render for a small solved plan and for the bundled example; no external resource
is referenced; text from the workbook is escaped; the figures shown are those of the plan
workbook; the constraint families match the model and models/FORMULATION.md.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from wb import minimal_sheets, write_workbook

from forceplan.audit import FAMILY_ORDER
from forceplan.pipeline import SolveRequest, run_solve
from forceplan.prices import amount
from forceplan.report import default_report_path, write_report
from forceplan.report.build import fmt, price_sentence
from forceplan.report.families import FAMILIES, KINDS

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "ukraine-2026-2035.xlsx"


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORCEPLAN_HOME", str(tmp_path / "home"))


def solve_to(book: Path, **options) -> Path:
    run = run_solve(SolveRequest(book, output=book.with_name(book.stem + ".plan.xlsx"), **options))
    assert run.outcome.status == "optimal", run.outcome.message
    return run.output


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("report")
    return solve_to(write_workbook(folder / "army.xlsx", minimal_sheets()))


@pytest.fixture(scope="module")
def html(plan: Path) -> str:
    result = write_report(plan)
    assert result.html == default_report_path(plan) == plan.with_name("army.plan.report.html")
    assert result.audit_ok is True
    return result.html.read_text(encoding="utf-8")


def assert_self_contained(text: str) -> None:
    """No external script, style sheet, font, image or link of any kind."""
    tags = " ".join(re.findall(r"<[a-zA-Z][^>]*>", text))  # tags only, not the text between
    assert not re.search(r"""\b(?:src|href)\s*=\s*["']?\s*https?://""", tags, re.I)
    links = re.findall(r"""\b(?:src|href|xlink:href|action|poster|srcset)\s*=\s*["']?([^"'\s>]*)""",
                       tags, re.I)  # fmt: skip
    assert all(link.startswith(("#", "data:")) for link in links), links
    assert "@import" not in text
    for url in re.findall(r"url\(\s*['\"]?([^'\")\s]*)", text, re.I):
        assert url.startswith("data:"), url
    assert not re.search(r"<\s*(script|link|iframe|object|embed|img|base)\b", text, re.I)


def card(text: str, ident: str) -> str:
    match = re.search(rf'id="{ident}">([^<]*)<', text)
    assert match, ident
    return match.group(1)


def plan_tables(plan: Path) -> dict[str, pd.DataFrame]:
    return pd.read_excel(plan, sheet_name=None, engine="calamine")


# --- the small plan ---------------------------------------------------------------------


def test_report_has_every_section(html: str) -> None:
    for title in (
        "1. Executive summary",
        "2. Provenance",
        "3. The formulation",
        "4. Results",
        "5. Binding constraints and shadow prices",
        "6. Independent audit",
        "Appendix: input tables",
    ):
        assert title in html
    for chart in (
        "Strength glide path",
        "Strength by trade",
        "Strength by grade",
        "Accessions, separations",
        "Units fielded",
        "Spending by budget line",
        "Funding used by source",
    ):
        assert f'aria-label="{chart}' in html, chart
    assert html.count("<svg") >= 10  # + one per course and per equipment item
    assert "HiGHS ranging" in html


def test_report_is_self_contained(html: str) -> None:
    assert_self_contained(html)


def test_classification_banner_at_top_and_bottom(html: str) -> None:
    body = html[html.index("<body>") :]
    assert body.index('class="banner top"') < body.index("1. Executive summary")
    assert body.rindex('class="banner bottom"') > body.index("Appendix: input tables")
    assert body.count(">UNCLASSIFIED</div>") == 2
    css = html[: html.index("</style>")]
    printed = css[css.index("@media print") :]  # in print: on every page
    assert ".banner.top, .banner.bottom { position: fixed;" in printed


def test_report_numbers_match_the_plan_workbook(plan: Path, html: str) -> None:
    sheets = plan_tables(plan)
    run = dict(zip(sheets["Plan_Run"]["key"], sheets["Plan_Run"]["value"], strict=True))
    assert card(html, "objective-value") == fmt(float(run["objective_value"]))
    budget = sheets["Plan_Budget"]
    assert card(html, "total-cost") == fmt(float(budget["discounted_spend"].sum()))
    assert card(html, "total-spend") == fmt(float(budget["spend"].sum()))
    personnel = sheets["Plan_Personnel"]
    final = float(personnel.loc[personnel["year"] == 2028, "strength"].sum())
    assert f"Final-year (2028) strength <b>{fmt(final)}</b>" in html
    for year, spend in budget.groupby("year")["spend"].sum().items():
        assert f'<td>{year}</td><td class="n">{fmt(float(spend))}</td>' in html
    assert run["input_content_hash"] in html and run["input_sha256"] in html
    constraints = sheets["Plan_Constraints"]
    assert f"{fmt(len(constraints))} rows, {fmt(int(constraints['binding'].sum()))} binding" in html


def test_shadow_prices_are_explained_in_words(plan: Path, html: str) -> None:
    constraints = plan_tables(plan)["Plan_Constraints"]
    row = constraints[(constraints["id"] == "P7") & (constraints["index"] == "total 2026")]
    row = row[row["kind"] == "minimum"].iloc[0].to_dict()
    sentence = price_sentence(row, "min_cost", "UAH")
    assert sentence.startswith("Requiring one more person in total strength in 2026 raises")
    assert amount(abs(row["shadow_price"]), "UAH") in sentence
    assert "the price holds while the minimum stays between" in sentence
    assert sentence in html


def test_price_sentences_read_as_the_issue_asks() -> None:
    funding = {
        "id": "B2",
        "kind": "source money",
        "index": "national 2028",
        "value": 2e8,
        "lower": None,
        "upper": 2e8,
        "shadow_price": -0.83,
    }
    assert price_sentence(funding, "min_cost", "UAH") == (
        "One more UAH of national funding in 2028 lowers total cost by 0.83 UAH "
        "(the maximum binds)."
    )
    seat = {
        "id": "C1",
        "kind": "capacity",
        "index": "basic 2027",
        "value": 1200.0,
        "lower": float("nan"),
        "upper": 1200.0,
        "shadow_price": -55526.2,
    }
    assert price_sentence(seat, "min_cost", "UAH") == (
        "One more basic training seat in 2027 lowers total cost by 55,526 UAH (the maximum binds)."
    )
    assert price_sentence(seat | {"shadow_price": 2.5}, "max_capability", "UAH") == (
        "One more basic training seat in 2027 raises capability by 2.5 points (the maximum binds)."
    )
    ranged = seat | {"side": "max", "valid_from": 1100.0, "valid_to": 1234.5, "price_note": ""}
    assert price_sentence(ranged | {"shadow_price": -7.7e10}, "min_cost", "UAH") == (
        "One more basic training seat in 2027 lowers total cost by 77 bn UAH (the maximum "
        "binds; the price holds while the maximum stays between 1,100 and 1,234)."
    )
    units = {
        "id": "U1",
        "kind": "unit limits",
        "index": "battalion 2027",
        "value": 2.0,
        "lower": 2.0,
        "upper": 4.0,
        "shadow_price": 2.0e6,
    }
    assert price_sentence(units, "min_cost", "UAH").startswith(
        "Requiring one more battalion unit in 2027 raises total cost by 2 mn UAH"
    )


def test_formulation_families_match_the_model_and_formulation_md(plan: Path) -> None:
    constraints = plan_tables(plan)["Plan_Constraints"]
    found = set(zip(constraints["id"], constraints["kind"], strict=True))
    assert found <= set(KINDS), found - set(KINDS)
    text = (ROOT / "models" / "FORMULATION.md").read_text(encoding="utf-8")
    for fid in FAMILIES:
        assert f"**{fid}" in text, fid
        assert fid in FAMILY_ORDER  # the audit checks the same families
    assert {fid for fid, _kind in KINDS} == set(FAMILIES)


def test_workbook_text_is_escaped(tmp_path: Path) -> None:
    sheets = minimal_sheets()
    evil_trade = "<b>sig</b>"
    for rows in sheets.values():
        for row in rows:
            for i, value in enumerate(row):
                if value == "signals":
                    row[i] = evil_trade
    sheets["Settings"][3][1] = '<script>alert("x")</script>'
    sheets["Settings"].append(["classification", "SECRET <img src=x onerror=alert(1)>"])
    book = write_workbook(tmp_path / "evil.xlsx", sheets)
    wb = openpyxl.load_workbook(book)
    cell = wb["UnitTypes"]["B2"]
    cell.value = '=HYPERLINK("http://evil.example/x","click")'
    cell.data_type = "s"  # text that looks like a formula, as a user may type it
    wb.save(book)
    text = write_report(solve_to(book)).html.read_text(encoding="utf-8")
    assert "<script>alert" not in text and "&lt;script&gt;alert(&#34;x&#34;)" in text
    assert "<b>sig</b>" not in text and "&lt;b&gt;sig&lt;/b&gt;" in text
    assert "<img" not in text and "SECRET &lt;img src=x onerror=alert(1)&gt;" in text
    assert "=HYPERLINK(&#34;http://evil.example/x&#34;" in text
    assert_self_contained(text)


def test_report_needs_neither_pyomo_nor_the_solver(plan: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    code = (
        "import sys\n"
        f"sys.argv = ['forceplan', 'report', {str(plan)!r}, '-o', {str(out)!r}, '-q']\n"
        "from forceplan import cli\n"
        "try:\n"
        "    cli.main()\n"
        "except SystemExit as exc:\n"
        "    code = exc.code\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pyomo', 'highspy')), code)\n"
    )
    env = dict(os.environ, FORCEPLAN_HOME=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["[]", "0"] or result.stdout.split() == ["[]", "None"]
    assert out.exists()


def test_report_shows_a_failed_audit(plan: Path, tmp_path: Path) -> None:
    book = openpyxl.load_workbook(plan)
    ws = book["Plan_Personnel"]
    ws["D2"] = float(ws["D2"].value) + 7
    tampered = tmp_path / "tampered.plan.xlsx"
    book.save(tampered)
    result = write_report(tampered, tmp_path / "tampered.html")
    assert result.audit_ok is False
    text = result.html.read_text(encoding="utf-8")
    assert '<span class="badge bad">FAILED</span>' in text
    assert 'FAIL</span></td><td class="n">' in text


def test_output_must_not_replace_the_plan(plan: Path) -> None:
    from forceplan.errors import ForceplanError

    with pytest.raises(ForceplanError, match="HTML file"):
        write_report(plan, plan)


def test_pdf(plan: Path, tmp_path: Path) -> None:
    pytest.importorskip("weasyprint", exc_type=ImportError)
    result = write_report(plan, tmp_path / "army.html", pdf=True)
    assert result.pdf == tmp_path / "army.pdf"
    data = result.pdf.read_bytes()
    assert data.startswith(b"%PDF-") and len(data) > 20_000


# --- the bundled example ----------------------------------------------------------------


@pytest.mark.skipif(not EXAMPLE.exists(), reason="the bundled example is not in this checkout")
def test_example_report(tmp_path: Path) -> None:
    book = tmp_path / EXAMPLE.name
    book.write_bytes(EXAMPLE.read_bytes())
    plan = solve_to(book)
    started = time.perf_counter()
    result = write_report(plan)
    seconds = time.perf_counter() - started
    text = result.html.read_text(encoding="utf-8")
    assert_self_contained(text)
    assert result.audit_ok is True
    assert "against the EndStrength target of <b>800,000</b>" in text
    assert '<span class="ok">met</span>' in text
    sheets = plan_tables(plan)
    run = dict(zip(sheets["Plan_Run"]["key"], sheets["Plan_Run"]["value"], strict=True))
    assert card(text, "objective-value") == fmt(float(run["objective_value"]))
    assert "UNCLASSIFIED - illustrative example" in text
    for sheet in ("Personnel", "Funding", "EndStrength", "Sources"):  # every input table
        assert f'id="sheet-{sheet}"' in text
    assert seconds < 30, seconds


def test_mip_plan_prices_are_given_the_integers(tmp_path: Path) -> None:
    """MODEL.md §8.8: a MIP's prices are those of the LP with its integer decisions fixed."""
    book = write_workbook(tmp_path / "whole.xlsx", minimal_sheets())
    text = write_report(solve_to(book, integer_units=True)).html.read_text(encoding="utf-8")
    assert "with the whole units and items chosen held fixed" in text
    assert "integer_units TRUE" in text
    assert_self_contained(text)


def test_elastic_plan_lists_its_shortfalls(tmp_path: Path) -> None:
    sheets = minimal_sheets()
    sheets["EndStrength"][1] = [2026, 2500, 2600]  # beyond what recruiting allows
    plan = solve_to(write_workbook(tmp_path / "tight.xlsx", sheets), elastic=True)
    result = write_report(plan)
    assert result.audit_ok is True
    text = result.html.read_text(encoding="utf-8")
    shortfalls = plan_tables(plan)["Plan_Shortfalls"]
    assert len(shortfalls)
    first = shortfalls.iloc[0]
    assert f'<td>{first["where"]}</td><td class="n">{int(first["year"])}</td>' in text
    assert "This plan does not meet every requirement" in text
    assert '<span class="bad">no</span>' in text  # the strength band is missed in 2026
