"""Direct quotations and who said them. Pure Python, no spaCy.

A speaker is only named when the text says who spoke: a name (or "he"/"she", or a
descriptor such as "the Ukrainian president") that is the subject of a speech verb next
to the quote. Anything less certain gives ``speaker=None``: a missing attribution is
better than a wrong one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsdesk.enrich.entities import Entity
from newsdesk.enrich.names import surname_of

_SPEECH_VERB_FAMILIES = (
    "say says said saying", "tell tells told telling", "write writes wrote writing",
    "add adds added adding", "stated", "declare declares declared",
    "insist insists insisted", "warn warns warned warning", "note notes noted",
    "argue argues argued", "claim claims claimed", "explain explains explained",
    "reply replies replied", "respond responds responded", "ask asks asked",
    "tweet tweets tweeted", "post posts posted", "announce announces announced",
    "clarify clarifies clarified", "continue continues continued", "urge urges urged",
    "quip quips quipped", "assure assures assured", "stress stresses stressed",
    "acknowledge acknowledges acknowledged", "admit admits admitted",
)  # fmt: skip
_SPEECH_VERBS = " ".join(_SPEECH_VERB_FAMILIES).split()
_VERB = r"(?:" + "|".join(_SPEECH_VERBS) + r"|according to)"
_TITLES = (
    "president|prime minister|foreign minister|defence minister|defense minister|minister|"
    "chancellor|spokesperson|spokesman|spokeswoman|secretary of state|secretary|senator|"
    "governor|mayor|leader|ambassador|envoy|general|commander"
)
_PREPOSITIONS = {
    "to", "with", "by", "for", "from", "of", "at", "on", "about", "against", "toward", "towards",
    "into", "over", "than", "like", "between", "among", "after", "before", "under", "without",
}  # fmt: skip
# Periods that end no sentence: initials ("U.S.", "Sonya A. Zoghlin") and common abbreviations.
_ABBREVIATION_DOT_RE = re.compile(
    r"(?<!\w)(?:[A-Z]|Mr|Mrs|Ms|Dr|St|Gen|Sen|Rep|Gov|Jr|Sr|Calif|Minn|Va|Jan|Feb|Aug|Sept|"
    r"Oct|Nov|Dec|No|Inc|Corp|Co|Ltd|Lt|Col|Sgt|Capt|Prof)\.(?=[\w\s,’'-])"
)

_QUOTE_RE = re.compile(
    r"“(?P<a>(?:(?!’’)[^”\"\n])+)(?P<close>”|’’|\"|(?=\n)|$)|\"(?P<b>[^\"\n]+)\""
)
_SENTENCE_END_RE = re.compile(r"[.!?][\"”’]?(?=\s+[\"“‘]?[A-Z])|\n+")
_PRONOUN_RE = re.compile(r"\b(?:he|she|He|She)\b")
_DESCRIPTOR_RE = re.compile(
    r"\b[Tt]he\s+(?:(?P<aff>[A-Z][\w.’'-]*)\s+)?(?P<title>(?i:" + _TITLES + r"))\b"
)
_TITLED_NAME_RE = re.compile(r"(?:(?P<aff>[A-Z][\w.’'-]*)\s+)?(?P<title>(?i:" + _TITLES + r"))\s+$")
_CLAUSE_RE = re.compile(r"[,;:—–()]|\s-\s")


@dataclass
class Quote:
    text: str
    speaker: str | None
    start: int  # offset of the opening quotation mark in the body


@dataclass
class _Candidate:
    start: int
    end: int
    person: str | None  # canonical name, or None for a pronoun
    descriptor: tuple[str | None, str] | None = None  # (affiliation, title)


class _Attributor:
    def __init__(self, body: str, people: list[Entity]) -> None:
        self.body = body
        # The same text with abbreviation periods masked, for finding sentence ends.
        self.masked = _ABBREVIATION_DOT_RE.sub(lambda m: m.group(0)[:-1] + "\x00", body)
        self.quote_spans = [(m.start(), m.end()) for m in _QUOTE_RE.finditer(body)]
        self.sentences = self._sentence_starts()
        self.mentions = self._person_mentions(people)
        self.titles = self._titles()

    # -- reading the text --

    def _sentence_starts(self) -> list[int]:
        starts = [0]
        for m in _SENTENCE_END_RE.finditer(self.masked):
            if self._in_quote(m.end()):  # '. ' inside a quote does not end the sentence
                continue
            if self.body[starts[-1] : m.end()].strip():
                starts.append(m.end())
            else:  # "word.\n\n": the paragraph break after a full stop starts nothing new
                starts[-1] = m.end()
        return starts

    def _sentence_of(self, pos: int) -> int:
        return max(i for i, s in enumerate(self.sentences) if s <= pos)

    def _in_quote(self, pos: int) -> bool:
        return any(a < pos < b for a, b in self.quote_spans)

    def _person_mentions(self, people: list[Entity]) -> list[_Candidate]:
        forms: dict[str, str] = {}
        surnames: dict[str, set[str]] = {}
        for p in people:
            for form in {p.name, *p.aliases}:
                forms.setdefault(form, p.name)
            if " " in p.name:
                surnames.setdefault(surname_of(p.name), set()).add(p.name)
        for surname, names in surnames.items():
            if len(names) == 1:
                forms.setdefault(surname, next(iter(names)))
        if not forms:
            return []
        alts = "|".join(map(re.escape, sorted(forms, key=len, reverse=True)))
        pattern = re.compile(r"(?<![\w.])(?:" + alts + r")(?!\w)")
        return [
            _Candidate(m.start(), m.end(), forms[m.group(0)])
            for m in pattern.finditer(self.body)
            if not self._in_quote(m.start())
        ]

    def _titles(self) -> dict[str, set[tuple[str | None, str]]]:
        """Titles each person is given in the text: "Russian President Vladimir Putin"."""
        titles: dict[str, set[tuple[str | None, str]]] = {}
        for c in self.mentions:
            before = self.body[max(0, c.start - 60) : c.start]
            m = _TITLED_NAME_RE.search(before)
            if m and c.person:
                aff = m.group("aff")
                if aff and aff.endswith(".") and not re.fullmatch(r"(?:[A-Z]\.)+", aff):
                    aff = None  # the previous sentence's last word, not an affiliation
                titles.setdefault(c.person, set()).add((_norm(aff), m.group("title").lower()))
        return titles

    def _candidates(self, start: int, end: int) -> list[_Candidate]:
        """Subject-like people, pronouns and descriptors in body[start:end], in order."""
        found = [c for c in self.mentions if start <= c.start and c.end <= end]
        for m in _PRONOUN_RE.finditer(self.body, start, end):
            found.append(_Candidate(m.start(), m.end(), None))
        for m in _DESCRIPTOR_RE.finditer(self.body, start, end):
            desc = (_norm(m.group("aff")), m.group("title").lower())
            found.append(_Candidate(m.start(), m.end(), None, desc))
        return sorted(
            (c for c in found if self._is_subject_like(c) and not self._in_quote(c.start)),
            key=lambda c: c.start,
        )

    def _is_subject_like(self, c: _Candidate) -> bool:
        after = self.body[c.end : c.end + 2]
        if after in ("'s", "’s") or after[:1] in ("'", "’"):
            return False  # "Putin's offer"
        sentence_start = self.sentences[self._sentence_of(c.start)]
        words = self.body[max(sentence_start, c.start - 30) : c.start].split()
        prev = words[-1].lower().strip(",") if words else ""
        return prev not in _PREPOSITIONS and not prev.endswith("ing")

    # -- deciding who spoke --

    def speaker(self, q_start: int, q_end: int, inner: str) -> tuple[bool, str | None]:
        """(whether the text attributes the quote at all, the person it names or None)."""
        if inner.rstrip()[-1:] in ",?!—-" or self.body[q_end : q_end + 2].lstrip()[:1] == ",":
            attributed, who = self._after(q_end)
            if who:
                return True, who
            if attributed:
                before = self._before(q_start)
                return True, before[1]
        return self._before(q_start)

    def continues(
        self, previous: tuple[int, int, bool, str | None], q_start: int, q_end: int
    ) -> bool:
        """A bare quote right after an attributed one is by the same speaker: the next
        paragraph of an unclosed quote, or a whole sentence after '"...," X said.'."""
        _, prev_end, prev_closed, _ = previous
        between = self.body[prev_end:q_start]
        if not prev_closed:
            return between.strip() == "" and "\n" in between
        index = self._sentence_of(q_start)
        if self.body[self.sentences[index] : q_start].strip(' \n\t“"') != "":
            return False  # the quote does not open its sentence...
        next_start = (
            self.sentences[index + 1] if index + 1 < len(self.sentences) else len(self.body)
        )
        if self.body[q_end:next_start].strip(' \n\t”"') != "":
            return False  # ...or does not fill it ('"A bluff" was the reply.')
        # Names between are in the attribution ('," Will Moy of Full Fact told the BBC.').
        return index - self._sentence_of(max(prev_end - 1, 0)) == 1

    def _after(self, q_end: int) -> str | None:
        tail_end = self.body.find("\n", q_end)
        tail_end = len(self.body) if tail_end < 0 else tail_end
        # '"...," Zelenskyy wrote' / '," the Ukrainian president said' / '," he said'
        tail = self.masked[q_end:tail_end]
        m = re.match(r"[\s,]*(?P<subj>[^.;:!?\"“”]{1,120}?)\s+" + _VERB + r"\b", tail)
        if m and len(m.group("subj").split()) <= 16:
            return True, self._resolve_phrase(q_end + m.start("subj"), q_end + m.end("subj"))
        # '"...," said Dmitry Peskov' / '," said U.S. Attorney Nealy Cox'
        m = re.match(r"[\s,]*" + _VERB + r"\s+(?P<subj>[^,.;:!?\"“”]{1,60})", tail)
        if m:
            return True, self._resolve_phrase(q_end + m.start("subj"), q_end + m.end("subj"))
        return False, None

    def _before(self, q_start: int) -> tuple[bool, str | None]:
        sent_start = self.sentences[self._sentence_of(q_start)]
        verbs = [
            m
            for m in re.finditer(r"\b" + _VERB + r"\b", self.body[sent_start:q_start])
            if not self._in_quote(sent_start + m.start())
        ]
        if not verbs:
            return False, None
        verb_at = sent_start + verbs[-1].start()
        for c_start, c_end in reversed(self._clauses(sent_start, verb_at)):
            for candidate in self._candidates(c_start, c_end):
                who = self._resolve(candidate)
                if who:  # "X, the commander of ..., said": the descriptor may not resolve
                    return True, who
        return True, None

    def _clauses(self, start: int, end: int) -> list[tuple[int, int]]:
        cuts = [start] + [start + m.end() for m in _CLAUSE_RE.finditer(self.body[start:end])]
        return [(a, b) for a, b in zip(cuts, [*cuts[1:], end], strict=True)]

    def _resolve_phrase(self, start: int, end: int) -> str | None:
        found = self._candidates(start, end)
        named = [c for c in found if c.person]
        # '," Will Moy, chief executive of Full Fact, told': the first name is the speaker.
        return self._resolve(named[0] if named else found[0]) if found else None

    def _resolve(self, c: _Candidate, depth: int = 0) -> str | None:
        if c.person:
            return c.person
        if c.descriptor:
            return self._resolve_descriptor(*c.descriptor)
        return self._antecedent(c.start, depth)

    def _resolve_descriptor(self, aff: str | None, title: str) -> str | None:
        """Resolve "the Ukrainian president" to the one president not given another affiliation."""
        fits = [
            person
            for person, given in self.titles.items()
            if any(t == title and (aff is None or a in (None, aff)) for a, t in given)
            and not (aff and any(t == title and a not in (None, aff) for a, t in given))
        ]
        return fits[0] if len(fits) == 1 else None

    def _antecedent(self, pronoun_at: int, depth: int) -> str | None:
        """He/she: a subject earlier in the sentence, else the previous sentence's subject."""
        if depth > 2:
            return None
        index = self._sentence_of(pronoun_at)
        for c_start, c_end in reversed(self._clauses(self.sentences[index], pronoun_at)):
            named = [c for c in self._candidates(c_start, c_end) if c.person or c.descriptor]
            if named:
                return self._resolve(named[0], depth + 1)
        if index == 0:
            return None
        prev_end = self.sentences[index]
        found = self._candidates(self.sentences[index - 1], prev_end)
        named = [c for c in found if c.person]
        return self._resolve((named or found)[0], depth + 1) if found else None


