"""Stated priorities from the sections of real and hand-built CSP documents."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from ingest.model import Document, Section
from ingest.nlp.commitments import extract_commitments
from ingest.nlp.priorities import extract_priorities
from ingest.pipeline.extract import extract_file

from samples import BRAINTREE_PACK, BRENTWOOD_PLAN, COLCHESTER_PACK, sample

BRENTWOOD_PRIORITIES = [
    "Community Engagement",
    "Anti-Social Behaviour/Environmental Crime",
    "Protecting People from Harm",
    "Burglary",
]
# The Police and Crime Plan priorities the Brentwood plan quotes, and its own table column.
PCC_PRIORITIES = [
    "More local, visible and accessible policing",
    "Crack down on anti-social behaviour",
    "Breaking the cycle of domestic abuse",
    "Reverse the trend in serious violence",
    "Tackle gangs and organised crime",
    "Protecting children and vulnerable people",
    "Improve safety on our roads",
]
BRAINTREE_2017 = [
    "Reduce the risk and impact of Hidden Harm",
    "Reduce Re-offending",
    "Effective partnership working to meet emerging local threats and issues",
]
BRAINTREE_2018 = [
    "Tackle the trafficking of drugs in the community",
    "Increase confidence in identifying and reporting hidden harms",
    "Drive down violence and disorder within the community",
]


@cache
def documents(stem: str, kind: str) -> tuple[Document, ...]:
    return tuple(extract_file(sample(stem, kind)).documents)


def document_titled(stem: str, kind: str, title_part: str) -> Document:
    (document,) = [d for d in documents(stem, kind) if title_part in d.title]
    return document


def texts(document: Document) -> list[str]:
    return [priority.text for priority in extract_priorities(document)]


def build_document(*sections: tuple[list[str], str, int], year: int | None = 2020) -> Document:
    """A document from (heading path, text, page) triples, as the readers would give it."""
    doc_id = "hand-built-00"
    return Document(
        doc_id=doc_id,
        source="hand-built",
        file_sha256="0" * 64,
        part=0,
        title=sections[0][0][0],
        year_from=year,
        year_to=year,
        sections=[
            Section(
                section_id=f"{doc_id}:{index:04d}",
                doc_id=doc_id,
                heading_path=heading_path,
                text=text,
                page_start=page,
                page_end=page,
                char_start=0,
                char_end=len(text),
                year_from=year,
                year_to=year,
            )
            for index, (heading_path, text, page) in enumerate(sections)
        ],
    )


@pytest.mark.parametrize("kind", ["text", "pdf"])
def test_priorities_brentwood_plan_states_its_four_priorities(kind: str) -> None:
    (plan,) = documents(BRENTWOOD_PLAN, kind)
    priorities = extract_priorities(plan)
    # The contents list calls the second one "Anti-Social Behaviour/Environmental Crime" and
    # its action-plan heading "Priority: Anti-Social Behaviour": one priority, the fuller
    # wording, the heading's section.
    assert [p.text for p in priorities] == BRENTWOOD_PRIORITIES
    assert [p.rank for p in priorities] == [1, 2, 3, 4]
    assert [p.themes[0] for p in priorities] == [
        "community confidence and engagement",
        "anti-social behaviour",
        "vulnerability and mental health",
        "burglary and acquisitive crime",
    ]
    assert "environmental crime" in priorities[1].themes
    headings = {s.section_id: s.heading_path[-1] for s in plan.sections}
    assert [headings[p.section_id] for p in priorities] == [
        "Priority: Community Engagement",
        "Priority: Anti-Social Behaviour",
        "Priority: Protecting People from Harm",
        "Priority: Burglary",
    ]


def test_priorities_brentwood_pdf_keeps_the_heading_pages() -> None:
    (plan,) = documents(BRENTWOOD_PLAN, "pdf")
    assert [p.page for p in extract_priorities(plan)] == [5, 10, 13, 16]


def test_priorities_brentwood_leaves_out_the_police_and_crime_plan_it_quotes() -> None:
    (plan,) = documents(BRENTWOOD_PLAN, "text")
    found = {text.lower() for text in texts(plan)}
    assert not found & {text.lower() for text in PCC_PRIORITIES}


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["text", "pdf"])
def test_priorities_braintree_action_plans_for_2017_18_and_2018_19(kind: str) -> None:
    plan_2017 = document_titled(BRAINTREE_PACK, kind, "Action Plan 2017-18")
    plan_2018 = document_titled(BRAINTREE_PACK, kind, "Action Plan 2018-2019")
    # 2017-18: "1. | PRIORITY: Reduce the risk ..." rows in the action table.
    assert texts(plan_2017) == BRAINTREE_2017
    # 2018-19: the list under "CSP Priorities 2018-2019:", not the Police and Crime Plan
    # priorities listed after it.
    assert texts(plan_2018) == BRAINTREE_2018
    assert [p.themes[:1] for p in extract_priorities(plan_2018)] == [
        ["drugs and county lines"],
        ["vulnerability and mental health"],
        ["serious violence"],
    ]


def test_priorities_braintree_annual_report_dates_next_years_list_to_its_year() -> None:
    report = document_titled(BRAINTREE_PACK, "text", "Annual Report 2017-18")
    # "In 2018-19 the Strategic Priorities ... will be:" dates its list to 2018-19.
    priorities = extract_priorities(report)
    this_year = [p.text for p in priorities if p.year == 2017]
    next_year = [p.text for p in priorities if p.year == 2018]
    assert this_year == BRAINTREE_2017
    assert next_year == [
        "Tackle the trafficking of drugs in the community",
        "Increase confidence in identifying and reporting hidden harms",
        "Drive down violence and disorder within the community",
    ]


def test_priorities_braintree_strategic_assessment_numbered_headings() -> None:
    assessment = document_titled(BRAINTREE_PACK, "text", "Strategic Assessment")
    # "Priority One - ...", "Priority Two - ...", "Priority Three - ..." headings; the
    # "Previous Strategic Priorities 2017/18" are not the assessment's.
    assert texts(assessment) == [
        "Tackling the Trafficking of Drugs in the Community",
        "Increase confidence in identifying and reporting Hidden Harms",
        "Driving Down Violence and Disorder within the Community",
    ]


@pytest.mark.slow
def test_priorities_colchester_pack_partner_appendices_state_none_for_the_csp() -> None:
    plan = document_titled(COLCHESTER_PACK, "text", "ANNUAL PARTNERSHIP PLAN")
    assert [p.themes[0] for p in extract_priorities(plan)] == [
        "drugs and county lines",
        "anti-social behaviour",
        "vulnerability and mental health",
    ]
    fire = document_titled(COLCHESTER_PACK, "text", "Fire and Rescue Service")
    assert "Our Priorities" in "\n".join(section.text for section in fire.sections)
    assert extract_priorities(fire) == []


@pytest.mark.slow
def test_priorities_colchester_report_dates_each_years_list_by_its_section() -> None:
    report = document_titled(COLCHESTER_PACK, "text", "Safer Colchester Partnership")
    priorities = extract_priorities(report)
    years = {s.section_id: s.year_from for s in report.sections}
    by_year = {
        year: [p.text for p in priorities if years[p.section_id] == year] for year in (2019, 2020)
    }
    # 2019-20: the headings after "... the following Key Priorities for ... 2019 - March
    # 2020:"; 2020-21: the list after "... Key Priorities for ... April 2020 - March 2021 are:".
    assert by_year[2019] == [
        "Tackling Organised Criminality, Gangs and County Lines",
        "Driving down Anti-Social Behaviour and Violent Crime in public places",
        "Increase confidence in identifying & reporting Hidden Harms",
    ]
    assert len(by_year[2020]) == 3
    assert by_year[2020][0].startswith("Tackling Organised Crime, Gangs and County lines")


def test_priorities_numbered_headings_count_once_with_the_contents() -> None:
    plan = build_document(
        (["Safer Swansea Partnership Plan"], "Contents\nIntroduction.....\t2", 1),
        (
            ["Safer Swansea Partnership Plan", "Contents"],
            "Priority 1: Tackling Domestic Abuse.....\t4\n"
            "Priority 2 – Reducing Anti-social Behaviour.....\t6\n"
            "Strategic Priority Three: Serious Violence.....\t8",
            1,
        ),
        (["Safer Swansea Partnership Plan", "Priority 1: Tackling Domestic Abuse"], "Text.", 4),
        (
            ["Safer Swansea Partnership Plan", "Priority 2 – Reducing Anti-social Behaviour"],
            "We will use the powers in the 2014 Act.",
            6,
        ),
        (
            ["Safer Swansea Partnership Plan", "Strategic Priority Three: Serious Violence"],
            "Knife crime has risen.",
            8,
        ),
    )
    priorities = extract_priorities(plan)
    assert [(p.text, p.page, p.rank) for p in priorities] == [
        ("Tackling Domestic Abuse", 4, 1),
        ("Reducing Anti-social Behaviour", 6, 2),
        ("Serious Violence", 8, 3),
    ]
    assert [p.themes for p in priorities] == [
        ["domestic abuse and VAWG"],
        ["anti-social behaviour"],
        ["serious violence"],
    ]


def test_priorities_our_priorities_list_stops_and_skips_the_pccs() -> None:
    plan = build_document(
        (
            ["Community Safety Partnership Strategy 2020-23", "Our priorities"],
            "Our priorities for 2020-23 are:\n"
            "• Violence against women and girls\n"
            "• County lines and drug-related harm\n"
            "• Anti-social behaviour and hate crime\n"
            "These were chosen after consultation with residents, the strategic assessment "
            "and the views of partners across the borough.\n"
            "The Police and Crime Commissioner's priorities are:\n"
            "• Putting victims first\n"
            "• Cutting crime\n",
            3,
        ),
    )
    assert texts(plan) == [
        "Violence against women and girls",
        "County lines and drug-related harm",
        "Anti-social behaviour and hate crime",
    ]


def test_priorities_numbered_table_priority_column() -> None:
    plan = build_document(
        (
            ["Hull Community Safety Partnership Action Plan 2019/20", "Action plan"],
            "No. | Priority | Action | Lead | Target date\n"
            "1 | Tackling knife crime | Weapons sweeps in parks | Police | March 2020\n"
            "2 | Reducing reoffending | Expand IOM cohort | Probation | June 2019\n"
            "3 | Tackling knife crime | Schools education | Council | May 2019\n"
            "4 | Safer night time economy | Best Bar None | Licensing | Ongoing",
            7,
        ),
        year=2019,
    )
    priorities = extract_priorities(plan)
    assert [(p.text, p.themes[0]) for p in priorities] == [
        ("Tackling knife crime", "serious violence"),
        ("Reducing reoffending", "reoffending"),
        ("Safer night time economy", "night-time economy"),
    ]


def test_priorities_from_a_sentence_and_child_headings() -> None:
    report = build_document(
        (
            ["Safer Cornwall Annual Report 2019/20", "Introduction"],
            "The Partnership's priorities for 2019/20 are: tackling domestic abuse, "
            "reducing alcohol-related harm and protecting vulnerable people. "
            "They were agreed in March.",
            2,
        ),
        (["Safer Cornwall Annual Report 2019/20", "Our Priorities"], "", 3),
        (["Safer Cornwall Annual Report 2019/20", "Our Priorities", "Domestic abuse"], "x", 3),
        (
            ["Safer Cornwall Annual Report 2019/20", "Our Priorities", "Alcohol-related harm"],
            "y",
            5,
        ),
        (["Safer Cornwall Annual Report 2019/20", "Our Priorities", "Background"], "z", 6),
        year=2019,
    )
    priorities = extract_priorities(report)
    assert [(p.text, p.page) for p in priorities] == [
        # The heading "Domestic abuse" is the same priority as "tackling domestic abuse".
        ("tackling domestic abuse", 3),
        ("reducing alcohol-related harm", 5),
        ("protecting vulnerable people", 2),
    ]


def test_priorities_another_years_list_is_dated_to_that_year() -> None:
    report = build_document(
        (
            ["Safer Sutton Partnership Annual Report 2020/21", "Looking ahead"],
            "In 2021/22 our priorities will be:\nYouth violence\nFraud and scams",
            9,
        ),
    )
    assert [(p.text, p.year) for p in extract_priorities(report)] == [
        ("Youth violence", 2021),
        ("Fraud and scams", 2021),
    ]


def test_priorities_bare_numbered_label_takes_the_name_that_follows() -> None:
    plan = build_document(
        (["Safer Leeds Plan 2020-21", "Priority 1"], "Keeping children safe from exploitation", 3),
        (
            ["Safer Leeds Plan 2020-21", "Delivery"],
            "Priority 2 | Reducing knife crime | Police | Quarterly\n"
            "Priority 3\nTackling fly-tipping\nWe will prosecute offenders.",
            5,
        ),
    )
    assert [(p.text, p.page) for p in extract_priorities(plan)] == [
        ("Keeping children safe from exploitation", 3),
        ("Reducing knife crime", 5),
        ("Tackling fly-tipping", 5),
    ]


def test_priorities_contents_entries_stop_at_the_next_chapter() -> None:
    plan = build_document(
        (
            ["Safer Leeds Plan", "Contents"],
            "Foreword.....2\nOur priorities.....4\nTackling ASB.....5\n"
            "Reducing reoffending.....7\nPerformance data.....9\nContact us.....12",
            1,
        ),
    )
    assert texts(plan) == ["Tackling ASB", "Reducing reoffending"]


def test_priorities_risk_levels_and_previous_years_are_not_priorities() -> None:
    plan = build_document(
        (["Plan", "Risks"], "Risk | Priority | Owner\nLoss of funding | High | CSP Manager", 1),
        (["Plan", "Previous priorities"], "", 2),
        (["Plan", "Previous priorities", "Priority 1: Burglary"], "Down 10%.", 2),
        (["Plan", "Our priorities"], "", 3),
        (["Plan", "Our priorities", "Hate crime"], "Reports rose.", 3),
    )
    assert texts(plan) == ["Hate crime"]


ASSESSMENT_BODY = (
    "## 1. Executive summary\n\n"
    "This assessment reviews crime and disorder in Oldham over the twelve months to "
    "September 2020 and recommends the priorities the Partnership should adopt for 2021-22.\n\n"
    "## 2. Priorities for 2021-22\n\n"
    "The assessment recommends that the Partnership adopts the following priorities:\n\n"
    "- Reducing serious violence and knife crime\n- Protecting people from domestic abuse\n\n"
    "## 3. Recommendations\n\n"
    "The Partnership should share hospital data on assaults with the police each month.\n\n"
    "## 4. Glossary\n\nASB means anti-social behaviour.\n"
)


@pytest.mark.parametrize(
    "contents",
    [
        "## Contents\n\n1. Executive summary\n2. Priorities for 2021-22\n3. Recommendations\n"
        "4. Glossary\n\n",
        "Executive summary\n\nPriorities for 2021-22\n\nRecommendations\n\nGlossary\n\n",
    ],
    ids=["contents-heading", "entries-repeating-the-headings"],
)
def test_priorities_a_contents_page_is_not_a_list_of_priorities(
    tmp_path: Path, contents: str
) -> None:
    path = tmp_path / "assessment.md"
    path.write_text(
        "# Safer Oldham Partnership Strategic Assessment 2020-21\n\n" + contents + ASSESSMENT_BODY
    )
    (document,) = extract_file(path).documents
    assert [(p.text, p.year) for p in extract_priorities(document)] == [
        ("Reducing serious violence and knife crime", 2021),
        ("Protecting people from domestic abuse", 2021),
    ]
    next_year = [c.text for c in extract_commitments(document) if c.kind == "next_year_priority"]
    assert next_year == [
        "Reducing serious violence and knife crime",
        "Protecting people from domestic abuse",
    ]


def priorities_in_text(tmp_path: Path, text: str, name: str = "report.txt") -> list[str]:
    """The priorities of every document the text reader finds in `text`."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return [p.text for d in extract_file(path).documents for p in extract_priorities(d)]


