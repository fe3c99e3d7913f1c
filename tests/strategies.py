"""Hypothesis strategies for Chinese text: sentences, paragraphs, pages, and raw damage."""

from __future__ import annotations

from hypothesis import strategies as st

HANZI = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理世车"
PUNCT = "，。、；：？！“”（）《》"
DIGITS = "0123456789"

hanzi = st.sampled_from(HANZI)


@st.composite
def sentences(draw) -> str:
    """A Chinese sentence, sometimes with a number, ending in a full stop, question or exclamation."""
    words = draw(st.lists(st.text(hanzi, min_size=1, max_size=6), min_size=1, max_size=8))
    if draw(st.booleans()):
        number = draw(st.integers(0, 99999))
        unit = draw(st.sampled_from(["年", "月", "个", "万元", "%", "人"]))
        words.insert(draw(st.integers(0, len(words))), f"{number}{unit}")
    body = "，".join(words)
    return body + draw(st.sampled_from("。。。！？"))


@st.composite
def paragraphs(draw) -> str:
    return "".join(draw(st.lists(sentences(), min_size=1, max_size=5)))


@st.composite
def pages(draw) -> str:
    """Clean text: one paragraph per line."""
    return "\n".join(draw(st.lists(paragraphs(), min_size=1, max_size=6)))


chinese_text = st.text(
    alphabet=st.sampled_from(HANZI[:80] + PUNCT + DIGITS + " \n\u3000\f.%ABCabc-"),
    max_size=400,
)
"""Arbitrary text over Chinese characters, punctuation, digits, spaces and line breaks."""
