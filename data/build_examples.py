"""Build the bundled Ukraine example workbooks from the data declared in this file.

    .venv/bin/python data/build_examples.py

writes, byte for byte the same on every run,

    data/ukraine-2026-2035.xlsx        the base case: from the wartime force to the
                                       800,000 peacetime army, 2026-2035
    data/ukraine-austere.xlsx          the same with 20% less money and unit floors at 70%:
                                       the plan chooses which capability to give up

and copies both into forceplan/examples/ (shipped as package data:
`forceplan template x.xlsx --example ukraine-2026-2035`).

Every figure below sits next to a short source tag. The tags are explained in SOURCES
(public estimates, with the address and date) or in ASSUMPTIONS (values we chose, with the
reason). The workbook's `Sources` sheet is generated from the same tables, so it lists
every figure the workbook uses. All money is in UAH as plain numbers, converted at the
rates in FX. The figures are open-source estimates (late 2025 to early 2026), not official
data; the example is a planning illustration, not a plan.
"""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
EXAMPLES = ROOT / "forceplan" / "examples"
BASE_NAME = "ukraine-2026-2035"
AUSTERE_NAME = "ukraine-austere"

YEARS = list(range(2026, 2036))
BASE_YEAR = 2025  # the base state (initial strengths, stocks, units) is the end of 2025
M = 1_000_000
BN = 1_000_000_000

# fmt: off
# ---------------------------------------------------------------------------------------
# Sources and assumptions: tag -> (source, date). Estimates cite the public figures file
# (/work/shared/data/ukraine-public-figures.md); assumptions say why the value was chosen.
# ---------------------------------------------------------------------------------------

SOURCES: dict[str, tuple[str, str]] = {
    "peace-plan": (
        "20-point peace plan: 800,000 peacetime army (uanews.net/en/post/147111; "
        "newsgram.com 2025/12/26)",
        "2025-12",
    ),
    "force-size": (
        "wartime army ~880,000-900,000 (news.liga.net, Zelenskyy on force sizes; NYT via "
        "Dec 2025 reporting)",
        "2025-12",
    ),
    "intake": ("intake ~30,000 per month (pravda.com.ua/eng/news/2025/04/9/7506725)", "2025-04"),
    "corps": (
        "corps reform: 13 ground corps, 2 air-assault, 1 marine, ~5 brigades per corps; "
        "110+ brigades on the front (Kyiv Post; secondary reporting)",
        "2025",
    ),
    "brigade-size": (
        "mechanised brigade ~3,000-5,000, some ~2,300 in practice (espreso.tv; Forbes)",
        "2025",
    ),
    "pay-2023": ("base pay of a rifleman ~UAH 20,000/month (kyivindependent.com)", "2023"),
    "pay-2026": (
        "rear-area minimum UAH 30,000/month after the 2026 reform (mod.gov.ua, service "
        "durations and remuneration reform)",
        "2026-01",
    ),
    "pay-front": (
        "front-line supplement +UAH 100,000/month; HQ / other combat-task supplements "
        "+50,000 / +30,000 (foreigners.navigator.pryncyp.org)",
        "2025",
    ),
    "pay-structure": (
        "pay = position salary + rank pay + seniority (5-50%) + service-conditions "
        "allowance (>= 65%) + bonus (armyinform.com.ua 2026/01/15)",
        "2026-01-15",
    ),
    "contract-1824": (
        "contract 18-24: UAH 1 million bonus + 120,000/month (mod.gov.ua)",
        "2025",
    ),
    "budget-2025": (
        "2025 defence budget UAH 2.23 tn: 1.16 tn pay, 739 bn weapons, 46.9 bn drones "
        "(ukranews.com/en/news/1048235)",
        "2025",
    ),
    "budget-2026": (
        "2026 defence budget UAH 2.8 tn (~$66 bn, 27.2% of GDP); external need $49.2 bn "
        "(anews.com.tr 2025/12/03)",
        "2025-12-03",
    ),
    "need-2026": (
        "2026 total need ~$120 bn, half from partners (censor.net/en/news/3583257)",
        "2025-12",
    ),
    "eu-loan": (
        "EU loan EUR 90 bn for 2026-27, agreed 19 Dec 2025 (polskieradio.pl)",
        "2025-12-19",
    ),
    "purl": (
        "PURL: ~$0.5 bn packages, target ~$1 bn/month; ~$3.3 bn pledged by Nov 2025 "
        "(news.antiwar.com 2025/11/13)",
        "2025-11-13",
    ),
    "udcg": ("Contact Group commitments > $98 bn since 2022 (interfax.com.ua)", "2025"),
    "leopard": ("Leopard 2A8 ~EUR 28-29 m with support package (defence-industry.eu; dpa)", "2025"),
    "cv90": ("CV90 ~$8-11 m (babel.ua/en/news/113359)", "2025"),
    "bradley": ("Bradley ~$3 m, weak source (militaryleak.com)", "2025"),
    "caesar": ("CAESAR howitzer EUR 3-4 m (menafn.com)", "2025"),
    "bohdana": (
        "Bohdana ~$2.5 m; production 15-20 per month (kyivpost.com; news.liga.net)",
        "2025",
    ),
    "iris-t": ("IRIS-T SLM ~EUR 140 m per fire unit (press reporting)", "2025"),
    "patriot": ("Patriot > $1 bn per battery; ~$4 m per interceptor (nolabels.org)", "2025"),
    "fpv": (
        "FPV drone ~UAH 24,000: 4.5 m drones for UAH 110 bn in 2025 (kyivindependent.com)",
        "2025",
    ),
    "vampire": (
        "heavy bomber drone 'Vampire' ~$10,000 (gagadget, citing the digital ministry)",
        "2025",
    ),
    "eumam": (
        "EUMAM: 60,000 trained by Aug 2024, 75,000 by Feb 2025; EUR 409 m budget to Nov 2026 "
        "(kyivindependent.com)",
        "2025-02",
    ),
    "interflex": (
        "Operation Interflex: > 56,000 by Jun 2025; courses 5-7 weeks; GBP 247 m in 2025 "
        "(miragenews.com)",
        "2025-06",
    ),
    "basic-training": (
        "basic training 45 days to 2 months + 14 days adaptation in the brigade; "
        "20,000-35,000 concurrent trainees in > 25 centres (bukvy.org)",
        "2025",
    ),
    "training-cost": ("cost per recruit trained ~UAH 100,000 (menafn.com)", "2025"),
    "awol": (
        "AWOL cases 6,988 (2022), 17,658 (2023), 67,840 (2024), 110,511 (Jan-Jul 2025) "
        "(censor.net/en/news/3570669); 235,646 AWOL, 53,954 desertion to Sep 2025, ~29,000 "
        "returned (babel.ua/en/news/122198)",
        "2025-09",
    ),
    "wounded": ("about half of the wounded return to duty (pravda.com.ua)", "2025-02"),
    "nbu-target": (
        "Національний банк України: inflation target 5% +/- 1 pp (bank.gov.ua, monetary "
        "policy strategy)",
        "2025",
    ),
    "budget-law-2026": (
        "Закон України «Про Державний бюджет України на 2026 рік»: defence and security "
        "UAH 2.8 tn (anews.com.tr 2025/12/03)",
        "2025-12-03",
    ),
}
#: Tags whose figures are official (a law, an agreement, a ministry's published rate):
#: "measured" on the Sources sheet; the other SOURCES are "estimate".
MEASURED = {"peace-plan", "pay-2026", "contract-1824", "budget-2025", "budget-2026",
            "eu-loan", "nbu-target", "budget-law-2026"}

#: Values we chose, and why. Every one is marked "assumption" on the Sources sheet.
ASSUMPTIONS: dict[str, str] = {
    "fx": "round conversion rates near the NBU official rates of late 2025 (USD ~41-42, "
    "EUR ~48-49 UAH); one fixed rate for the whole horizon",
    "scenario": "scenario choice: the fighting freezes along a line that must still be held; "
    "the force draws down to the peace-plan ceiling and replaces mobilised personnel with "
    "contract soldiers",
    "pay": "monthly cash and average line-duty supplement chosen between the public pay "
    "figures (rear minimum 30,000; front-line +100,000 for about one person-month in four); "
    "overhead (food, kit, housing, medical, admin) a round share of cash pay",
    "premium": "flight pay and special-forces allowances; no public figure, 10% chosen",
    "bonus": "general contract signing bonus: a tenth of the 18-24 programme's UAH 1 m, "
    "as that programme is targeted and capped",
    "reenlist": "re-enlistment bonus for mobilised personnel signing a contract: set "
    "between the general signing bonus and the 18-24 programme's UAH 1 m",
    "separation": "one-off discharge payment, about three months of cash pay",
    "call-up": "call-up centre processing, medical board and kit issue per mobilised person",
    "officer-recruiting": "officer selection and commissioning grant for a graduate joining "
    "as a junior officer",
    "overstrength": "career personnel without a post still cost housing and administration; "
    "mobilised personnel above establishment cost nothing extra (they are the draw-down pool)",
    "overstrength-max": "career soldiers without a post (in transit, awaiting a unit) "
    "are capped at 10% of a class's end-2025 strength + 500: the plan cannot hold 800,000 "
    "soldiers and disband the units they serve in",
    "attrition": "annual losses (killed, wounded not returning, AWOL, end of contract, "
    "retirement); AWOL alone ran at ~190,000 a year in 2025, so wartime classes get the "
    "highest rates; lower for career grades",
    "structure": "no public order of battle; counts chosen to match ~110+ brigades on the "
    "front, 13+2+1 corps of ~5 brigades, and the 800,000 ceiling from 2029",
    "toe": "no public TO&E; chosen inside the public brigade-strength range (3,000-5,000 "
    "for a mechanised brigade) with a NATO-like grade pyramid",
    "institutional": "posts outside brigades (General Staff, corps and regional HQs, "
    "recruiting centres, training base, hospitals, depots, repair plants, air bases); no "
    "public figure, ~205,000 chosen (about a quarter of the 800,000 force)",
    "demob": "no demobilisation law yet: discharge capacity (medical boards, paperwork) "
    "chosen above the yearly discharges the service limit implies",
    "service-limit": "no demobilisation law yet; the draft discussed in 2025 limits "
    "mobilised service to 36 months: 3 years counted from the freeze with credit for the "
    "longest-serving (a fifth of the end-2025 mobilised leave in 2026)",
    "contract-term": "first contract term of 5 years (NATO armies: 4-6); at its end a "
    "soldier is promoted to NCO, goes to the reserve or leaves; the end-2025 contract "
    "force mostly signed in 2024-25",
    "mobilisation": "mobilisation continues at a falling rate in 2026-2027 and stops in 2028",
    "glide": "straight glide path from ~888,000 to the 800,000 ceiling in 2029, held after",
    "courses": "capacities chosen from the public concurrent-trainee figures (20,000-35,000 "
    "at any time, i.e. ~150,000-200,000 a year at 2 months each) and course lengths",
    "academy": "NCOs promoted to officer study 18 months at the National Army Academy "
    "before their first officer post (C2, duration_years 1.5: out of duty all of the first "
    "year and half of the second); the fee is paid once, at entry (1.5 x 300,000 UAH); a "
    "seat is a trainee on the course in a year, both years counted. University graduates "
    "keep the short officer_course (a longer one for them left no plan in 2026: the force "
    "needs its new officers at once); officers' end-2025 strength +8% (on courses)",
    "partner-courses": "partner-run courses are paid by the partner (cost 0 to Ukraine); "
    "mandates assumed extended one year past their announced end and then closed",
    "equipment-price": "no public unit price found; order of magnitude from comparable "
    "systems",
    "equipment-use": "upkeep as a share of price, wear-out/expenditure rate, lead time and "
    "production limit: round planning values; consumables (drones, shells, interceptors) "
    "get high 'attrition' = yearly expenditure",
    "equipping": "no public table of equipment; holdings per unit chosen to be plausible "
    "for a NATO-style unit of that type",
    "stocks": "inventories are classified; initial stocks chosen to equip the 2025 "
    "structure; donations and contracted deliveries follow announced pledges in order of "
    "magnitude",
    "funding": "the share of the defence budget spent by the Armed Forces (~70% of the "
    "2026 budget of UAH 2.8 tn; the rest pays other security forces and wartime operations), "
    "the defence share of the EU loan (two thirds) and the outer-year amounts are not public",
    "purl-only": "US-made systems are bought for Ukraine by partners through PURL; the "
    "national budget and the EU loan (European preference) are assumed not to pay for them",
    "capability": "planning weights for the max_capability objective, relative to a "
    "contract mechanised brigade = 10",
    "units-cost": "unit running cost (fuel, training ammunition, infrastructure) and "
    "stand-up cost (barracks, ranges, initial stocks other than major equipment)",
    "ratios": "grade pyramid and trade mix bounds chosen around the planned structure",
    "line-limits": "yearly cap on recruiting and bonuses (a budget decision)",
    "penalties": "elastic-mode prices: a funding gap costs 10 per UAH, so money is the first "
    "thing to give; people, units and equipment cost far more than they would to provide, so "
    "they fall short only where money cannot help",
    "limited-duty": "half of the wounded return to duty; a share of them serve on limited "
    "duty at half availability, capped per class",
    "pool": "voluntary recruiting pool after the freeze; below the wartime intake of "
    "~360,000 a year",
    "peace-pay": "the line-duty supplement (front-line +100,000/month for about one "
    "person-month in four) phases out after the freeze: full in 2026, half in 2027, a fifth "
    "in 2028, none from 2029 (PersonnelYears.annual_cost)",
    "peace-attrition": "losses fall from wartime rates (AWOL, killed, wounded) in 2026 to "
    "peacetime turnover (end of contract, retirement) from 2028, a third of the way in 2027 "
    "(PersonnelYears.attrition_rate); NATO armies lose 7-10% of contract soldiers a year",
    "reserve": "a reserve component (one class per trade) of discharged mobilised and "
    "contract soldiers: training days and a retainer, no post; the peace plan's army needs a "
    "trained reserve to be credible",
    "reserve-size": "reserve band from 2029: at least 150,000 trained reservists (a fifth of "
    "the active force)",
    "move-eligible": "only the part of a grade that has served long enough (about two years "
    "in four) may be promoted or cross-trained in a year",
    "smoothing": "recruiting offices and training bases cannot swing year to year: each "
    "class's intake may change by 15% of its end-2025 strength (at least 300), all intake by "
    "30,000 a year (issue 15's measurement: 5%/10,000 leaves no plan)",
    "steady": "the plan must end in a year that can be repeated (terminal = steady): no "
    "collapse of intake, training or renewals in 2035",
    "ld-share": "wounded returning to limited duty are a fact: at least 1% of every career "
    "class (up to the 3% cap)",
    "peace-use": "in peacetime, consumables are used in training only (a share of the stock "
    "per year: shells 8%, FPV 25%, other drones and missiles 5-15%); the freeze year 2026 "
    "still uses them at wartime rates (EquipmentYears.attrition_rate)",
    "war-reserve": "an explicit war-reserve stock built up to 2030 outside units "
    "(EquipmentYears.requirement): 1 m rounds of 155 mm, 1.5 m FPV drones, 100,000 "
    "interceptor drones, 400 PAC-3",
    "om-training": "unit O&M no longer includes training ammunition and drones (now the "
    "equipment's peacetime expenditure): a fifth lower than the wartime figure",
    "fx-path": "start near the NBU rates of late 2025 (42 UAH/USD, 48 UAH/EUR); the hryvnia "
    "loses 3% a year against both",
    "price-index": "UAH prices of the national lines rise with the NBU target: 2026 = 1, "
    "then 6% (2027), 5% a year after; foreign prices follow the exchange-rate path instead",
    "payment-profile": "long-lead items are paid as they are built: tanks, IFVs and air "
    "defence fire units over 3 years, Patriot batteries over 4, fighters over 3 (30/40/30%)",
    "fixed-spending": "payments still due in 2026-2028 on contracts signed before 2026 "
    "(CAESAR, IRIS-T, CV90, Bohdana, F-16 support already contracted); no public figure",
    "expiry": "the EU loan's defence money must be spent within 2 years of its tranche "
    "(expires_after = 2), or it lapses",
    "spending-order": "spend the expiring EU loan first, then other partners and PURL, the "
    "national budget last (Funding.priority 1/2/2/3)",
    "integer": "whole units (integer_units) and whole major items (Equipment.integer: "
    "tanks, IFVs, howitzers, launchers, fire units, aircraft)",
    "budget-binds": "the Armed Forces' share of the national budget (0.92 tn UAH in 2026 "
    "beside 0.72 tn of EU loan, 1.7-2.1 tn from 2029; nominal): set so that the "
    "cheapest plan that keeps the unit floors and the 800,000 army fits in 78% of it (the "
    "floors stay affordable at 0.8x of all money) and every extra hryvnia buys capability "
    "(heavy brigades, aircraft): money, not people, limits capability - what a minister "
    "must choose",
    "heavy-brigade": "a mechanised brigade re-equipped with Western IFVs and tanks (CV90, "
    "Leopard 2): same people as a contract brigade, more capability, much more money; "
    "every mechanised brigade may be re-equipped by 2033 (mech_brigade floor 0 from 2033, "
    "heavy_brigade up to 60), as fast as Leopard 2 (300 a year) and CV90 (400 a year) "
    "production allows",
}

