"""The theme taxonomy and the classifier that maps a priority's wording to themes."""

from __future__ import annotations

import pytest
import spacy

from ingest.nlp.themes import load_themes, themes_of

REQUIRED_THEMES = {
    "anti-social behaviour",
    "domestic abuse and VAWG",
    "child exploitation",
    "drugs and county lines",
    "serious violence",
    "hate crime",
    "reoffending",
    "road safety",
    "fraud and scams",
    "burglary and acquisitive crime",
    "extremism and Prevent",
    "modern slavery",
    "community confidence and engagement",
    "night-time economy",
    "vulnerability and mental health",
    "alcohol",
    "cyber crime",
    "environmental crime",
    "youth crime and diversion",
}


def test_themes_taxonomy_has_the_agreed_themes_each_described() -> None:
    themes = load_themes()
    assert {theme.theme for theme in themes} == REQUIRED_THEMES
    assert all(theme.description and theme.keywords for theme in themes)


def test_themes_every_keyword_maps_first_to_its_own_theme() -> None:
    # Guards the data: a keyword listed under two themes, or swallowed by a longer keyword
    # of another theme, would classify its own wording elsewhere.
    misfiled = [
        (theme.theme, keyword)
        for theme in load_themes()
        for keyword in theme.keywords
        if themes_of(keyword)[:1] != [theme.theme]
    ]
    assert misfiled == []


@pytest.mark.parametrize(
    ("wording", "expected"),
    [
        # The sample corpus's own priorities (Brentwood, Braintree, Colchester).
        ("Community Engagement", ["community confidence and engagement"]),
        (
            "Anti-Social Behaviour/Environmental Crime",
            ["anti-social behaviour", "environmental crime"],
        ),
        ("Protecting People from Harm", ["vulnerability and mental health"]),
        ("Burglary", ["burglary and acquisitive crime"]),
        ("Reduce Re-offending", ["reoffending"]),
        ("Tackle the trafficking of drugs in the community", ["drugs and county lines"]),
        ("Drive down violence and disorder", ["serious violence", "anti-social behaviour"]),
        ("Keep safe online", ["cyber crime"]),
        ("Promote healthy relationships", ["domestic abuse and VAWG"]),
        ("Tackling Organised Criminality, Gangs and County Lines", ["drugs and county lines"]),
        # Wording used elsewhere in England and Wales.
        ("Tackling Violence Against Women and Girls (VAWG)", ["domestic abuse and VAWG"]),
        ("Reducing DA and sexual violence", ["domestic abuse and VAWG"]),
        ("Child Sexual Exploitation (CSE) and CCE", ["child exploitation"]),
        ("Knife crime", ["serious violence"]),
        ("Disrupting OCGs", ["drugs and county lines"]),
        ("Integrated Offender Management (IOM)", ["reoffending"]),
        ("Fly tipping", ["environmental crime"]),
        ("Scams awareness", ["fraud and scams"]),
        ("Cybercrime", ["cyber crime"]),
        ("Preventing radicalisation", ["extremism and Prevent"]),
        ("Hate", ["hate crime"]),
        ("Safeguarding and mental health", ["vulnerability and mental health"]),
        ("Community cohesion", ["community confidence and engagement"]),
        ("Increasing public confidence", ["community confidence and engagement"]),
        ("Speeding", ["road safety"]),
        ("Vehicle crime and shoplifting", ["burglary and acquisitive crime"]),
        ("A safe night time economy", ["night-time economy"]),
        ("Modern slavery and human trafficking", ["modern slavery"]),
        ("Youth crime and diversionary activities", ["youth crime and diversion"]),
        ("Alcohol-related harm", ["alcohol"]),
    ],
)
def test_themes_real_priority_wording_maps_to_its_theme(wording: str, expected: list[str]) -> None:
    assert themes_of(wording) == expected


def test_themes_longest_match_wins_where_themes_overlap() -> None:
    assert themes_of("Violence against women and girls") == ["domestic abuse and VAWG"]
    assert themes_of("Drink driving") == ["road safety"]
    assert themes_of("Labour exploitation") == ["modern slavery"]


def test_themes_most_specific_theme_comes_first() -> None:
    assert themes_of(
        "Identifying hidden harms with a proactive approach to those at risk of Domestic Abuse"
    ) == ["domestic abuse and VAWG", "vulnerability and mental health"]


@pytest.mark.parametrize(
    "unrelated",
    [
        "Apologies for absence",
        "The meeting closed at 9.15pm",
        "Reducing crime and disorder",
        "Financial implications",
        "Effective partnership working to meet emerging local threats and issues",
    ],
)
def test_themes_unrelated_or_generic_text_maps_to_none(unrelated: str) -> None:
    assert themes_of(unrelated) == []


def test_themes_component_sets_doc_themes_and_spans() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("csp_themes")
    doc = nlp("Tackling ASB and fly-tipping")
    # "fly-tipping" is the longer, more specific match, so its theme comes first.
    assert doc._.themes == ["environmental crime", "anti-social behaviour"]
    assert [(span.text, span.label_) for span in doc.spans["themes"]] == [
        ("ASB", "anti-social behaviour"),
        ("fly-tipping", "environmental crime"),
    ]