def test_priorities_inline_list_inside_a_joined_paragraph(tmp_path: Path) -> None:
    text = (
        "Safer Rotherham Partnership Annual Report 2021/22\n\n"
        "Key Issues\n\n"
        "2.1 In 2021/22, total recorded crime in Rotherham was 30,642 offences, an increase "
        "of 11.3% compared with 2020/21, which was affected by lockdowns. Anti-social "
        "behaviour incidents fell by 18% to 9,874.\n"
        "2.2 The Partnership's priorities for the year were: Protecting Vulnerable Children; "
        "Protecting Vulnerable Adults; Building Confident and Cohesive Communities; and "
        "Domestic and Sexual Abuse.\n"
        "2.3 Highlights include:\n"
    )
    assert priorities_in_text(tmp_path, text) == [
        "Protecting Vulnerable Children",
        "Protecting Vulnerable Adults",
        "Building Confident and Cohesive Communities",
        "Domestic and Sexual Abuse",
    ]


def test_priorities_semicolon_list_keeps_commas_inside_items(tmp_path: Path) -> None:
    text = (
        "Denbighshire County Council Communities Scrutiny Committee\n\n"
        "4. Report details\n\n"
        "4.2 The Partnership's priorities for 2021/22 were: Reduce crime and disorder; Reduce "
        "reoffending; Tackle violence against women, domestic abuse and sexual violence; and "
        "Prevent people being drawn into terrorism.\n"
    )
    # A county council's scrutiny report on its CSP states the CSP's priorities.
    assert priorities_in_text(tmp_path, text) == [
        "Reduce crime and disorder",
        "Reduce reoffending",
        "Tackle violence against women, domestic abuse and sexual violence",
        "Prevent people being drawn into terrorism",
    ]