# Conversion rates: UAH per unit of foreign currency in 2026 (tag "fx"), and the yearly
# fall of the hryvnia after it (tag "fx-path").
FX = {"UAH": 1.0, "USD": 42.0, "EUR": 48.0}
FX_DRIFT = 0.03
# Whole units and whole major items (tag "integer") make the model a MIP: measured
# 2026-11-28 on the loaded 2-core box, min_cost with integer_units took 379 s against 33 s
# for the LP (11.5x; the optimum 0.003% dearer); whole items too found no solution in
# 60 s. Off in the bundled example; set True here to try. Measured again side by side
# with the LP (bench/mip_example.py, bench/RESULTS.md "issue20e"): whole units min_cost
# 5.8x the LP, max_capability not proven at 10x (gap 0.07 %); whole items alone 1.7x
# with `solve --hold-whole`.
INTEGER = False


def fx(currency: str, year: int) -> float:
    """UAH per unit of `currency` in `year` (the ExchangeRates path)."""
    return round(FX[currency] * (1 + FX_DRIFT) ** (year - YEARS[0]), 4)


#: Price index of the UAH budget lines (tag "price-index"): 2026 = 1.
INFLATION = {2027: 0.06}  # then 5% a year (the NBU target)


def price_index(year: int) -> float:
    level = 1.0
    for y in YEARS[1:]:
        if y > year:
            break
        level *= 1 + INFLATION.get(y, 0.05)
    return round(level, 6)

# ---------------------------------------------------------------------------------------
# Trades and grades
# ---------------------------------------------------------------------------------------

TRADES = [
    # trade, description
    ("infantry", "infantry and air-assault riflemen, guards"),
    ("armour", "tank and IFV crews"),
    ("artillery", "tube and rocket artillery, mortars"),
    ("air_defence", "ground-based air defence"),
    ("unmanned_systems", "drone operators (Unmanned Systems Forces)"),
    ("engineers", "combat engineers, demining"),
    ("signals_ew", "signals, cyber and electronic warfare"),
    ("logistics", "supply, transport, fuel"),
    ("maintenance", "repair and recovery"),
    ("medical", "combat medics, medical staff"),
    ("aviation", "aircrew and air-base staff"),
    ("marines", "naval infantry and naval personnel"),
    ("special_ops", "special operations forces"),
    ("intelligence", "reconnaissance and intelligence"),
    ("staff_admin", "headquarters, personnel, finance, recruiting"),
]
TRADE_NAMES = [t for t, _ in TRADES]

GRADES = ["mobilised", "contract_soldier", "nco", "junior_officer", "senior_officer"]

#: Pay per grade (UAH). annual_cost = 12 x (cash + line-duty supplement) + overhead.
PAY = {
    # grade: (monthly cash, average line-duty supplement per month, overhead per year), tag
    "mobilised": ((30_000, 25_000, 300_000), "pay"),  # rear minimum; +100,000 x 1/4
    "contract_soldier": ((40_000, 25_000, 300_000), "pay"),  # + contract allowance 10,000
    "nco": ((50_000, 25_000, 300_000), "pay"),
    "junior_officer": ((60_000, 25_000, 330_000), "pay"),
    "senior_officer": ((80_000, 12_500, 390_000), "pay"),  # HQ duty: +50,000 x 1/4
}
TRADE_PAY_PREMIUM = {"aviation": (0.10, "premium"), "special_ops": (0.10, "premium")}


#: Share of the line-duty supplement still paid in a year (tag "peace-pay"); 0 after 2028.
SUPPLEMENT_SHARE = {2026: 1.0, 2027: 0.5, 2028: 0.2}


def annual_cost(trade: str, grade: str, year: int | None = None) -> float:
    """Pay per person-year; `year` None = peacetime (no line-duty supplement)."""
    (cash, supplement, overhead), _tag = PAY[grade]
    share = SUPPLEMENT_SHARE.get(year, 0.0) if year is not None else 0.0
    premium = TRADE_PAY_PREMIUM.get(trade, (0.0, ""))[0]
    return round((12 * (cash + share * supplement) + overhead) * (1 + premium), -3)


#: Peacetime attrition per career grade (tag "peace-attrition"): the wartime rate of
#: GRADE_FLOWS holds in 2026, a third of the way down in 2027, this rate from 2028.
PEACE_ATTRITION = {"contract_soldier": 0.08, "nco": 0.05, "junior_officer": 0.05,
                   "senior_officer": 0.04}


def attrition(grade: str, year: int) -> float:
    war = GRADE_FLOWS[grade][0]
    peace = PEACE_ATTRITION.get(grade, war)
    if year <= 2026:
        return war
    return round(war - (war - peace) / 3, 4) if year == 2027 else peace


#: The reserve component (tag "reserve"): one class per trade, grade RESERVE_GRADE.
RESERVE_GRADE = "reservist"
RESERVE = {"annual_cost": 40_000, "attrition_rate": 0.10, "transfer_cost": 10_000}
RESERVE_MIN = (150_000, 2029, "reserve-size")  # EndStrength component=reserve from 2029
MOVE_ELIGIBLE = ({"contract_soldier": 0.5, "nco": 0.5, "junior_officer": 0.5},
                 "move-eligible")
STEP_SHARE, STEP_FLOOR, STEP_TOTAL = 0.15, 300, 30_000  # tag "smoothing"
LD_SHARE_MIN = (None, "ld-share")  # 0.01 leaves no plan with terminal = steady


#: End-2025 strength above the posts (tag "toe"): in training, on limited duty.
CUSHION = {"junior_officer": 1.08, "senior_officer": 1.08}

#: Accession costs (UAH per person joining, line recruiting).
CONTRACT_SIGNING_BONUS = (100_000, "bonus")  # 1/10 of the 18-24 programme's 1 m
RECRUITING_COST = (50_000, "bonus")  # recruiting centres, medical board, advertising
MOBILISATION_COST = (20_000, "call-up")  # call-up centre processing, medical board, kit
OFFICER_RECRUITING_COST = (100_000, "officer-recruiting")  # selection, commissioning grant

#: Per grade: attrition, first-year attrition (tag "attrition"), accession cost and
#: separation cost (tag "separation"). NCOs and senior officers join only by promotion.
GRADE_FLOWS = {
    "mobilised": (0.15, 0.20, MOBILISATION_COST[0], 90_000),
    "contract_soldier": (0.10, 0.15, CONTRACT_SIGNING_BONUS[0] + RECRUITING_COST[0], 120_000),
    "nco": (0.07, 0.07, 0, 150_000),
    "junior_officer": (0.06, 0.08, OFFICER_RECRUITING_COST[0], 200_000),
    "senior_officer": (0.06, 0.06, 0, 300_000),
}

OVERSTRENGTH_COST = (60_000, "overstrength")  # career personnel without a post (housing, admin)
#: career personnel without a post: at most this share of end-2025 strength + a floor
#: (tag "overstrength-max"), so that 800,000 soldiers need 800,000 posts' worth of units
OVERSTRENGTH_MAX = (0.10, 500)
LIMITED_DUTY = {
    # extra cost per head-year (rehabilitation), availability, cap as share of 2025 strength
    "cost": (20_000, "limited-duty"),
    "availability": (0.5, "limited-duty"),
    "cap_share": (0.03, "limited-duty"),
}

# ---------------------------------------------------------------------------------------
# Units: types, TO&E and equipment
# ---------------------------------------------------------------------------------------

#: Grade split applied to every trade of a unit's TO&E (tag "toe").
SPLITS = {
    "wartime": {
        "mobilised": 0.55,
        "contract_soldier": 0.25,
        "nco": 0.12,
        "junior_officer": 0.07,
        "senior_officer": 0.01,
    },
    "territorial": {
        "mobilised": 0.70,
        "contract_soldier": 0.14,
        "nco": 0.09,
        "junior_officer": 0.06,
        "senior_officer": 0.01,
    },
    "career": {"contract_soldier": 0.64, "nco": 0.24, "junior_officer": 0.10,
               "senior_officer": 0.02},
    "aviation": {"contract_soldier": 0.40, "nco": 0.30, "junior_officer": 0.24,
                 "senior_officer": 0.06},  # pilots are officers
    "sof": {"contract_soldier": 0.50, "nco": 0.32, "junior_officer": 0.15,
            "senior_officer": 0.03},
}