def is_title_quote(inner: str) -> bool:
    """A name in quotation marks ("Hanoi Hilton", "factcheckUK"), not something said."""
    words = inner.split()
    if not words or len(words) > 4 or inner.rstrip()[-1:] in ".,!?;:…":
        return False
    return len(words) == 1 or all(w[0].isupper() for w in words if w[0].isalpha())


def _norm(affiliation: str | None) -> str | None:
    return affiliation.strip(".’'").lower() if affiliation else None


def extract_quotes(body: str, people: list[Entity]) -> list[Quote]:
    """Every direct quotation in ``body`` with its speaker's canonical name, or None."""
    attributor = _Attributor(body, [p for p in people if p.kind == "person"])
    quotes: list[Quote] = []
    previous: tuple[int, int, bool, str | None] | None = None  # start, end, closed, speaker
    for m in _QUOTE_RE.finditer(body):
        inner = m.group("a") if m.group("a") is not None else m.group("b")
        if not inner.strip() or is_title_quote(inner):
            continue
        closed = m.group("a") is None or bool(m.group("close"))
        attributed, speaker = attributor.speaker(m.start(), m.end(), inner)
        if not attributed and previous and attributor.continues(previous, m.start(), m.end()):
            speaker = previous[3]
        quotes.append(Quote(inner.strip(), speaker, m.start()))
        previous = (m.start(), m.end(), closed, speaker)
    return quotes