def test_priorities_comma_list_drops_the_conjunction() -> None:
    document = build_document(
        (
            ["Recommended priorities for 2023/24"],
            "The Partnership should retain four priorities: Domestic Abuse, Serious Violence, "
            "Anti-Social Behaviour, and Reducing Reoffending.",
            1,
        )
    )
    assert texts(document) == [
        "Domestic Abuse",
        "Serious Violence",
        "Anti-Social Behaviour",
        "Reducing Reoffending",
    ]


def test_priorities_label_lines_joined_into_one_paragraph(tmp_path: Path) -> None:
    text = (
        "North Devon and Torridge Community Safety Partnership Annual Report 2019/20\n\n"
        "### Priorities for 2019/20\n\n"
        "Priority one – Domestic abuse and sexual violence\n"
        "Priority two – Alcohol and drug related harm, including the night-time economy\n"
        "Priority three – Anti-social behaviour\n"
        "Priority four – Exploitation of vulnerable people\n\n"
        "### Domestic abuse and sexual violence\n\n"
        "North Devon and Torridge saw 1,412 domestic abuse incidents.\n"
    )
    assert priorities_in_text(tmp_path, text, "report.md") == [
        "Domestic abuse and sexual violence",
        "Alcohol and drug related harm, including the night-time economy",
        "Anti-social behaviour",
        "Exploitation of vulnerable people",
    ]