UNIT_TYPES = [
    # unit_type, description, split, capability, om_cost, activation_cost, disbandment_cost,
    # activation_max per year; tags: capability / units-cost
    ("mech_brigade_wartime", "mechanised brigade, wartime establishment (mobilised-heavy)",
     "wartime", 7, 1.2 * BN, 0, 0.3 * BN, 0),
    ("mech_brigade", "mechanised brigade, peacetime contract establishment",
     "career", 10, 1.5 * BN, 3.0 * BN, 0.3 * BN, 15),
    ("heavy_brigade", "heavy mechanised brigade (CV90, Leopard 2): a contract brigade "
     "re-equipped", "career", 15, 3.0 * BN, 4.0 * BN, 0.3 * BN, 10),
    ("tank_brigade", "tank brigade", "career", 12, 1.8 * BN, 3.0 * BN, 0.3 * BN, 3),
    ("artillery_brigade", "artillery brigade (tube and rocket)",
     "career", 10, 1.2 * BN, 2.0 * BN, 0.2 * BN, 5),
    ("air_assault_brigade", "air-assault brigade", "career", 11, 1.5 * BN, 3.0 * BN, 0.3 * BN, 4),
    ("marine_brigade", "marine (naval infantry) brigade",
     "career", 10, 1.5 * BN, 3.0 * BN, 0.3 * BN, 2),
    ("unmanned_regiment", "unmanned systems regiment",
     "career", 9, 0.8 * BN, 1.0 * BN, 0.1 * BN, 8),
    ("air_defence_regiment", "air defence regiment (short/medium range, drone interceptors)",
     "career", 8, 1.0 * BN, 1.5 * BN, 0.1 * BN, 6),
    ("territorial_brigade", "territorial defence brigade (mobilised-heavy)",
     "territorial", 4, 0.4 * BN, 0, 0.1 * BN, 0),
    ("support_brigade", "corps support / logistics brigade",
     "career", 3, 1.0 * BN, 1.5 * BN, 0.2 * BN, 4),
    ("aviation_brigade", "tactical aviation brigade",
     "aviation", 12, 3.0 * BN, 5.0 * BN, 0.5 * BN, 3),
    ("sof_regiment", "special operations regiment", "sof", 6, 0.6 * BN, 1.0 * BN, 0.1 * BN, 2),
]

#: Unit O&M without training ammunition and drones, now the equipment's peacetime use
#: (tag "om-training"): no double count.
OM_WITHOUT_TRAINING_AMMO = 0.8

#: TO&E: persons per unit by trade (tag "toe"); the unit's split gives the grades.
TOE = {
    "mech_brigade_wartime": {
        "infantry": 2000, "armour": 400, "artillery": 400, "unmanned_systems": 300,
        "engineers": 200, "signals_ew": 150, "logistics": 350, "maintenance": 150,
        "medical": 120, "intelligence": 80, "staff_admin": 50,
    },  # 4,200
    "mech_brigade": {
        "infantry": 1500, "armour": 420, "artillery": 380, "unmanned_systems": 400,
        "engineers": 180, "signals_ew": 180, "logistics": 280, "maintenance": 150,
        "medical": 110, "intelligence": 60, "staff_admin": 40,
    },  # 3,700
    "heavy_brigade": {
        "infantry": 1500, "armour": 420, "artillery": 380, "unmanned_systems": 400,
        "engineers": 180, "signals_ew": 180, "logistics": 280, "maintenance": 150,
        "medical": 110, "intelligence": 60, "staff_admin": 40,
    },  # 3,700: the people of a mech_brigade
    "tank_brigade": {
        "armour": 1100, "infantry": 400, "artillery": 150, "unmanned_systems": 150,
        "engineers": 100, "signals_ew": 100, "logistics": 200, "maintenance": 200,
        "medical": 60, "intelligence": 30, "staff_admin": 30,
    },  # 2,520
    "artillery_brigade": {
        "artillery": 1400, "unmanned_systems": 150, "signals_ew": 150, "logistics": 250,
        "maintenance": 150, "infantry": 100, "engineers": 50, "medical": 40,
        "intelligence": 60, "staff_admin": 30,
    },  # 2,380
    "air_assault_brigade": {
        "infantry": 1700, "artillery": 300, "unmanned_systems": 300, "engineers": 120,
        "signals_ew": 120, "logistics": 250, "maintenance": 80, "medical": 90,
        "intelligence": 60, "staff_admin": 30,
    },  # 3,050
    "marine_brigade": {
        "marines": 1700, "artillery": 300, "unmanned_systems": 250, "armour": 100,
        "engineers": 100, "signals_ew": 120, "logistics": 250, "maintenance": 80,
        "medical": 80, "intelligence": 40, "staff_admin": 30,
    },  # 3,050
    "unmanned_regiment": {
        "unmanned_systems": 1050, "signals_ew": 150, "maintenance": 100, "logistics": 120,
        "infantry": 50, "medical": 30, "staff_admin": 20,
    },  # 1,520
    "air_defence_regiment": {
        "air_defence": 850, "signals_ew": 100, "maintenance": 100, "logistics": 100,
        "infantry": 30, "medical": 20, "staff_admin": 20,
    },  # 1,220
    "territorial_brigade": {
        "infantry": 1800, "unmanned_systems": 150, "engineers": 80, "signals_ew": 80,
        "logistics": 200, "medical": 60, "intelligence": 30, "staff_admin": 30,
    },  # 2,430
    "support_brigade": {
        "logistics": 1100, "maintenance": 450, "medical": 200, "engineers": 200,
        "signals_ew": 150, "infantry": 100, "staff_admin": 30,
    },  # 2,230
    "aviation_brigade": {
        "aviation": 1100, "maintenance": 500, "signals_ew": 100, "logistics": 200,
        "medical": 40, "infantry": 60, "staff_admin": 30,
    },  # 2,030
    "sof_regiment": {
        "special_ops": 700, "signals_ew": 60, "medical": 40, "logistics": 60,
        "intelligence": 40, "staff_admin": 20,
    },  # 920
}

#: Force structure: units at the end of 2025, and the planned minimum and maximum per year
#: (tag "structure"). A year not listed repeats the previous one.
STRUCTURE = {
    # unit_type: (initial, {year: (min, max)})
    "mech_brigade_wartime": (70, {2026: (70, 70), 2027: (45, 55), 2028: (15, 35),
                                   2029: (0, 15), 2030: (0, 0)}),
    "mech_brigade": (6, {2026: (6, 12), 2027: (18, 27), 2028: (28, 42), 2029: (34, 57),
                         2030: (24, 70), 2031: (16, 72), 2032: (8, 72), 2033: (0, 72)}),
    "heavy_brigade": (0, {2026: (0, 0), 2027: (0, 6), 2028: (0, 14), 2029: (0, 22),
                          2030: (0, 30), 2031: (0, 40), 2032: (0, 50), 2033: (0, 60)}),
    "tank_brigade": (5, {2026: (5, 6), 2027: (6, 8), 2028: (7, 10), 2029: (8, 12)}),
    "artillery_brigade": (14, {2026: (14, 16), 2027: (16, 21), 2028: (18, 26), 2029: (20, 30),
                               2030: (22, 34)}),
    "air_assault_brigade": (12, {2026: (12, 14), 2027: (14, 17), 2028: (16, 20),
                                 2029: (18, 22)}),
    "marine_brigade": (5, {2026: (5, 6), 2027: (6, 7), 2028: (7, 8), 2029: (8, 9)}),
    "unmanned_regiment": (12, {2026: (12, 18), 2027: (18, 26), 2028: (24, 34), 2029: (30, 42),
                               2030: (36, 50), 2031: (36, 56)}),
    "air_defence_regiment": (16, {2026: (16, 20), 2027: (19, 25), 2028: (22, 30),
                                  2029: (26, 36), 2030: (30, 42)}),
    "territorial_brigade": (30, {2026: (30, 30), 2027: (20, 22), 2028: (0, 12), 2029: (0, 0)}),
    "support_brigade": (14, {2026: (14, 16), 2027: (16, 19), 2028: (18, 22), 2029: (21, 25),
                             2030: (24, 28)}),
    "aviation_brigade": (5, {2026: (5, 6), 2027: (5, 7), 2028: (6, 9), 2030: (7, 12),
                             2032: (8, 16), 2034: (8, 20)}),
    "sof_regiment": (8, {2026: (8, 9), 2027: (8, 10), 2028: (9, 12), 2029: (10, 14)}),
}

#: Posts outside units (HQs, training base, recruiting, hospitals, depots, air bases), by
#: trade (tag "institutional"). Their grades: INSTITUTIONAL_CAREER, after the year's
#: INSTITUTIONAL_MOBILISED_SHARE has gone to mobilised personnel.
INSTITUTIONAL_POSTS = {
    "infantry": 20_000, "armour": 2_000, "artillery": 3_000, "air_defence": 18_000,
    "unmanned_systems": 8_000, "engineers": 10_000, "signals_ew": 13_000, "logistics": 26_000,
    "maintenance": 16_000, "medical": 17_000, "aviation": 11_000, "marines": 8_000,
    "special_ops": 2_000, "intelligence": 8_000, "staff_admin": 43_000,
}  # 205,000
#: Grade split of institutional posts; mobilised share falls as they are discharged.
INSTITUTIONAL_CAREER = {"contract_soldier": 0.45, "nco": 0.27, "junior_officer": 0.20,
                        "senior_officer": 0.08}
INSTITUTIONAL_MOBILISED_SHARE = {2025: 0.40, 2026: 0.30, 2027: 0.20, 2028: 0.10, 2029: 0.0}
#: Strength at the end of 2025 (tag "force-size": mid-point of 880,000-900,000). What the
#: 2025 posts do not account for is mobilised personnel above establishment (replacement
#: pool, wounded, in training), spread over trades in proportion to mobilised posts.
BASE_STRENGTH = 888_000

#: Service limits as cohorts by years served (MODEL.md §8.2, P10): mobilised personnel
#: serve at most MOBILISED_LIMIT years (tag "service-limit"), then re-enlist on contract,
#: join the reserve or are discharged; a contract soldier's first term is CONTRACT_TERM
#: years (tag "contract-term"), then promotion to NCO, the reserve or discharge.
MOBILISED_LIMIT = 3
CONTRACT_TERM = 5
#: End-2025 mobilised strength by years counted toward the limit (tag "service-limit"):
#: share of each trade's mobilised strength in cohort k = 0, 1, 2 (2 leaves in 2026).
MOBILISED_SERVED = (0.50, 0.30, 0.20)
#: End-2025 contract soldiers by years served of their term (tag "contract-term"): most
#: signed during the war's contract drive of 2024-25.
CONTRACT_SERVED = (0.30, 0.25, 0.20, 0.15, 0.10)
#: Mobilisation (persons per year, tag "mobilisation"), spread like the discharges.
MOBILISATION = {2026: 120_000, 2027: 40_000}

RECRUITING_POOL = (200_000, "pool")  # accession_max_total
DEMOB_CAPACITY = (150_000, "demob")  # separation_max_total

# ---------------------------------------------------------------------------------------
# Courses
# ---------------------------------------------------------------------------------------

