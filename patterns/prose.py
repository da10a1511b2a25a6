"""Facts stated in report prose: figures with their labels, parts and shares; claimed scores and grades;
budget sentences.

Words are split by jieba with a shipped domain dictionary (patterns/data/jieba_userdict.txt), loaded
once, lazily and quietly. Vocabulary is in patterns/data/prose.toml.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from jixiao.patterns import datafile, numbers
from jixiao.patterns.datafile import Table
from jixiao.patterns.grades import grade_words, normalize_grade
from jixiao.patterns.headers import indicator_category
from jixiao.patterns.numbers import Quantity
from jixiao.patterns.units import comparable

DATA = Path(__file__).parent / "data"
USERDICT = DATA / "jieba_userdict.txt"

KINDS = {"money": "money", "percent": "percent", "score": "score", "people": "headcount", "count": "count"}
DEFAULT_KINDS = frozenset({"money", "percent", "score", "headcount"})


@dataclass(frozen=True)
class Figure:
    label: str                 # what the number is (canonical where known): 决算总支出, 基本支出, 执行率
    quantity: Quantity
    kind: str                  # money, percent, score, headcount, count, other
    sentence: str
    parent: int | None         # index of the total this part belongs to (after 其中/包括)
    share_of: int | None = None    # for "占…的X%": index of the base
    share_part: int | None = None  # … and of the part it describes
    label_raw: str = ""        # the label as written, before canonicalisation
    start: int = 0             # span of the number in the paragraph
    end: int = 0


@dataclass(frozen=True)
class Claim:
    kind: str                  # "score" or "grade"
    value: float | str         # 95.0 or "优"
    raw: str
    sentence: str
    subject: str | None        # 投入 / 过程 / 产出 … when the sentence scores a group; None = overall


@dataclass(frozen=True)
class BudgetStatement:
    name: str | None
    budget: Quantity | None
    executed: Quantity | None
    rate: Quantity | None
    sentence: str
    budget_initial: Quantity | None = None


SCHEMA = {
    "labels": {"skip": [str], "stop": [str], "max_words": int},
    "canonical": Table([str]),
    "parts": {"markers": [str], "comparisons": [str], "count_min_parts": int},
    "shares": {"generic_bases": [str]},
    "claims": {"score_words": [str], "grade_words": [str], "score_joiners": [str], "grade_joiners": [str],
               "rule_marks": [str],
               "grade_not_before": [str]},
    "budget": {"budget_words": [str], "initial_words": [str], "executed_words": [str], "rate_words": [str]},
}


@cache
def _vocab() -> dict:
    return datafile.load(DATA / "prose.toml", SCHEMA)


@cache
def _tokenizer():
    from jixiao.patterns import word_dict  # imports jieba: here so importing patterns stays cheap

    return word_dict.tokenizer(USERDICT)


@cache
def _domain_words() -> frozenset[str]:
    words = set()
    for line in USERDICT.read_text(encoding="utf-8").splitlines():
        if line.strip():
            words.add(line.split()[0])
    return frozenset(words)


@cache
def _canonical() -> dict[str, str]:
    return {variant: name for name, variants in _vocab()["canonical"].items() for variant in variants}


def words(text: str) -> list[str]:
    """jieba words of text, domain terms kept whole (决算总支出, 自评得分)."""
    if not isinstance(text, str) or not text:
        return []
    return _tokenizer().lcut(text, HMM=False)


# ---- sentences --------------------------------------------------------------------------------

# a single line break is a wrapped line (PDF text), a blank line ends a sentence
_SENTENCE_END = re.compile(r"(?:[^。！？!?\n]|\n(?![ \t\u3000]*\n))*(?:[。！？!?]+[”’」』）)]*|\n[ \t\u3000]*\n|$)")


def split_sentences(text: str) -> list[str]:
    """Sentences ending in 。！？ or a line break; a closing quote or bracket stays with its sentence."""
    if not isinstance(text, str):
        return []
    return [s.strip() for s in _SENTENCE_END.findall(text) if s.strip()]


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in _SENTENCE_END.finditer(text):
        if m.group().strip():
            spans.append((m.start(), m.end()))
    return spans


# ---- labels -----------------------------------------------------------------------------------

_CLAUSE_BREAK = re.compile(r"[，,。；;：:！？!?（）()、\n\t“”\"《》]")
_HAS_DIGIT = re.compile(r"[0-9０-９]")


def _label_before(text: str, start: int, floor: int) -> str:
    """The label of the number at text[start]: the words right before it, back to a clause break."""
    clause = text[floor:start]
    breaks = list(_CLAUSE_BREAK.finditer(clause))
    if breaks:
        clause = clause[breaks[-1].end():]
    vocab = _vocab()["labels"]
    skip, stop = set(vocab["skip"]), set(vocab["stop"])
    clause = clause.rstrip(" \u3000<>=≥≤≧≦＜＞＝~～约")
    tokens = [t for t in words(clause.strip()) if t.strip()]
    skipped = ""
    while tokens and tokens[-1] in skip:
        skipped = skipped or (tokens[-1] if len(tokens[-1]) > 1 else "")
        tokens.pop()
    label: list[str] = []
    domain = _domain_words()
    while tokens and len(label) < vocab["max_words"]:
        token = tokens.pop()
        if token in stop or _HAS_DIGIT.search(token) or (token in skip and label):
            break
        label.insert(0, token)
        if token in domain:
            break
    # nothing but verbs before the number ("仅表述为完成100%"): the verb is the best label left
    return "".join(label) or skipped


def canonical_label(label: str) -> str:
    return _canonical().get(label, label)


_SHARE = re.compile(r"占(?P<base>[^，,。；;占的]{1,16}?)(?:的)?(?:比例|比重)?(?:为|是|达)?\s*$")


# ---- figures ----------------------------------------------------------------------------------

@dataclass
class _Scope:
    marker: int            # where 其中/包括 was written
    depth: int
    total: int | None = None
    soft: bool = False     # past a ；or a sentence end: further parts must still fit in the total
    parts_sum: float = 0.0
    parts: int = 0


def _kind(q: Quantity) -> str:
    return KINDS.get(q.unit_class or "", "other")


def _is_comparison(text: str, start: int, end: int) -> bool:
    """Does the clause around text[start:end] compare with another year or budget?"""
    left = max((m.end() for m in re.finditer(r"[，,；;。]", text[:start])), default=0)
    right_m = re.search(r"[，,；;。]", text[end:])
    right = end + right_m.start() if right_m else len(text)
    clause = text[left:right]
    return any(word in clause for word in _vocab()["parts"]["comparisons"])


_MARKER_TAIL = re.compile(r"[：:，,\s]*")


def _marker_positions(text: str) -> list[tuple[int, int]]:
    """(start, end) of each 其中/包括 that introduces numbers in its own clause."""
    found = []
    for word in _vocab()["parts"]["markers"]:
        for m in re.finditer(re.escape(word), text):
            found.append((m.start(), m.end()))
    return sorted(found)


def _paren_depths(text: str) -> list[int]:
    depth, depths = 0, []
    for ch in text:
        if ch in "（(":
            depth += 1
        depths.append(depth)
        if ch in "）)":
            depth = max(0, depth - 1)
        if ch in "。\n":
            depth = 0
    return depths


def _resolve_share(figures: list[Figure], index: int, base: str) -> tuple[int | None, int | None]:
    """(share_of, share_part) for the percentage at index with base text like 基本支出 or 支出."""
    sentence = figures[index].sentence
    part = next((i for i in range(index - 1, -1, -1)
                 if figures[i].kind not in ("percent",) and figures[i].sentence == sentence), None)
    candidates = [i for i in range(index - 1, -1, -1) if figures[i].kind != "percent" and i != part]
    exact = next((i for i in candidates if base in (figures[i].label, figures[i].label_raw)), None)
    if exact is not None:
        return exact, part
    if part is not None and figures[part].parent is not None:
        parent = figures[part].parent
        if base in _vocab()["shares"]["generic_bases"] or figures[parent].label.endswith(base):
            return parent, part
    loose = next((i for i in candidates if figures[i].label.endswith(base) or base.endswith(figures[i].label or "\0")), None)
    return loose, part


def _extract_figures_uncached(paragraph: str, *, kinds: frozenset[str] | set[str] = DEFAULT_KINDS) -> list[Figure]:
    """Every money amount, percentage, score and headcount in a paragraph, labelled, with parts and shares."""
    if not isinstance(paragraph, str) or not paragraph.strip():
        return []
    text = paragraph
    spans = _sentence_spans(text)
    depths = _paren_depths(text)
    markers = _marker_positions(text)
    quantities = [(s, e, q) for s, e, q in numbers.find_quantities(text) if _kind(q) in kinds]
    figures: list[Figure] = []
    scopes: dict[int, _Scope] = {}
    previous_end = 0
    previous_sentence = -1
    marker_i = 0
    for start, end, q in quantities:
        sentence_i = next((i for i, (a, b) in enumerate(spans) if a <= start < b), len(spans) - 1)
        s_start, s_end = spans[sentence_i] if spans else (0, len(text))
        depth = depths[start] if start < len(depths) else 0
        # a sentence end or a ；since the last figure makes open scopes soft
        gap = text[previous_end:start]
        if sentence_i != previous_sentence or re.search(r"[；;]", gap):
            for scope in scopes.values():
                scope.soft = True
        for d in [d for d in scopes if d > depth]:
            del scopes[d]
        # 其中/包括 between the last figure and this one opens a scope at its depth
        while marker_i < len(markers) and markers[marker_i][0] < start:
            m_start, m_end = markers[marker_i]
            marker_i += 1
            tail = _MARKER_TAIL.match(text, m_end).end()
            if m_start >= previous_end and not re.search(r"[，,；;。]", text[tail:start]):
                scopes[depths[m_start]] = _Scope(m_start, depths[m_start])
        floor = max(previous_end, s_start)
        label_raw = _label_before(text, start, floor)
        kind = _kind(q)
        parent = share_of = share_part = None
        sentence = text[s_start:s_end].strip()
        share = _SHARE.search(text[floor:start]) if kind == "percent" else None
        figure = Figure(canonical_label(label_raw), q, kind, sentence, None, label_raw=label_raw, start=start, end=end)
        if share is None and kind != "percent":
            parent = _attach(figures, scopes, depth, figure, text, depths)
        figures.append(Figure(figure.label, q, kind, sentence, parent, label_raw=label_raw, start=start, end=end))
        if share is not None:
            base = share.group("base").strip()
            share_of, share_part = _resolve_share(figures, len(figures) - 1, base)
            part_label = figures[share_part].label if share_part is not None else ""
            label = f"{part_label}占{base}" if part_label else f"占{base}"
            figures[-1] = Figure(label, q, kind, sentence, None, share_of, share_part, label_raw or f"占{base}", start, end)
        previous_end, previous_sentence = end, sentence_i
    return figures


def _attach(figures: list[Figure], scopes: dict[int, _Scope], depth: int, figure: Figure, text: str,
            depths: list[int]) -> int | None:
    """The parent of figure if it is a part of the open scope at its depth; updates the scope."""
    scope = scopes.get(depth)
    if scope is None:
        return None
    if _is_comparison(text, figure.start, figure.end):
        del scopes[depth]
        return None
    if scope.total is None:
        scope.total = next((i for i in range(len(figures) - 1, -1, -1)
                            if figures[i].start < scope.marker and figures[i].kind == figure.kind
                            and depths[figures[i].start] <= scope.depth), None)
        if scope.total is None:
            del scopes[depth]
            return None
    total = figures[scope.total]
    if total.kind != figure.kind or (figure.kind == "count" and not comparable(total.quantity, figure.quantity)):
        return None  # "编发38期" between articles counted in 篇: not a part of 发稿4366篇
    value, whole = figure.quantity.value_norm, total.quantity.value_norm
    # the writer's rounding: half a unit of the last decimal, once per number summed (89.97 = 30 + 30 + 29.99)
    tolerance = 1e-6 * max(abs(whole), 1.0) + (scope.parts + 2) * _half_unit(total.quantity, figure.quantity)
    if scope.soft and (scope.parts_sum >= whole - tolerance or scope.parts_sum + value > whole + tolerance):
        del scopes[depth]
        return None
    scope.parts_sum += value
    scope.parts += 1
    return scope.total


def count_min_parts() -> int:
    """How many parts a count breakdown short of its total needs before it is checked (prose.toml)."""
    return _vocab()["parts"]["count_min_parts"]


def _half_unit(*quantities: Quantity) -> float:
    """Half a unit of the last written decimal of the most precise quantity, in normalised units."""
    halves = []
    for q in quantities:
        if q.number:
            decimals = re.search(r"[.．]([0-9]+)", numbers.ascii_view(q.raw))
            places = len(decimals.group(1)) if decimals else 0
            halves.append(0.5 * 10 ** -places * abs(q.value_norm / q.number))
    return min(halves, default=0.0)


# ---- claims -----------------------------------------------------------------------------------

def _alternation(words_: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words_, key=len, reverse=True))


def _claim_start(kind: str) -> str:
    """A claim word of the kind (score, grade) and the joiners after it: "自评得分为", "评价等次："."""
    vocab = _vocab()["claims"]
    return rf"(?P<word>{_alternation(vocab[kind + '_words'])})(?:{_alternation(vocab[kind + '_joiners'])}|\s)*"


@cache
def _score_claim() -> re.Pattern[str]:
    return re.compile(
        rf"{_claim_start('score')}(?:"
        r"(?P<num>[0-9０-９]+(?:[.．][0-9０-９]+)?)\s*分(?!钟|之)"
        # a form's label with its unit in brackets: "自评总分(分)97.6"
        r"|\s*[（(]分[)）]\s*(?P<num2>[0-9０-９]+(?:[.．][0-9０-９]+)?)(?![0-9０-９.．%％]))"
    )


@cache
def _grade_claim() -> re.Pattern[str]:
    not_before = "".join(map(re.escape, _vocab()["claims"]["grade_not_before"]))
    return re.compile(
        rf"{_claim_start('grade')}[“\"'‘「『]?\s*"
        rf"(?P<grade>{_alternation(grade_words())})(?![{not_before}])"
    )


_SUBJECT = re.compile(r"(?P<subject>[\u4e00-\u9fff]{1,6}?)(?:指标|分析|情况)?[：:（(\s]*(?:[（(]?\s*)(?:[\u4e00-\u9fff]*?指标)?(?:分值|共)")


_GROUP_POINTS = re.compile(r"指标(?:共|分值)")  # "决策指标共15分": a group's points, its word before
GROUP_WORD = 4  # characters a group word (决策, 产出, 满意度) takes at most


def _subject(sentence: str, claim_start: int) -> str | None:
    """投入 in "投入分析：（指标分值 6 分，评价得分 5 分。）"; None for an overall score."""
    before = sentence[:claim_start]
    before = re.sub(r"^[\s0-9０-９一二三四五六七八九十（）()、.．]+", "", before)
    head = re.split(r"[，,。；;]", before)[0] if before else ""
    for piece in (head, before):
        piece = re.sub(r"(指标分值|分值|指标共|共)[\s0-9０-９.．分，,]*$", "", piece)
        category = _category_in(piece)
        if category:
            return category
    # text glued before the clause (an OCR preview's table cells and heading: …65.00%（二）绩效分析1.决策指标
    # 绩效分析决策指标共15分): the group word just before the clause's 指标共 / 指标分值 is its subject
    for m in reversed(list(_GROUP_POINTS.finditer(head))):
        category = indicator_category(head[max(0, m.start() - GROUP_WORD):m.start()])
        if category:
            return category
    return None


def _category_in(text: str) -> str | None:
    # a group word (投入, 过程, 产出, 效益, 决策 …) heading the text: "投入分析：", "过程指标"
    m = re.match(r"\s*([\u4e00-\u9fff]{2,4}?)(?:指标|分析|情况|维度|\s*$)", text)
    if m:
        return indicator_category(m.group(1))
    return None


def _states_a_rule(sentence: str) -> bool:
    """A grading rule or policy ("90（含）- 100分为优", "对评价等级为优、良的…"), not a claim about the report."""
    if any(mark in sentence for mark in _vocab()["claims"]["rule_marks"]):
        return True
    grades = {normalize_grade(m.group("grade")) for m in _grade_claim().finditer(sentence)}
    return len(grades - {None}) >= 2


def _find_claims_uncached(paragraph: str) -> list[Claim]:
    """Scores and grades the report claims for itself: 自评得分95分, 评价等次 优秀, 确定为优."""
    if not isinstance(paragraph, str):
        return []
    claims: list[Claim] = []
    for sentence in split_sentences(paragraph):
        if _states_a_rule(sentence):
            continue
        for m in _score_claim().finditer(sentence):
            value = float(numbers.ascii_view(m.group("num") or m.group("num2")))
            subject = _subject(sentence, m.start())
            claims.append(Claim("score", value, m.group(), sentence, subject))
        for m in _grade_claim().finditer(sentence):
            grade = normalize_grade(m.group("grade"))
            if grade is None:
                continue
            claims.append(Claim("grade", grade, m.group(), sentence, _subject(sentence, m.start())))
    return claims


# ---- budget sentences -------------------------------------------------------------------------

@cache
def _budget_patterns(section: str) -> list[re.Pattern[str]]:
    # one pattern per word, in the order of preference the data file gives (预算调整数 before 预算)
    return [re.compile(rf"{re.escape(word)}[为是：:\s]*(?=[-0-9０-９])") for word in _vocab()["budget"][section]]


def _quantity_after(sentence: str, section: str, taken: set[int],
                    quantities: list[tuple[int, int, Quantity]]) -> tuple[int, int, Quantity] | None:
    """(word start, number start, quantity) for the most preferred word of a section followed by a number."""
    for pattern in _budget_patterns(section):
        for m in pattern.finditer(sentence):
            for start, _, q in quantities:
                if m.end() - 1 <= start <= m.end() + 1 and start not in taken:
                    return m.start(), start, q
    return None


_LEADING_UNIT = re.compile(r"^(?:万元|亿元|元|%|％)[\s，,；;：:。]*")
_NAME_JUNK = re.compile(r"^[\s0-9０-９一二三四五六七八九十（）()、.．:：]*")


def _find_budget_statements_uncached(paragraph: str) -> list[BudgetStatement]:
    """"…项目全年预算数为250万元，执行数为250万元，完成预算100％" -> name, budget, executed, rate."""
    if not isinstance(paragraph, str):
        return []
    statements = []
    for sentence in split_sentences(paragraph):
        if "预算" not in sentence:
            continue  # every budget statement names its 预算
        quantities = numbers.find_quantities(sentence)
        taken: set[int] = set()
        found: dict[str, tuple[int, int, Quantity] | None] = {}
        for section in ("initial_words", "budget_words", "rate_words", "executed_words"):
            hit = _quantity_after(sentence, section, taken, quantities)
            found[section] = hit
            if hit:
                taken.add(hit[1])
        budget, executed, rate = found["budget_words"], found["executed_words"], found["rate_words"]
        initial = found["initial_words"]
        if budget and budget[2].unit_class not in ("money", None):
            budget = None
        if executed and executed[2].unit_class not in ("money", None):
            executed = None
        if rate and rate[2].unit_class != "percent":
            rate = None
        if not (budget or initial) or not (executed or rate):
            continue
        first = min(hit[0] for hit in (initial, budget, executed, rate) if hit)
        name = _statement_name(_before_budget_words(sentence[:first]))
        statements.append(BudgetStatement(
            name, budget[2] if budget else None, executed[2] if executed else None,
            rate[2] if rate else None, sentence, initial[2] if initial else None,
        ))
    return statements


def _before_budget_words(head: str) -> str:
    """head cut at its first budget word or number: "项目支出预算645.88万元" -> "项目支出"."""
    vocab = _vocab()["budget"]
    cuts = [head.find(w) for section in vocab.values() for w in section if head.find(w) > 0]
    digit = re.search(r"[0-9０-９](?![0-9０-９]*\s*年)", head)
    if digit and digit.start() > 0:
        cuts.append(digit.start())
    return head[:min(cuts)] if cuts else head


_YEAR_WORDS = re.compile(r"(?:截止|截至)?\s*(?:19|20)[0-9]{2}\s*年(?:度)?(?:\s*[0-9]{1,2}\s*月\s*[0-9]{1,2}\s*日)?[，,]?")


def _statement_name(head: str) -> str | None:
    """The subject before the first budget word, without years, numbering and quotes."""
    name = _YEAR_WORDS.sub("", numbers.ascii_view(head))
    name = _NAME_JUNK.sub("", name)
    name = _LEADING_UNIT.sub("", name)  # "1783.87 万元，预算调整数…": the tail of an amount, not a subject
    name = re.sub(r"(批复|本年|本年度|年度|全年|当年)$", "", name.strip())
    name = name.strip(" ，,：:“”\"'")
    return name or None


# Figures, claims and budget sentences of a paragraph, remembered: reports repeat paragraphs word for word
# (notes under every form, boilerplate). Each call still hands out a fresh list.
@lru_cache(maxsize=1 << 14)
def _figures_memo(paragraph: str, kinds: frozenset[str]) -> tuple[Figure, ...]:
    return tuple(_extract_figures_uncached(paragraph, kinds=kinds))


def extract_figures(paragraph: str, *, kinds: frozenset[str] | set[str] = DEFAULT_KINDS) -> list[Figure]:
    """Every money amount, percentage, score and headcount in a paragraph, labelled, with parts and shares."""
    if not isinstance(paragraph, str):
        return []
    return list(_figures_memo(paragraph, frozenset(kinds)))


@lru_cache(maxsize=1 << 14)
def _claims_memo(paragraph: str) -> tuple[Claim, ...]:
    return tuple(_find_claims_uncached(paragraph))


def find_claims(paragraph: str) -> list[Claim]:
    """Scores and grades the report claims for itself: 自评得分95分, 评价等次 优秀, 确定为优."""
    return list(_claims_memo(paragraph)) if isinstance(paragraph, str) else []


@lru_cache(maxsize=1 << 14)
def _budget_memo(paragraph: str) -> tuple[BudgetStatement, ...]:
    return tuple(_find_budget_statements_uncached(paragraph))


def find_budget_statements(paragraph: str) -> list[BudgetStatement]:
    """"…项目全年预算数为250万元，执行数为250万元，完成预算100％" -> budget, executed and rate."""
    return list(_budget_memo(paragraph)) if isinstance(paragraph, str) else []