def test_priorities_label_run_on_into_body_text_is_cut(tmp_path: Path) -> None:
    text = (
        "Safer Cornwall Partnership Strategic Assessment FY22/23\n\n"
        "Priority: Drugs and alcohol\n"
        "Drug-related deaths remain above the national average. With We Are With You, the "
        "Combating Drugs Partnership is delivering the national drugs strategy.\n\n"
        "Priority: Anti-social behaviour and the night-time economy\n"
        "Town centre ASB fell in Truro, Penzance and Newquay. Newquay retains Purple Flag "
        "status.\n\n"
        "Priority: Reducing reoffending\n"
        "The Integrated Offender Management cohort numbered 241. The Probation Service's "
        "Dynamic Framework contracts with Shaw Trust were renewed.\n"
    )
    assert priorities_in_text(tmp_path, text) == [
        "Drugs and alcohol",
        "Anti-social behaviour and the night-time economy",
        "Reducing reoffending",
    ]


def test_priorities_plain_list_under_priorities_recommended_for(tmp_path: Path) -> None:
    text = (
        "Richmond upon Thames Community Safety Partnership Strategic Assessment 2021-22\n\n"
        "Priorities recommended for the Community Safety Strategy 2022-2025\n"
        "1. Violence against women and girls, including domestic abuse\n"
        "2. Serious violence and exploitation\n"
        "3. Anti-social behaviour\n"
        "4. Neighbourhood crime, especially burglary and vehicle crime\n"
        "5. Hate crime\n\n"
        "Partnership activity in 2021-22\n"
        "Operation Bumblebee, the Met's burglary campaign, ran in East Sheen and Hampton.\n"
    )
    assert priorities_in_text(tmp_path, text) == [
        "Violence against women and girls, including domestic abuse",
        "Serious violence and exploitation",
        "Anti-social behaviour",
        "Neighbourhood crime, especially burglary and vehicle crime",
        "Hate crime",
    ]