COURSES = [
    # course, capacity/yr, cost/trainee (UAH), duration (share of year), instructor class,
    # trainees per instructor, expansion cost/seat, expansion max/yr, tag
    ("basic", 170_000, 100_000, 0.16, ("infantry", "nco"), 8, 250_000, 15_000, "courses"),
    ("interflex", 0, 0, 0.12, None, None, 0, 0, "partner-courses"),
    ("eumam", 0, 0, 0.10, None, None, 0, 0, "partner-courses"),
    ("spec_armour", 8_000, 120_000, 0.15, ("armour", "nco"), 6, 300_000, 1_000, "courses"),
    ("spec_artillery", 12_000, 80_000, 0.12, ("artillery", "nco"), 8, 200_000, 1_500, "courses"),
    ("spec_air_defence", 5_000, 250_000, 0.30, ("air_defence", "junior_officer"), 6,
     500_000, 500, "courses"),
    ("spec_uas", 16_000, 60_000, 0.10, ("unmanned_systems", "nco"), 10, 150_000, 4_000, "courses"),
    ("spec_engineers", 6_000, 80_000, 0.12, ("engineers", "nco"), 8, 200_000, 1_000, "courses"),
    ("spec_signals_ew", 6_000, 100_000, 0.15, ("signals_ew", "nco"), 8, 250_000, 1_000, "courses"),
    ("spec_logistics", 12_000, 40_000, 0.08, ("logistics", "nco"), 12, 100_000, 2_000, "courses"),
    ("spec_maintenance", 6_000, 80_000, 0.15, ("maintenance", "nco"), 8, 200_000, 1_000, "courses"),
    ("spec_medical", 6_000, 120_000, 0.20, ("medical", "junior_officer"), 10,
     250_000, 1_000, "courses"),
    ("spec_aviation", 2_500, 800_000, 0.50, ("aviation", "junior_officer"), 4,
     2_000_000, 1_000, "courses"),
    ("spec_marines", 5_000, 80_000, 0.10, ("marines", "nco"), 8, 200_000, 500, "courses"),
    ("spec_sof", 2_000, 500_000, 0.50, ("special_ops", "nco"), 4, 1_000_000, 100, "courses"),
    ("spec_intelligence", 2_000, 150_000, 0.20, ("intelligence", "junior_officer"), 8,
     300_000, 300, "courses"),
    ("nco_course", 30_000, 60_000, 0.12, ("infantry", "senior_officer"), 40, 150_000, 3_000,
     "courses"),
    ("officer_course", 15_000, 300_000, 0.40, ("staff_admin", "senior_officer"), 10,
     600_000, 1_000, "courses"),
    # NCOs promoted to officer study 18 months at the academy (C2: out of duty all of the
    # first year and half of the second)
    ("officer_academy", 10_000, 450_000, 1.5, ("staff_admin", "junior_officer"), 12,
     800_000, 1_000, "academy"),
    ("staff_course", 4_000, 400_000, 0.40, ("staff_admin", "senior_officer"), 8,
     800_000, 300, "courses"),
]
#: Partner-run courses exist only in some years (tag "partner-courses").
COURSE_YEARS = {
    "interflex": {2026: 25_000, 2027: 12_000},  # UK: > 56,000 trained by mid-2025
    "eumam": {2026: 15_000, 2027: 12_000, 2028: 6_000},  # EU: mandate to Nov 2026 (+ext.)
}
SPEC_COURSE = {  # the specialist course each contract recruit of a trade takes after basic
    "armour": "spec_armour", "artillery": "spec_artillery", "air_defence": "spec_air_defence",
    "unmanned_systems": "spec_uas", "engineers": "spec_engineers",
    "signals_ew": "spec_signals_ew", "logistics": "spec_logistics",
    "maintenance": "spec_maintenance", "medical": "spec_medical", "aviation": "spec_aviation",
    "marines": "spec_marines", "special_ops": "spec_sof", "intelligence": "spec_intelligence",
}
#: Mobilised infantry and marines train with partners while partner seats last, the rest
#: at home (tag "interflex").
MOBILISED_COURSE = {"infantry": "interflex", "marines": "interflex"}

# ---------------------------------------------------------------------------------------
# Transitions
# ---------------------------------------------------------------------------------------

REENLIST_BONUS = (300_000, "reenlist")  # mobilised -> contract, per person
REENLIST_MAX = (60_000, "reenlist")  # all trades, per year (willingness to sign)
PROMOTIONS = [
    # from grade, to grade, cost per person moved (UAH), max share of destination, loss
    # rate, course, tag
    ("contract_soldier", "nco", 20_000, 0.25, 0.02, "nco_course", "courses"),
    ("nco", "junior_officer", 50_000, 0.20, 0.03, "officer_academy", "academy"),
    ("junior_officer", "senior_officer", 50_000, 0.20, 0.0, "staff_course", "courses"),
]
CROSS_TRAINING = [
    # from trade, to trade (contract soldiers), cost, max per year, course, tag
    ("infantry", "unmanned_systems", 30_000, 8_000, "eumam", "partner-courses"),
    ("infantry", "air_defence", 30_000, 2_000, "spec_air_defence", "courses"),
    ("armour", "unmanned_systems", 30_000, 2_000, "spec_uas", "courses"),
    ("artillery", "unmanned_systems", 30_000, 2_000, "spec_uas", "courses"),
]

# ---------------------------------------------------------------------------------------
# Equipment
# ---------------------------------------------------------------------------------------

EQUIPMENT = [
    # equipment, description, price, currency, price tag, upkeep (share of price per
    # year), attrition, lead time (years), procurement max per year, budget line,
    # initial stock (end 2025); upkeep..stock tag "equipment-use" / "stocks".
    # A type stands for its whole fleet: old and new items count alike; new buys are at
    # the price of the type named in the description.
    ("leopard_2", "Leopard 2 MBT (donated 2A4/2A6; new buys at the 2A8 price)",
     28.5 * M, "EUR", "leopard", 0.025, 0.03, 3, 300, "procurement", 260),
    ("t64_tank", "Soviet-pattern MBT (T-64/T-72 family); new = refurbished and modernised "
     "by domestic plants", 1.2 * M, "USD", "equipment-price", 0.04, 0.06, 1, 300,
     "procurement", 1_500),
    ("cv90", "CV90 infantry fighting vehicle", 9.5 * M, "USD", "cv90",
     0.025, 0.03, 3, 400, "procurement", 80),
    ("bradley", "M2 Bradley infantry fighting vehicle (new buys: refurbished US stock)",
     3 * M, "USD", "bradley", 0.03, 0.04, 1, 200, "procurement_us", 1_700),
    ("apc_domestic", "armoured personnel carrier / MRAP (domestic and donated)", 0.5 * M,
     "USD", "equipment-price", 0.04, 0.08, 1, 1_500, "procurement", 9_000),
    ("caesar", "CAESAR 155 mm self-propelled howitzer", 3.5 * M, "EUR", "caesar",
     0.03, 0.05, 2, 36, "procurement", 180),
    ("sp_howitzer", "155 mm self-propelled howitzer fleet (Bohdana, M109, Krab, PzH 2000, "
     "Soviet 152 mm); new buys are САУ 2С22 «Богдана»", 2.5 * M, "USD", "bohdana",
     0.03, 0.06, 1, 216, "procurement", 1_200),
    ("himars", "rocket launcher (M142 HIMARS / M270 class)", 5.1 * M, "USD",
     "equipment-price", 0.03, 0.03, 2, 24, "procurement_us", 90),
    ("mortar_120", "120 mm mortar (domestic)", 40_000, "USD", "equipment-price",
     0.03, 0.10, 0, 3_000, "procurement", 4_500),
    ("shell_155", "155 mm artillery round (stock; 'attrition' = expenditure)", 3_000, "EUR",
     "equipment-price", 0.0, 0.80, 0, 3_000_000, "procurement", 1_500_000),
    ("patriot_battery", "Patriot fire unit (battery)", 1.1 * BN, "USD", "patriot",
     0.03, 0.02, 3, 2, "procurement_us", 10),
    ("pac3_interceptor", "Patriot PAC-3 interceptor", 4 * M, "USD", "patriot",
     0.0, 0.35, 2, 220, "procurement_us", 250),
    ("iris_t_slm", "IRIS-T SLM fire unit", 140 * M, "EUR", "iris-t",
     0.03, 0.02, 2, 4, "procurement", 10),
    ("sam_missile", "short/medium-range SAM (IRIS-T/NASAMS class)", 0.4 * M, "EUR",
     "equipment-price", 0.0, 0.40, 1, 1_500, "procurement", 2_300),
    ("shorad_system", "short-range air defence system (gun / missile)", 8 * M, "EUR",
     "equipment-price", 0.04, 0.05, 2, 40, "procurement", 200),
    ("interceptor_drone", "interceptor drone against attack drones", 5_000, "USD",
     "equipment-price", 0.0, 1.00, 0, 300_000, "procurement", 40_000),
    ("fpv_drone", "FPV strike drone ('attrition' = expenditure)", 24_000, "UAH", "fpv",
     0.0, 1.00, 0, 6_000_000, "procurement", 2_000_000),
    ("bomber_drone", "heavy bomber drone ('Vampire' class)", 10_000, "USD", "vampire",
     0.05, 0.70, 0, 40_000, "procurement", 12_000),
    ("isr_drone", "fixed-wing reconnaissance drone", 60_000, "USD", "equipment-price",
     0.05, 0.50, 0, 10_000, "procurement", 5_000),
    ("long_range_drone", "long-range strike drone", 200_000, "USD", "equipment-price",
     0.0, 0.90, 0, 8_000, "procurement", 1_500),
    ("ew_system", "electronic warfare station (domestic)", 4 * M, "UAH", "equipment-price",
     0.05, 0.25, 0, 3_000, "procurement", 2_200),
    ("radio_set", "tactical radio set", 4_000, "USD", "equipment-price",
     0.05, 0.15, 0, 40_000, "procurement", 120_000),
    ("truck", "logistics truck", 120_000, "USD", "equipment-price",
     0.06, 0.10, 1, 8_000, "procurement", 45_000),
    ("medevac_vehicle", "armoured ambulance", 250_000, "USD", "equipment-price",
     0.05, 0.10, 1, 800, "procurement", 2_800),
    ("engineer_vehicle", "engineer / demining vehicle", 1 * M, "USD", "equipment-price",
     0.04, 0.08, 1, 150, "procurement", 700),
    ("fighter", "multirole fighter (F-16 and legacy fleet; new buys at an assumed Gripen E "
     "price)", 100 * M, "EUR", "equipment-price", 0.08, 0.05, 3, 48, "procurement", 80),
    ("helicopter", "utility / attack helicopter", 15 * M, "USD", "equipment-price",
     0.06, 0.05, 2, 12, "procurement", 45),
]

#: Consumables: wartime expenditure in the freeze year 2026 (EQUIPMENT's attrition), the
#: peacetime training use from 2027 (tag "peace-use").
PEACE_USE = {"shell_155": 0.08, "fpv_drone": 0.25, "interceptor_drone": 0.15,
             "bomber_drone": 0.15, "isr_drone": 0.15, "long_range_drone": 0.05,
             "pac3_interceptor": 0.03, "sam_missile": 0.05}
#: Long-lead items paid as they are built (tag "payment-profile").
PAYMENT_PROFILE = {"leopard_2": "0.3,0.4,0.3", "cv90": "0.3,0.4,0.3",
                   "patriot_battery": "0.2,0.3,0.3,0.2", "iris_t_slm": "0.3,0.4,0.3",
                   "fighter": "0.3,0.3,0.4"}
#: Major items bought whole (tag "integer").
WHOLE_ITEMS_IF_INTEGER = ("leopard_2", "cv90", "caesar", "himars", "patriot_battery", "iris_t_slm",
               "fighter", "helicopter")
WHOLE_ITEMS = WHOLE_ITEMS_IF_INTEGER if INTEGER else ()
#: Payments due on contracts signed before 2026 (line, year, UAH; tag "fixed-spending").
FIXED_SPENDING = [("procurement", 2026, 120 * BN), ("procurement", 2027, 80 * BN),
                  ("procurement", 2028, 40 * BN)]

#: Table of equipment: items per unit (tag "equipping").
EQUIPPING = {
    "mech_brigade_wartime": {
        "t64_tank": 10, "bradley": 20, "apc_domestic": 80, "sp_howitzer": 6,
        "mortar_120": 30, "fpv_drone": 15_000, "bomber_drone": 80, "isr_drone": 30,
        "ew_system": 12, "radio_set": 600, "truck": 200, "medevac_vehicle": 15,
        "engineer_vehicle": 3, "shell_155": 8_000,
    },
    "mech_brigade": {
        "t64_tank": 20, "bradley": 30, "apc_domestic": 60, "sp_howitzer": 12,
        "mortar_120": 36, "fpv_drone": 20_000, "bomber_drone": 100, "isr_drone": 40,
        "ew_system": 16, "radio_set": 900, "truck": 250, "medevac_vehicle": 20,
        "engineer_vehicle": 4, "shell_155": 10_000,
    },
    "heavy_brigade": {
        "leopard_2": 31, "cv90": 44, "apc_domestic": 40, "sp_howitzer": 12,
        "mortar_120": 36, "fpv_drone": 20_000, "bomber_drone": 100, "isr_drone": 40,
        "ew_system": 16, "radio_set": 900, "truck": 250, "medevac_vehicle": 20,
        "engineer_vehicle": 4, "shell_155": 10_000,
    },
    "tank_brigade": {
        "leopard_2": 31, "t64_tank": 62, "cv90": 14, "sp_howitzer": 6, "mortar_120": 12,
        "fpv_drone": 6_000, "isr_drone": 20, "ew_system": 10, "radio_set": 600, "truck": 250,
        "medevac_vehicle": 15, "engineer_vehicle": 6, "shell_155": 4_000,
    },
    "artillery_brigade": {
        "caesar": 8, "sp_howitzer": 18, "himars": 4, "isr_drone": 30, "ew_system": 8,
        "radio_set": 400, "truck": 300, "shell_155": 40_000, "fpv_drone": 2_000,
    },
    "air_assault_brigade": {
        "apc_domestic": 100, "t64_tank": 10, "sp_howitzer": 12, "mortar_120": 36,
        "fpv_drone": 20_000, "bomber_drone": 80, "isr_drone": 40, "ew_system": 12,
        "radio_set": 800, "truck": 200, "medevac_vehicle": 20, "shell_155": 8_000,
    },
    "marine_brigade": {
        "apc_domestic": 90, "t64_tank": 20, "sp_howitzer": 12, "mortar_120": 30,
        "fpv_drone": 15_000, "bomber_drone": 60, "isr_drone": 30, "ew_system": 10,
        "radio_set": 700, "truck": 180, "medevac_vehicle": 15, "shell_155": 8_000,
    },
    "unmanned_regiment": {
        "fpv_drone": 80_000, "bomber_drone": 400, "isr_drone": 150, "long_range_drone": 60,
        "ew_system": 20, "radio_set": 400, "truck": 80,
    },
    "air_defence_regiment": {
        "shorad_system": 6, "sam_missile": 60, "interceptor_drone": 4_000, "ew_system": 6,
        "radio_set": 300, "truck": 100,
    },
    "territorial_brigade": {
        "apc_domestic": 20, "mortar_120": 24, "fpv_drone": 5_000, "isr_drone": 10,
        "radio_set": 400, "truck": 100,
    },
    "support_brigade": {
        "truck": 600, "medevac_vehicle": 60, "engineer_vehicle": 20, "ew_system": 10,
        "radio_set": 400,
    },
    "aviation_brigade": {"fighter": 16, "helicopter": 8, "truck": 150, "radio_set": 200},
    "sof_regiment": {"isr_drone": 40, "radio_set": 300, "truck": 60, "fpv_drone": 3_000},
}

#: Per-year equipment facts (tag "stocks"): partner donations on offer, deliveries already
#: contracted, and stock needed outside units (national air defence, strike, war reserve).
DONATIONS = {
    "leopard_2": {2026: 20},
    "bradley": {2026: 60, 2027: 40},
    "fighter": {2026: 20, 2027: 20, 2028: 15},
    "patriot_battery": {2026: 2, 2027: 1},
    "pac3_interceptor": {2026: 100, 2027: 60},
    "shell_155": {2026: 800_000, 2027: 500_000, 2028: 300_000},
    "caesar": {2026: 12},
    "himars": {2026: 6},
    "sam_missile": {2026: 300, 2027: 200},
}
SCHEDULED = {
    "caesar": {2026: 18},
    "iris_t_slm": {2026: 4, 2027: 3},
    "cv90": {2027: 20, 2028: 20},
    "sp_howitzer": {2026: 60},
    "fighter": {2028: 6},
}
REQUIREMENT_OUTSIDE_UNITS = {
    "patriot_battery": {2026: 10, 2027: 11, 2028: 12, 2029: 13, 2030: 14},
    "iris_t_slm": {2026: 12, 2027: 14, 2028: 16, 2029: 18, 2030: 20},
    "pac3_interceptor": {2026: 200, 2028: 300, 2030: 400},
    "sam_missile": {2026: 600, 2028: 800},
    "long_range_drone": {2026: 1_500, 2028: 2_500, 2030: 3_000},
    "shell_155": {2026: 300_000, 2027: 450_000, 2028: 600_000, 2029: 800_000, 2030: 1_000_000},
    "fighter": {2026: 10},  # training and reserve aircraft
    # the explicit war reserve (tag "war-reserve") beyond the shells and PAC-3 above
    "fpv_drone": {2027: 500_000, 2028: 1_000_000, 2030: 1_500_000},
    "interceptor_drone": {2027: 40_000, 2028: 70_000, 2030: 100_000},
}

# ---------------------------------------------------------------------------------------
# End strength, ratios, money
# ---------------------------------------------------------------------------------------

END_STRENGTH = {
    # year: (min_total, max_total), tags "glide" and "peace-plan"
    2026: (860_000, 890_000),
    2027: (835_000, 865_000),
    2028: (810_000, 840_000),
    2029: (800_000, 800_000),
}

RATIOS = [
    # name, numerator trades, numerator grades, denominator trades, denominator grades,
    # min, max, years; tag "ratios"
    ("officer_share", "*", "junior_officer,senior_officer", "*", "*", 0.10, 0.17, ""),
    ("senior_to_junior_officers", "*", "senior_officer", "*", "junior_officer,senior_officer",
     None, 0.30, ""),
    ("nco_per_soldier", "*", "nco", "*", "mobilised,contract_soldier", 0.38, None,
     "2030,2031,2032,2033,2034,2035"),
    ("unmanned_share", "unmanned_systems", ",".join(GRADES), "*", "*", 0.10, None,
     "2030,2031,2032,2033,2034,2035"),
]

#: US-made equipment (budget line procurement_us) is paid only through PURL (tag
#: "purl-only"); the national budget and the EU loan pay every other line.
NON_US_LINES = "personnel,recruiting,separation,training,units,sustainment,procurement"
FUNDING = [
    # source, lines, carryover, {year: amount in currency}, currency, tag
    ("national_budget", NON_US_LINES, False,
     {2026: 920 * BN, 2027: 800 * BN, 2028: 1_660 * BN, 2029: 1_700 * BN, 2030: 1_890 * BN,
      2031: 1_790 * BN, 2032: 1_880 * BN, 2033: 1_960 * BN, 2034: 2_010 * BN, 2035: 2_100 * BN},
     "UAH", "budget-binds"),
    ("eu_loan", NON_US_LINES, True, {2026: 15 * BN, 2027: 15 * BN}, "EUR", "funding"),
    ("purl", "procurement_us", False,
     {2026: 4 * BN, 2027: 3 * BN, 2028: 2 * BN}, "USD", "purl-only"),
    ("other_partners", "procurement,sustainment,training", False,
     {2026: 10 * BN, 2027: 9 * BN, 2028: 8 * BN, 2029: 7 * BN, 2030: 6 * BN}, "USD",
     "funding"),
]
FUNDING_SCALE = 1.0  # all sources (for calibration runs only)
EXPIRES = {"eu_loan": 2}  # tag "expiry"
PRIORITY = {"eu_loan": 1, "other_partners": 2, "purl": 2, "national_budget": 3}  # "spending-order"

LINE_LIMITS = [
    # line, max_amount per year, tag
    ("recruiting", 40 * BN, "line-limits"),
]

PENALTIES = [
    # kind, penalty per unit of shortfall per year, tag "penalties"
    ("funding", 10, "penalties"),
    ("end_strength", 20 * M, "penalties"),
    ("manning", 20 * M, "penalties"),
    ("ratio", 20 * M, "penalties"),
    ("units", 100 * BN, "penalties"),
    ("equipment", 1_000 * BN, "penalties"),
]


# fmt: on


# ---------------------------------------------------------------------------------------
# Derived tables
# ---------------------------------------------------------------------------------------


def per_year(schedule: dict[int, Any], years=YEARS) -> dict[int, Any]:
    """Expand {year: value} so that a year not listed repeats the previous value."""
    out, current = {}, None
    for y in years:
        current = schedule.get(y, current)
        if current is not None:
            out[y] = current
    return out


def manning() -> dict[tuple[str, str, str], int]:
    """(unit_type, trade, grade) -> posts per unit, from TOE and the unit's grade split."""
    out = {}
    split_of = {u[0]: u[2] for u in UNIT_TYPES}
    for unit, trades in TOE.items():
        split = SPLITS[split_of[unit]]
        for trade, persons in trades.items():
            for grade, share in split.items():
                posts = round(persons * share)
                if posts:
                    out[(unit, trade, grade)] = posts
    return out


def institutional(year: int) -> dict[tuple[str, str], float]:
    """Posts outside units by class in `year` (mobilised share from the schedule)."""
    mob = per_year(INSTITUTIONAL_MOBILISED_SHARE, [BASE_YEAR, *YEARS])[year]
    out = {}
    for trade, posts in INSTITUTIONAL_POSTS.items():
        if mob:
            out[(trade, "mobilised")] = round(posts * mob)
        for grade, share in INSTITUTIONAL_CAREER.items():
            out[(trade, grade)] = round(posts * (1 - mob) * share)
    return out


def instructor_posts() -> dict[tuple[str, str], float]:
    """Instructor posts if every course ran at full capacity (base-state estimate)."""
    out: dict[tuple[str, str], float] = {}
    for _name, cap, _cost, dur, instr, tpi, *_ in COURSES:
        if instr:
            out[instr] = out.get(instr, 0) + cap * min(dur, 1.0) / tpi
    return out


def initial_strengths() -> dict[tuple[str, str], int]:
    """End-2025 strength per class: posts of the 2025 structure (units, institutional,
    instructors), + 5% for career classes (in training, on limited duty; officers 8%, as
    officers are also on staff and commissioning courses), and for mobilised
    classes their posts + a share of the surplus that brings the total to BASE_STRENGTH
    (in proportion to mobilised posts); rounded to tens."""
    need: dict[tuple[str, str], float] = {}
    for (unit, trade, grade), posts in manning().items():
        need[(trade, grade)] = need.get((trade, grade), 0) + posts * STRUCTURE[unit][0]
    for key, posts in institutional(BASE_YEAR).items():
        need[key] = need.get(key, 0) + posts
    for key, posts in instructor_posts().items():
        need[key] = need.get(key, 0) + posts
    career = {k: v * CUSHION.get(k[1], 1.05) for k, v in need.items() if k[1] != "mobilised"}
    mob_posts = {k: v for k, v in need.items() if k[1] == "mobilised"}
    surplus = BASE_STRENGTH - sum(career.values()) - sum(mob_posts.values())
    assert surplus >= 0, "the 2025 structure needs more than BASE_STRENGTH"
    total_mob = sum(mob_posts.values())
    out = {}
    for trade in TRADE_NAMES:
        for grade in GRADES:
            if grade == "mobilised":
                v = mob_posts.get((trade, grade), 0.0)
                v += surplus * v / total_mob
            else:
                v = career.get((trade, grade), 0.0)
            out[(trade, grade)] = int(round(v, -1))
    out[("infantry", "mobilised")] += BASE_STRENGTH - sum(out.values())  # rounding remainder
    return out


# ---------------------------------------------------------------------------------------
# Sheets
# ---------------------------------------------------------------------------------------

Rows = list[list[Any]]


def table(columns: str, records: Iterable[dict[str, Any]]) -> Rows:
    """A sheet: the header `columns` (space-separated) and one row per record."""
    names = columns.split()
    return [names, *([rec.get(c) for c in names] for rec in records)]


def settings_sheet(title: str) -> Rows:
    settings = {
        "first_year": YEARS[0],
        "last_year": YEARS[-1],
        "title": title,
        "classification": "UNCLASSIFIED - illustrative example built from public estimates",
        "currency": "UAH",
        "discount_rate": 0.03,
        "objective": "min_cost",
        "elastic": False,
        "integer_units": INTEGER,
        "terminal": "steady",
        "accession_step_max_total": STEP_TOTAL,
        "unit_fill_rate": 1.0,
        "equipment_fill_rate": 1.0,
        "accession_max_total": RECRUITING_POOL[0],
        "separation_max_total": DEMOB_CAPACITY[0],
    }
    return table("key value", ({"key": k, "value": v} for k, v in settings.items()))


def _mobilised_share() -> dict[str, float]:
    """Each trade's share of the end-2025 mobilised strength (spreads national totals)."""
    init = initial_strengths()
    total = sum(v for (_t, g), v in init.items() if g == "mobilised")
    return {t: init[(t, "mobilised")] / total for t in TRADE_NAMES}


def personnel_sheets() -> tuple[Rows, Rows]:
    init = initial_strengths()
    mob_share = _mobilised_share()
    classes, years = [], []
    inst = {y: institutional(y) for y in YEARS}
    for trade in TRADE_NAMES:
        for grade in GRADES:
            attr, fyattr, acc_cost, sep_cost = GRADE_FLOWS[grade]
            if grade in PEACE_ATTRITION:  # a fixed first-year rate: the peacetime one
                fyattr = max(PEACE_ATTRITION[grade], fyattr - (attr - PEACE_ATTRITION[grade]))
            if grade == "mobilised":
                courses = MOBILISED_COURSE.get(trade, "basic")
                acc_max = 0  # per-year overrides below while mobilisation lasts
            elif grade == "contract_soldier":
                courses = ",".join(c for c in ("basic", SPEC_COURSE.get(trade)) if c)
                acc_max = None
            elif grade == "junior_officer":
                courses, acc_max = "officer_course", None
            else:
                courses, acc_max = "", 0  # NCOs and senior officers come by promotion only
            s0 = init[(trade, grade)]
            classes.append(
                {
                    "trade": trade,
                    "grade": grade,
                    "initial_strength": s0,
                    "attrition_rate": attr,
                    "first_year_attrition_rate": fyattr,
                    "annual_cost": annual_cost(trade, grade),
                    "max_service_years": SERVICE_LIMITS.get(grade),
                    "move_eligible_share": MOVE_ELIGIBLE[0].get(grade),
                    "accession_step_max": (
                        max(STEP_FLOOR, int(round(STEP_SHARE * s0, -2)))
                        if grade in ("contract_soldier", "junior_officer")
                        else None
                    ),
                    "limited_duty_share_min": None if grade == "mobilised" else LD_SHARE_MIN[0],
                    "accession_cost": acc_cost,
                    "accession_max": acc_max,
                    "accession_courses": courses,
                    "separation_cost": sep_cost,
                    "overstrength_cost": 0 if grade == "mobilised" else OVERSTRENGTH_COST[0],
                    "overstrength_max": (
                        None
                        if grade == "mobilised"
                        else int(round(OVERSTRENGTH_MAX[0] * s0, -1)) + OVERSTRENGTH_MAX[1]
                    ),
                    "limited_duty_max": int(round(s0 * LIMITED_DUTY["cap_share"][0], -1)),
                    "limited_duty_availability": LIMITED_DUTY["availability"][0],
                    "limited_duty_cost": LIMITED_DUTY["cost"][0],
                }
            )
            for y in YEARS:
                rec = {"trade": trade, "grade": grade, "year": y}
                if inst[y].get((trade, grade)):
                    rec["requirement"] = inst[y][(trade, grade)]
                if y in SUPPLEMENT_SHARE:
                    rec["annual_cost"] = annual_cost(trade, grade, y)
                if grade in PEACE_ATTRITION and y > 2026:
                    rec["attrition_rate"] = attrition(grade, y)
                if grade == "mobilised" and y in MOBILISATION:
                    rec["accession_max"] = int(round(MOBILISATION[y] * mob_share[trade], -1))
                if len(rec) > 3:
                    years.append(rec)
        classes.append(
            {
                "trade": trade,
                "grade": RESERVE_GRADE,
                "component": "reserve",
                "initial_strength": 0,
                "attrition_rate": RESERVE["attrition_rate"],
                "annual_cost": RESERVE["annual_cost"],
                "accession_max": 0,
                "separation_cost": 0,
                "overstrength_cost": 0,
            }
        )
    return (
        table(
            "trade grade component initial_strength attrition_rate first_year_attrition_rate "
            "annual_cost accession_cost accession_max accession_courses separation_cost "
            "overstrength_cost overstrength_max limited_duty_max limited_duty_availability "
            "limited_duty_cost limited_duty_share_min move_eligible_share accession_step_max "
            "max_service_years",
            classes,
        ),
        table("trade grade year requirement accession_max annual_cost attrition_rate", years),
    )