def test_priorities_list_ends_at_themes_line_and_column_restates_it(tmp_path: Path) -> None:
    text = (
        "Kent Community Safety Agreement\n2022-23 Refresh\n\n"
        "Contents\n1. Introduction\n2. Priorities\n3. District and borough community safety "
        "partnerships\n4. Action plan\n\n"
        "The priorities were chosen after a review of the strategic assessments of each "
        "district CSP, Kent Police's control strategy and the Kent and Medway Violence "
        "Reduction Unit's needs assessment. Recorded crime in Kent was 126,400 offences.\n\n"
        "2. Priorities\n"
        "The KCSP has agreed the following priorities for 2022-23:\n"
        "- Domestic Abuse\n- Serious Violence and Organised Crime\n- Road Safety\n\n"
        "Cross-cutting themes: supporting victims; reducing reoffending.\n\n"
        "3. District and borough community safety partnerships\n"
        "There are 11 district CSPs covering the 12 districts of Kent.\n\n"
        "4. Action plan\n"
        "Priority\tAction\tLead\tBy\n"
        "Domestic Abuse\tDeliver the Kent and Medway Domestic Abuse Strategy 2020-2023 action "
        "plan\tKent and Medway Domestic Abuse Executive Group\tMarch 2023\n"
        "Serious Violence\tPrepare for the Serious Violence Duty\tKent and Medway VRU\t"
        "January 2023\n"
        "Road Safety\tSupport Community Speedwatch\tKent Police\tOngoing\n"
    )
    assert priorities_in_text(tmp_path, text) == [
        "Domestic Abuse",
        "Serious Violence and Organised Crime",
        "Road Safety",
    ]