SERVICE_LIMITS = {"mobilised": MOBILISED_LIMIT, "contract_soldier": CONTRACT_TERM}


def cohorts_sheet() -> Rows:
    """PersonnelCohorts: each limited class's end-2025 strength by years served (the
    shares of MOBILISED_SERVED / CONTRACT_SERVED, the rounding remainder in cohort 0)."""
    init = initial_strengths()
    rows = []
    for grade, shares in (("mobilised", MOBILISED_SERVED), ("contract_soldier", CONTRACT_SERVED)):
        if grade not in SERVICE_LIMITS:
            continue
        assert len(shares) == SERVICE_LIMITS[grade] and abs(sum(shares) - 1) < 1e-9
        for trade in TRADE_NAMES:
            s0 = init[(trade, grade)]
            split = [int(round(s0 * share, -1)) for share in shares]
            split[0] += s0 - sum(split)
            rows += [
                {"trade": trade, "grade": grade, "years_served": k, "strength": v}
                for k, v in enumerate(split)
            ]
    return table("trade grade years_served strength", rows)


def transitions_sheet() -> Rows:
    arcs = []
    mob_share = _mobilised_share()
    for trade in TRADE_NAMES:
        arcs.append(
            {
                "from_trade": trade,
                "from_grade": "mobilised",
                "to_trade": trade,
                "to_grade": "contract_soldier",
                "cost": REENLIST_BONUS[0],
                "max_per_year": int(round(REENLIST_MAX[0] * mob_share[trade], -1)),
                "loss_rate": 0.0,
            }
        )
        for src in ("mobilised", "contract_soldier"):  # discharged into the reserve
            arcs.append(
                {
                    "from_trade": trade,
                    "from_grade": src,
                    "to_trade": trade,
                    "to_grade": RESERVE_GRADE,
                    "cost": RESERVE["transfer_cost"],
                    "loss_rate": 0.0,
                }
            )
        for src, dst, cost, share, loss, course, _tag in PROMOTIONS:
            arcs.append(
                {
                    "from_trade": trade,
                    "from_grade": src,
                    "to_trade": trade,
                    "to_grade": dst,
                    "cost": cost,
                    "max_share_of_destination": share,
                    "loss_rate": loss,
                    "course": course,
                }
            )
    for src, dst, cost, cap, course, _tag in CROSS_TRAINING:
        arcs.append(
            {
                "from_trade": src,
                "from_grade": "contract_soldier",
                "to_trade": dst,
                "to_grade": "contract_soldier",
                "cost": cost,
                "max_per_year": cap,
                "loss_rate": 0.0,
                "course": course,
            }
        )
    return table(
        "from_trade from_grade to_trade to_grade cost max_per_year max_share_of_destination "
        "loss_rate course",
        arcs,
    )


def courses_sheets() -> tuple[Rows, Rows]:
    courses = [
        {
            "course": name,
            "capacity": cap,
            "cost_per_trainee": cost,
            "duration_years": dur,
            "instructor_trade": instr[0] if instr else None,
            "instructor_grade": instr[1] if instr else None,
            "trainees_per_instructor": tpi,
            "expansion_cost": exp_cost,
            "expansion_max": exp_max,
        }
        for name, cap, cost, dur, instr, tpi, exp_cost, exp_max, _tag in COURSES
    ]
    years = [
        {"course": name, "year": y, "capacity": cap}
        for name, caps in COURSE_YEARS.items()
        for y, cap in caps.items()
    ]
    return (
        table(
            "course capacity cost_per_trainee duration_years instructor_trade "
            "instructor_grade trainees_per_instructor expansion_cost expansion_max",
            courses,
        ),
        table("course year capacity", years),
    )


#: The austere variant: all money 20% lower from 2027 (every source), and the General Staff
#: accepts smaller floors from 2027 (min_units x AUSTERE_FLOOR): the plan then chooses
#: which units to give up.
AUSTERE_FLOOR = 0.7
AUSTERE_MONEY = 0.8  # every source from 2027 (the 2026 budget is law)


def unit_sheets(austere: bool = False) -> tuple[Rows, Rows, Rows, Rows]:
    types = [
        {
            "unit_type": unit,
            "description": desc,
            "initial_units": STRUCTURE[unit][0],
            "capability_score": cap,
            "om_cost": round(om * OM_WITHOUT_TRAINING_AMMO),
            "activation_cost": act,
            "activation_max": act_max,
            "disbandment_cost": dis,
        }
        for unit, desc, _split, cap, om, act, dis, act_max in UNIT_TYPES
    ]
    years = [
        {
            "unit_type": unit,
            "year": y,
            "min_units": int(lo * AUSTERE_FLOOR) if austere and y > YEARS[0] else lo,
            "max_units": hi,
        }
        for unit, (_init, schedule) in STRUCTURE.items()
        for y, (lo, hi) in per_year(schedule).items()
    ]
    posts = [
        {"unit_type": unit, "trade": trade, "grade": grade, "personnel": n}
        for (unit, trade, grade), n in manning().items()
    ]
    items = [
        {"unit_type": unit, "equipment": item, "quantity": qty}
        for unit, holdings in EQUIPPING.items()
        for item, qty in holdings.items()
        if qty
    ]
    return (
        table(
            "unit_type description initial_units capability_score om_cost activation_cost "
            "activation_max disbandment_cost",
            types,
        ),
        table("unit_type year min_units max_units", years),
        table("unit_type trade grade personnel", posts),
        table("unit_type equipment quantity", items),
    )


def equipment_sheets() -> tuple[Rows, Rows]:
    equipment, years = [], []
    for name, desc, price, cur, _tag, upkeep, attr, lead, pmax, line, stock in EQUIPMENT:
        uah = round(price * FX[cur])
        equipment.append(
            {
                "equipment": name,
                "description": desc,
                "initial_stock": stock,
                "unit_price": price,
                "currency": None if cur == "UAH" else cur,
                "om_cost": round(uah * upkeep),
                "attrition_rate": PEACE_USE.get(name, attr),
                "lead_time_years": lead,
                "procurement_max": pmax,
                "budget_line": line,
                "integer": name in WHOLE_ITEMS,
                "payment_profile": PAYMENT_PROFILE.get(name),
            }
        )
        don = DONATIONS.get(name, {})
        sch = SCHEDULED.get(name, {})
        req = per_year(REQUIREMENT_OUTSIDE_UNITS.get(name, {}))
        for y in YEARS:
            war = attr if name in PEACE_USE and y == YEARS[0] else None
            if y in don or y in sch or y in req or war is not None:
                years.append(
                    {
                        "equipment": name,
                        "year": y,
                        "donations_max": don.get(y),
                        "scheduled_deliveries": sch.get(y),
                        "requirement": req.get(y),
                        "attrition_rate": war,
                    }
                )
    return (
        table(
            "equipment description initial_stock unit_price currency om_cost attrition_rate "
            "lead_time_years procurement_max budget_line integer payment_profile",
            equipment,
        ),
        table(
            "equipment year donations_max scheduled_deliveries requirement attrition_rate",
            years,
        ),
    )


def end_strength_sheet() -> Rows:
    rows = [
        {"year": y, "min_total": lo, "max_total": hi, "component": "active"}
        for y, (lo, hi) in per_year(END_STRENGTH).items()
    ]
    rows += [
        {"year": y, "min_total": RESERVE_MIN[0], "component": "reserve"}
        for y in YEARS
        if y >= RESERVE_MIN[1]
    ]
    return table("year component min_total max_total", rows)


def money_sheets() -> tuple[Rows, Rows, Rows]:
    """ExchangeRates, PriceIndex and FixedSpending."""
    rates = [{"currency": c, "year": y, "rate": fx(c, y)} for c in ("USD", "EUR") for y in YEARS]
    index = [
        {"line": line, "year": y, "index": price_index(y)}
        for line in NON_US_LINES.split(",")
        for y in YEARS
    ]
    fixed = [{"line": line, "year": y, "amount": a} for line, y, a in FIXED_SPENDING]
    return (
        table("currency year rate", rates),
        table("line year index", index),
        table("line year amount", fixed),
    )


def ratios_sheet() -> Rows:
    return table(
        "name numerator_trades numerator_grades denominator_trades denominator_grades "
        "min_ratio max_ratio years",
        (
            {
                "name": name,
                "numerator_trades": nt,
                "numerator_grades": ng,
                "denominator_trades": dt,
                "denominator_grades": dg,
                "min_ratio": lo,
                "max_ratio": hi,
                "years": yrs or None,
            }
            for name, nt, ng, dt, dg, lo, hi, yrs in RATIOS
        ),
    )


def funding_sheet(austere_factor: float = 1.0) -> Rows:
    rows = []
    for source, lines, carry, amounts, cur, _tag in FUNDING:
        factor = FUNDING_SCALE
        # a year not listed repeats the previous amount, except for the EU loan (2026-27)
        schedule = amounts if source == "eu_loan" else per_year(amounts)
        for y, amount in schedule.items():
            rows.append(
                {
                    "source": source,
                    "year": y,
                    "amount": round(amount * factor * (austere_factor if y > YEARS[0] else 1)),
                    "lines": lines,
                    "carryover": carry,
                    "currency": None if cur == "UAH" else cur,
                    "expires_after": EXPIRES.get(source),
                    "priority": PRIORITY[source],
                }
            )
    return table("source year amount lines carryover currency expires_after priority", rows)


def line_limits_sheet() -> Rows:
    return table(
        "line year min_amount max_amount",
        (
            {"line": line, "year": y, "max_amount": cap}
            for line, cap, _tag in LINE_LIMITS
            for y in YEARS
        ),
    )


def penalties_sheet() -> Rows:
    return table("kind penalty", ({"kind": k, "penalty": v} for k, v, _tag in PENALTIES))


# ---------------------------------------------------------------------------------------
# About and Sources
# ---------------------------------------------------------------------------------------


def about_sheet(austere: bool) -> Rows:
    init = initial_strengths()
    total = sum(init.values())
    mob = sum(v for (t, g), v in init.items() if g == "mobilised")
    rows = [
        "Ukraine 2026-2035: from the wartime force to the 800,000 peacetime army"
        + (" - AUSTERE (20% less money, lower unit floors)" if austere else ""),
        "",
        "What this is: an illustrative forceplan input workbook built from open-source "
        "estimates (late 2025 to early 2026). It is not an official plan and uses no official "
        "data. Every figure is listed on the Sources sheet with its source and date, or marked "
        "'assumption' with the reason.",
        "",
        "Scenario (assumption): the fighting freezes in 2026 along a line that must still be "
        f"held. The Armed Forces, {total:,} strong at the end of 2025 ({mob:,} of them "
        "mobilised), glide down to the 800,000 ceiling of the 20-point peace plan by the end "
        "of 2029 and hold it to 2035 (EndStrength). Mobilised service has a legal limit of "
        f"{MOBILISED_LIMIT} years, tracked person by person in cohorts by years served "
        "(Personnel.max_service_years, PersonnelCohorts): at the limit a soldier re-enlists "
        "on contract for a bonus, joins the reserve component (one 'reservist' class per "
        "trade, component = reserve, at least 150,000 from 2029) or is discharged; "
        "mobilisation stops after 2027, so the last mobilised leave in 2030. A contract "
        f"soldier's first term is {CONTRACT_TERM} years; then promotion to NCO, the reserve "
        "or discharge. NCOs promoted to officer spend 18 months at the academy (a "
        "multi-year course). Pay loses the line-duty supplement and attrition falls to peacetime "
        "rates by 2028-29 (PersonnelYears overrides). Promotions draw on half of a grade "
        "(move_eligible_share), intake changes smoothly (accession_step_max) and the last "
        "year must be repeatable (terminal = steady). The 70 wartime mechanised and 30 "
        "territorial brigades give way to contract brigades - plain or heavy (CV90, "
        "Leopard 2), the choice money makes; unmanned systems, air defence and artillery "
        "grow.",
        "",
        f"Model: {len(TRADES)} trades x {len(GRADES)} grades ({', '.join(GRADES)}) = "
        f"{len(TRADES) * len(GRADES)} personnel classes over {len(YEARS)} years; "
        f"{len(UNIT_TYPES)} unit types with TO&E (Manning) and equipment tables (Equipping); "
        f"{len(EQUIPMENT)} equipment types with prices, upkeep, lead times, production limits, "
        f"partner donations and contracted deliveries; {len(COURSES)} courses, among them "
        "partner-run ones (UK Interflex, EU EUMAM) that exist only in some years; promotions "
        "and cross-training with their courses; limited duty for wounded who return.",
        "",
        "Money (UAH base; partner money and foreign prices in USD and EUR on an exchange-rate "
        "path, ExchangeRates; UAH prices rise with a PriceIndex; costs discounted at 3% a "
        "year): the national budget (the Armed Forces' share, set so that money binds), the "
        "EU loan of Dec 2025 (2026-27, carried over but lapsing after 2 years), other "
        "partners and PURL, spent in that order (Funding.priority). Long-lead items are paid "
        "over several years (payment_profile); contracts signed before 2026 still cost "
        "money (FixedSpending). Consumables are used in training in peacetime; the war "
        "reserve is an explicit stock requirement. US-made systems (budget line "
        "procurement_us) can only be paid through PURL.",
        "",
        "How to use: forceplan validate / solve / explain this file. `--objective "
        "max_capability` buys the most capability the money allows: 10% more money buys "
        "more (heavy brigades), 10% less buys less (`forceplan sweep --objective "
        "max_capability --vary 'Funding.amount=*0.8:1.2:21'`). ukraine-austere.xlsx has 20% "
        "less money: the base case's unit floors cannot be paid, and with floors at 70% the "
        "plan shows which capability to give up.",
        "",
        "Generated by data/build_examples.py; edit the script, not this file.",
    ]
    if austere:
        rows.insert(
            2,
            "AUSTERE: every source of money is 20% lower from 2027 (Funding.amount x 0.8; "
            "the 2026 budget is law), and the "
            "floors on units from 2027 are 70% of the base case's (UnitYears.min_units): "
            "the plan must choose which capability to give up. Everything else is as in "
            "ukraine-2026-2035.xlsx.",
        )
        rows.insert(3, "")
    return [[r] for r in rows]


def sources_sheet() -> Rows:
    """Every figure of the workbook: figure, value, unit, source, date, note."""
    rows: Rows = [["figure", "value", "unit", "source", "date", "note"]]

    def src(tag: str, figure: str, value: Any, unit: str, note: str = "") -> None:
        if tag in SOURCES:
            source, date = SOURCES[tag]
            kind = "measured: " if tag in MEASURED else "estimate: "
            rows.append([figure, value, unit, kind + source, date, note])
        else:
            why = ASSUMPTIONS[tag]
            rows.append(
                [
                    figure,
                    value,
                    unit,
                    "assumption",
                    "",
                    (note + "; " if note else "") + "why: " + why,
                ]
            )

    # conversion and headline figures
    for cur in ("USD", "EUR"):
        src("fx", f"exchange rate {cur}", FX[cur], f"UAH per {cur}")
    src(
        "force-size",
        "wartime army, Dec 2025",
        "880,000-900,000",
        "persons",
        f"base state here: {sum(initial_strengths().values()):,} (sum of initial_strength)",
    )
    src("peace-plan", "peacetime ceiling (EndStrength from 2029)", 800_000, "persons")
    src("scenario", "scenario", "freeze in 2026, draw-down to 800,000 by 2029", "")
    for y, (lo, hi) in END_STRENGTH.items():
        src(
            "glide",
            f"EndStrength {y}" + (" and after" if y == max(END_STRENGTH) else ""),
            f"{lo:,}-{hi:,}",
            "persons",
        )
    src(
        "intake",
        "intake (mobilisation + contracts), Apr 2025",
        30_000,
        "persons/month",
        "context for the recruiting pool and the mobilisation schedule",
    )
    src("pool", "accession_max_total (recruiting pool)", RECRUITING_POOL[0], "persons/year")
    src(
        "demob", "separation_max_total (demobilisation capacity)", DEMOB_CAPACITY[0], "persons/year"
    )
    src(
        "service-limit",
        "mobilised: max_service_years (legal service limit)",
        MOBILISED_LIMIT,
        "years",
        "cohorts by years served (P10); at the limit: contract, reserve or discharge",
    )
    src(
        "service-limit",
        "mobilised end-2025 by years served 0 / 1 / 2 (PersonnelCohorts)",
        " / ".join(f"{s:.0%}" for s in MOBILISED_SERVED),
        "share of each trade's mobilised strength",
    )
    src(
        "contract-term",
        "contract_soldier: max_service_years (first contract term)",
        CONTRACT_TERM,
        "years",
        "cohorts by years served (P10); at the end: NCO, reserve or discharge",
    )
    src(
        "contract-term",
        "contract soldiers end-2025 by years served (PersonnelCohorts)",
        " / ".join(f"{s:.0%}" for s in CONTRACT_SERVED),
        "share of each trade's contract strength",
    )
    for y, n in MOBILISATION.items():
        src("mobilisation", f"mobilisation {y} (accession_max, all trades)", n, "persons")
    src(
        "force-size",
        "strength at the end of 2025 (sum of initial_strength)",
        BASE_STRENGTH,
        "persons",
        "mid-point of the estimate; mobilised above establishment make up the "
        "difference to the 2025 posts (assumption)",
    )
    src("corps", "corps structure, brigades on the front", "13+2+1 corps; 110+ brigades", "")
    src(
        "brigade-size",
        "mechanised brigade strength",
        "3,000-5,000",
        "persons",
        "TO&E here: wartime 4,200, contract 3,700",
    )

    # pay
    src("pay-2023", "base pay, rifleman (2023)", 20_000, "UAH/month", "context")
    src(
        "pay-2026",
        "rear-area minimum after the 2026 reform",
        30_000,
        "UAH/month",
        "monthly cash of a mobilised soldier",
    )
    src(
        "pay-front",
        "front-line supplement",
        100_000,
        "UAH/month",
        "averaged as 25,000/month: one person-month in four at the line (assumption)",
    )
    src(
        "pay-structure", "pay structure", "salary + rank + seniority + allowance >= 65% + bonus", ""
    )
    src("contract-1824", "contract 18-24 programme", "1,000,000 bonus + 120,000/month", "UAH")
    for grade, ((cash, sup, over), tag) in PAY.items():
        total = 12 * (cash + sup) + over
        src(
            tag,
            f"annual_cost {grade}",
            total,
            "UAH/person-year",
            f"12 x ({cash:,} cash + {sup:,} line-duty supplement) + {over:,} overhead",
        )
    for trade, (prem, tag) in TRADE_PAY_PREMIUM.items():
        src(tag, f"pay premium {trade}", prem, "fraction of annual_cost")
    src("bonus", "contract signing bonus", CONTRACT_SIGNING_BONUS[0], "UAH/person")
    src(
        "bonus",
        "recruiting cost per contract recruit",
        RECRUITING_COST[0],
        "UAH/person",
        f"accession_cost contract_soldier = {CONTRACT_SIGNING_BONUS[0]:,} + "
        f"{RECRUITING_COST[0]:,} = {GRADE_FLOWS['contract_soldier'][2]:,}",
    )
    src(MOBILISATION_COST[1], "accession_cost mobilised", MOBILISATION_COST[0], "UAH/person")
    src(
        OFFICER_RECRUITING_COST[1],
        "accession_cost junior_officer",
        OFFICER_RECRUITING_COST[0],
        "UAH/person",
    )
    src("reenlist", "re-enlistment bonus mobilised -> contract", REENLIST_BONUS[0], "UAH/person")
    src(
        "reenlist",
        "re-enlistments per year, all trades (max_per_year)",
        REENLIST_MAX[0],
        "persons/year",
        "spread over trades by end-2025 mobilised strength",
    )
    for grade, (attr, fy, _acc, sep) in GRADE_FLOWS.items():
        src("attrition", f"attrition_rate / first-year {grade}", f"{attr} / {fy}", "fraction")
        src("separation", f"separation_cost {grade}", sep, "UAH/person")
    src(
        "awol",
        "AWOL cases",
        "67,840 (2024); 110,511 (Jan-Jul 2025)",
        "cases",
        "basis for the attrition rates",
    )
    src(
        OVERSTRENGTH_COST[1],
        "overstrength_cost (career classes)",
        OVERSTRENGTH_COST[0],
        "UAH/person-year",
        "0 for mobilised (they are the draw-down pool)",
    )
    src(
        "overstrength-max",
        "overstrength_max (career classes)",
        f"{OVERSTRENGTH_MAX[0]:.0%} of end-2025 strength + {OVERSTRENGTH_MAX[1]}",
        "persons",
    )
    src("wounded", "wounded returning to duty", "about half", "")
    for key, (value, tag) in LIMITED_DUTY.items():
        src(
            tag,
            f"limited duty: {key}",
            value,
            {
                "cost": "UAH/person-year",
                "availability": "fraction",
                "cap_share": "share of end-2025 strength",
            }[key],
        )

    for y in YEARS[:4]:
        src(
            "peace-pay",
            f"line-duty supplement paid {y}",
            SUPPLEMENT_SHARE.get(y, 0.0),
            "share of the wartime supplement",
            "PersonnelYears.annual_cost",
        )
    for grade, rate in PEACE_ATTRITION.items():
        src(
            "peace-attrition",
            f"attrition_rate {grade} 2026 / 2027 / 2028+",
            f"{attrition(grade, 2026)} / {attrition(grade, 2027)} / {rate}",
            "fraction",
        )
    src(
        "reserve",
        "reserve class (per trade): annual_cost / attrition / transfer cost",
        f"{RESERVE['annual_cost']:,} / {RESERVE['attrition_rate']} / {RESERVE['transfer_cost']:,}",
        "UAH, fraction, UAH",
    )
    src(
        RESERVE_MIN[2],
        f"reserve strength from {RESERVE_MIN[1]} (EndStrength reserve)",
        RESERVE_MIN[0],
        "persons",
    )
    src(
        MOVE_ELIGIBLE[1],
        "move_eligible_share contract / nco / junior officer",
        " / ".join(str(v) for v in MOVE_ELIGIBLE[0].values()),
        "fraction",
    )
    src(
        "smoothing",
        "accession_step_max per class / accession_step_max_total",
        f"{STEP_SHARE:.0%} of end-2025 strength (>= {STEP_FLOOR}) / {STEP_TOTAL:,}",
        "persons/year",
    )
    src("steady", "Settings.terminal", "steady", "")

    # units
    split_of = {u[0]: u[2] for u in UNIT_TYPES}
    for unit, desc, split, cap, om, act, dis, act_max in UNIT_TYPES:
        size = sum(TOE[unit].values())
        src(
            "toe",
            f"TO&E {unit}",
            size,
            "persons/unit",
            f"{desc}; grade split '{split_of[unit]}': "
            + ", ".join(f"{g} {s:.0%}" for g, s in SPLITS[split].items()),
        )
        init, schedule = STRUCTURE[unit]
        plan = "; ".join(f"{y}: {lo}-{hi}" for y, (lo, hi) in schedule.items())
        src("structure", f"units {unit}: end-2025 and min-max per year", f"{init}; {plan}", "units")
        src("capability", f"capability_score {unit}", cap, "points/unit-year")
        src(
            "units-cost",
            f"unit costs {unit}: O&M / stand-up / disband / stand-ups per year",
            f"{om:,.0f} / {act:,.0f} / {dis:,.0f} / {act_max}",
            "UAH, UAH, UAH, units/year",
        )
        src(
            "equipping",
            f"equipment per unit {unit}",
            ", ".join(f"{e} {q:,}" for e, q in EQUIPPING[unit].items() if q),
            "items/unit",
        )
    for trade, posts in INSTITUTIONAL_POSTS.items():
        src(
            "institutional",
            f"posts outside units: {trade}",
            posts,
            "persons",
            "PersonnelYears.requirement, split by INSTITUTIONAL grade shares",
        )
    src(
        "institutional",
        "grade split of posts outside units",
        ", ".join(f"{g} {s:.0%}" for g, s in INSTITUTIONAL_CAREER.items()),
        "",
        "mobilised share of these posts: "
        + ", ".join(f"{y} {s:.0%}" for y, s in INSTITUTIONAL_MOBILISED_SHARE.items()),
    )

    # training
    src(
        "basic-training",
        "basic training length",
        "45-60 days + 14 days adaptation",
        "",
        "duration_years basic = 59/365 = 0.16",
    )
    src("basic-training", "concurrent trainees", "20,000-35,000", "persons")
    src(
        "training-cost",
        "cost per recruit trained",
        100_000,
        "UAH/trainee",
        "cost_per_trainee basic",
    )
    src("interflex", "Operation Interflex", "> 56,000 trained; 5-7 weeks; GBP 247 m (2025)", "")
    src("eumam", "EUMAM", "75,000 trained by Feb 2025; EUR 409 m to Nov 2026", "")
    for name, cap, cost, dur, instr, tpi, exp_cost, exp_max, tag in COURSES:
        extra = COURSE_YEARS.get(name)
        value = (
            f"capacity {cap:,}/yr"
            if not extra
            else "capacity "
            + ", ".join(f"{y}: {c:,}" for y, c in extra.items())
            + " (0 other years)"
        )
        value += f"; {cost:,} UAH/trainee; duration {dur}"
        if instr:
            value += f"; instructors {instr[0]}/{instr[1]} 1 per {tpi}"
        if exp_max:
            value += f"; expansion {exp_cost:,} UAH/seat, <= {exp_max:,} seats/yr"
        src(tag, f"course {name}", value, "")
    for src_grade, dst, cost, share, loss, course, tag in PROMOTIONS:
        src(
            tag,
            f"promotion {src_grade} -> {dst}",
            f"{cost:,} UAH/person; <= {share:.0%} of destination; loss {loss}; course {course}",
            "",
        )
    for a, b, cost, cap, course, tag in CROSS_TRAINING:
        src(tag, f"cross-training {a} -> {b}", f"{cost:,} UAH; <= {cap:,}/yr; course {course}", "")

    # equipment
    for name, desc, price, cur, tag, upkeep, attr, lead, pmax, line, stock in EQUIPMENT:
        uah = round(price * FX[cur])
        src(tag, f"unit_price {name}", price, cur, f"{desc}; = {uah:,} UAH")
        src(
            "equipment-use",
            f"{name}: upkeep / attrition / lead time / procurement_max",
            f"{upkeep:.1%} of price / {attr} / {lead} yr / {pmax:,} per yr",
            "",
            f"budget line {line}",
        )
        facts = [f"initial stock {stock:,}"]
        for label, table in (
            ("donations", DONATIONS),
            ("contracted deliveries", SCHEDULED),
            ("requirement outside units", REQUIREMENT_OUTSIDE_UNITS),
        ):
            if name in table:
                facts.append(f"{label} " + ", ".join(f"{y}: {q:,}" for y, q in table[name].items()))
        src("stocks", f"{name}: stock and deliveries", "; ".join(facts), "items")
    src(
        "bohdana",
        "Bohdana production",
        "15-20 per month",
        "items/month",
        "procurement_max 216/yr = 18 x 12",
    )
    src(
        "fpv",
        "FPV drones bought in 2025",
        "4.5 m for UAH 110 bn",
        "",
        "unit price 24,000 UAH; procurement_max 6 m/yr (assumption: 2025 output + growth)",
    )

    for name, rate in PEACE_USE.items():
        src("peace-use", f"peacetime use {name} (attrition from 2027)", rate, "share of stock/yr")
    src(
        "war-reserve",
        "war-reserve stock (EquipmentYears.requirement)",
        "155 mm 1,000,000; FPV 1,500,000; interceptor drones 100,000; PAC-3 400",
        "items",
    )
    src(
        "om-training",
        "unit O&M without training ammunition",
        OM_WITHOUT_TRAINING_AMMO,
        "factor on the wartime O&M",
    )
    for name, profile in PAYMENT_PROFILE.items():
        src("payment-profile", f"payment_profile {name}", profile, "shares by year")
    for line, y, amount in FIXED_SPENDING:
        src("fixed-spending", f"FixedSpending {line} {y}", amount, "UAH")
    src(
        "heavy-brigade",
        "heavy_brigade: CV90 44, Leopard 2 31 per brigade",
        15,
        "capability points/unit-year",
    )
    src(
        "integer",
        "integer_units / Equipment.integer",
        INTEGER,
        "",
        "off: min_cost MIP with integer_units 379 s vs 33 s LP (11.5x), measured 2026-11-28",
    )

    # money
    src("nbu-target", "NBU inflation target", "5% +/- 1 pp", "per year")
    src(
        "price-index",
        "PriceIndex (UAH lines)",
        ", ".join(f"{y}: {price_index(y)}" for y in YEARS),
        "factor",
    )
    for cur in ("USD", "EUR"):
        src(
            "fx-path",
            f"ExchangeRates {cur}",
            ", ".join(f"{y}: {fx(cur, y)}" for y in YEARS),
            f"UAH per {cur}",
        )
    src("expiry", "EU loan expires_after", EXPIRES["eu_loan"], "years")
    src(
        "spending-order", "Funding.priority", ", ".join(f"{k} {v}" for k, v in PRIORITY.items()), ""
    )
    src("budget-law-2026", "2026 defence and security budget", "2.8 tn", "UAH")
    src(
        "budget-2025",
        "2025 defence budget",
        "2.23 tn (1.16 tn pay, 739 bn weapons)",
        "UAH",
        "check on the scale of annual_cost and of the plan's spending",
    )
    src("budget-2026", "2026 defence budget", "2.8 tn; external need $49.2 bn", "UAH")
    src("need-2026", "2026 total need", "$120 bn, half from partners", "USD")
    src(
        "eu-loan",
        "EU loan 2026-27",
        90 * BN,
        "EUR",
        "assumed a third (EUR 30 bn) for the Armed Forces: EUR 15 bn a year in 2026 and 2027",
    )
    src("purl", "PURL", "$0.5 bn packages, target $1 bn/month; $3.3 bn pledged", "USD")
    src(
        "udcg",
        "Contact Group commitments since 2022",
        "> $98 bn",
        "USD",
        "context for 'other partners'",
    )
    for source, lines, carry, amounts, cur, tag in FUNDING:
        src(
            tag,
            f"funding {source}",
            "; ".join(f"{y}: {a / BN:,.1f} bn {cur}" for y, a in amounts.items())
            + (" (later years repeat the last)" if source != "eu_loan" else ""),
            cur,
            f"lines {lines}; carryover {carry}; in {cur}, converted at the ExchangeRates path",
        )
    for line, cap, tag in LINE_LIMITS:
        src(tag, f"LineLimits {line} max per year", cap, "UAH")
    for name, nt, ng, dt, dg, lo, hi, yrs in RATIOS:
        src(
            "ratios",
            f"ratio {name}",
            f"{lo if lo is not None else '-'} .. {hi if hi is not None else '-'}",
            "fraction",
            f"({nt}/{ng}) / ({dt}/{dg}); years {yrs or 'all'}",
        )
    for kind, pen, tag in PENALTIES:
        src(tag, f"penalty {kind}", pen, "UAH-equivalent per unit of shortfall per year")
    return rows


# ---------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------

HEADER_FILL = PatternFill("solid", fgColor="BDD7EE")
FIXED_TIME = (2026, 1, 1, 0, 0, 0)
FIXED_ISO = "2026-01-01T00:00:00Z"


def workbook_sheets(austere: bool) -> dict[str, Rows]:
    personnel, personnel_years = personnel_sheets()
    courses, course_years = courses_sheets()
    unit_types, unit_years, man, equ = unit_sheets(austere)
    equipment, equipment_years = equipment_sheets()
    rates, index, fixed = money_sheets()
    title = "Ukraine 2026-2035: to the 800,000 army" + (" (austere)" if austere else "")
    return {
        "About": about_sheet(austere),
        "Settings": settings_sheet(title),
        "Personnel": personnel,
        "PersonnelYears": personnel_years,
        "PersonnelCohorts": cohorts_sheet(),
        "Transitions": transitions_sheet(),
        "Courses": courses,
        "CourseYears": course_years,
        "UnitTypes": unit_types,
        "UnitYears": unit_years,
        "Manning": man,
        "Equipping": equ,
        "Equipment": equipment,
        "EquipmentYears": equipment_years,
        "EndStrength": end_strength_sheet(),
        "Ratios": ratios_sheet(),
        "Funding": funding_sheet(AUSTERE_MONEY if austere else 1.0),
        "ExchangeRates": rates,
        "PriceIndex": index,
        "FixedSpending": fixed,
        "LineLimits": line_limits_sheet(),
        "Penalties": penalties_sheet(),
        "Sources": sources_sheet(),
    }


def workbook_bytes(sheets: dict[str, Rows]) -> bytes:
    """The .xlsx file of `sheets`, byte for byte the same for the same data."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(row)
        if name == "About":
            ws.column_dimensions["A"].width = 80
            ws["A1"].font = Font(bold=True, size=14)
            for (cell,) in ws.iter_rows(min_row=2):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                # explicit heights: spreadsheet programs do not all size wrapped rows
                lines = -(-len(str(cell.value or "")) // 70)
                ws.row_dimensions[cell.row].height = 15 * max(1, lines)
            _print_setup(ws, width=1)
            continue
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
        ws.freeze_panes = "A2"
        wrapped = set()
        for i in range(len(rows[0])):
            longest = max(len(str(r[i])) for r in rows if i < len(r) and r[i] is not None)
            ws.column_dimensions[get_column_letter(i + 1)].width = min(max(10, longest + 2), 60)
            if longest + 2 > 60:  # long text wraps in its column instead of running off
                wrapped.add(i + 1)  # the printed page (the PDF's scale)
        for row in ws.iter_rows(min_row=2):
            lines = 1
            for cell in row:
                if cell.column in wrapped and isinstance(cell.value, str):
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
                    lines = max(lines, -(-len(cell.value) // 55))
            if lines > 1:  # explicit heights, as on About
                ws.row_dimensions[row[0].row].height = 15 * lines
        header = [str(c.value or "") for c in ws[1]]
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                value = cell.value
                if isinstance(value, int | float) and not isinstance(value, bool) and value >= 1000:
                    # years read 2026, not 2,026
                    cell.number_format = "0" if _is_year(name, header, cell) else "#,##0"
        _print_setup(ws, len(rows[0]))
    book.properties.creator = "data/build_examples.py"
    buffer = io.BytesIO()
    book.save(buffer)
    return _deterministic(buffer.getvalue())


def _is_year(sheet: str, header: list[str], cell: object) -> bool:
    """A year column (`year`, `*_year`) or a year-valued Settings key (first_year ...)."""
    column = header[cell.column - 1] if cell.column <= len(header) else ""  # type: ignore[attr-defined]
    if column == "year" or column.endswith("_year"):
        return True
    if sheet == "Settings" and column == "value":
        key = cell.parent.cell(row=cell.row, column=1).value  # type: ignore[attr-defined]
        return str(key).endswith("_year")
    return False


def _print_setup(ws: object, width: int) -> None:
    """Print the sheet on pages one page wide, its header row on every page."""
    ws.print_title_rows = "1:1"  # type: ignore[attr-defined]
    setup = ws.page_setup  # type: ignore[attr-defined]
    widths = [ws.column_dimensions[get_column_letter(j)].width or 9 for j in range(1, width + 1)]  # type: ignore[attr-defined]
    # portrait holds more rows per page once fitted to the width; landscape when wide
    setup.orientation = "landscape" if sum(widths) > 140 else "portrait"
    setup.fitToWidth, setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True  # type: ignore[attr-defined]


def _deterministic(xlsx: bytes) -> bytes:
    """Repack the zip with fixed timestamps so that the same data gives the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = data.decode("utf-8")
                text = re.sub(
                    r"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)",
                    rf"\g<1>{FIXED_ISO}\g<3>",
                    text,
                )
                data = text.encode("utf-8")
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, data)
    return out.getvalue()


def build(name: str) -> bytes:
    """The workbook `name` (BASE_NAME or AUSTERE_NAME) as .xlsx bytes."""
    return workbook_bytes(workbook_sheets(austere=name == AUSTERE_NAME))


def main() -> None:
    EXAMPLES.mkdir(exist_ok=True)
    for name in (BASE_NAME, AUSTERE_NAME):
        path = HERE / f"{name}.xlsx"
        path.write_bytes(build(name))
        shutil.copyfile(path, EXAMPLES / f"{name}.xlsx")
        print(f"wrote {path.relative_to(ROOT)} and forceplan/examples/{name}.xlsx")


if __name__ == "__main__":
    main()
