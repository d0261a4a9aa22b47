"""Link reputation, and the two SEO tricks that travel with links.

A link alone is not spam: readers back up a point with a GitHub issue, a
Wikipedia article, the docs or their own post. What counts is where a link
leads, judged by its registrable domain (``worker.text.links.Domain``):

- ``link_reputation``: the site's own origins, ``Policy.allowed_domains`` and
  reference, code, documentation and news hosts pass; a domain built from
  spam-shop words ("best-cheap-viagra-online-pharmacy.xyz") counts against,
  in the body or as the author's website. Shorteners, disguised links and
  too many links are the text rules' (``worker.checks.text_rules``); domains
  this site's moderators marked as spam are ``moderator_domains``
  (``worker.checks.labels``).
- ``keyword_stuffing``: the same commercial term over and over, or a list of
  keywords with no sentence around them.
- ``praise_link``: generic praise that fits any page ("Great post, very
  informative!") carrying a link or an author website: the comment exists
  for the link.

Scores follow the text rules' scale (hold at 0.5, spam at 0.9).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from service import caches
from worker.checks.base import CheckContext, CommentFacts, check
from worker.checks.text_rules import vouched_hosts
from worker.text.cues import SELF_PROMOTION_RE
from worker.text.links import (
    CHEAP_SUFFIXES,
    NEVER_LINKED_TERMS,
    SALES_TERMS,
    SPAM_TERMS,
    Domain,
    domain_of,
    linked_text,
    name_words,
    parse_link,
    standing,
    stem,
    vouched,
)
from worker.text.model_text import FUNCTION_WORDS, cached_model_text_parts
from worker.text.prefilter import may_match


def linked_domains(facts: CommentFacts) -> list[tuple[Domain, str]]:
    """Each domain the comment links to, with where (body or author website), in order."""
    found = [(link.site, "linked") for link in linked_text(facts.body or facts.text).links]
    if facts.author_url:
        found.append((domain_of(parse_link(facts.author_url).domain), "author website"))
    return [(d, where) for d, where in dict.fromkeys(found) if d.host]


@check("link_reputation", kind="spam", version="5")
def link_reputation(facts: CommentFacts, ctx: CheckContext):
    domains = linked_domains(facts)
    if not domains:
        return 0.0, "no links"
    judged = [
        (standing(d), d, where) for d, where in domains if not vouched(d, vouched_hosts(facts, ctx))
    ]
    worst = max(judged, key=lambda j: j[0].score, default=None)
    if worst is None:
        names = ", ".join(dict.fromkeys(d.registrable for d, _ in domains))
        return 0.0, f"links only to trusted or reference sites ({names})"
    found, domain, where = worst
    if found.score < REFERRAL_SCORE:
        hosts = vouched_hosts(facts, ctx)
        for link in linked_text(facts.body or facts.text).links:
            if link.pays_referrals and not vouched(link.site, hosts):
                return REFERRAL_SCORE, f"an affiliate or invite link to {link.site.registrable}"
    if found.score == 0.0:
        return 0.0, f"{where} {domain.registrable}: nothing known against it"
    return found.score, f"{where} {domain.registrable}: {found.why}"


# A reader who cites a page has no code in its address; an affiliate or invite
# code ("?ref=mom22", "tag=jane-20") pays the writer for every click: held.
REFERRAL_SCORE = 0.6


# --- keyword stuffing -------------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]{2,}")
_SEGMENTS = re.compile(r"[,;|•·\n/#]+")


# Terms whose repetition is stuffing (plurals folded to the singular), and
# the words a keyword list sells with.
_REPEATED = {t: t.removesuffix("s") if t.removesuffix("s") in SPAM_TERMS else t for t in SPAM_TERMS}
_REPEATED |= {"cheap": "cheap", "buy": "buy", "discount": "discount"}
_SELLING = SPAM_TERMS | SALES_TERMS


@lru_cache(maxsize=64)
def stuffing(prose: str) -> tuple[float, str]:
    """``prose``: a comment's text without its links, lower-cased."""
    words = _WORD.findall(prose)
    if len(words) < 3:
        return 0.0, "too short to be stuffed"
    counts = Counter(_REPEATED[w] for w in words if w in _REPEATED)
    if counts:
        term, n = counts.most_common(1)[0]
        content = sum(w not in FUNCTION_WORDS for w in words)
        # A drug name three times is stuffing in any comment; a topic word
        # ("bitcoin", "essay") only when it is much of the comment or comes
        # with sales words, since readers discuss those at length.
        selling = sum(w in SALES_TERMS for w in words) >= 2
        share = 0.1 if term in NEVER_LINKED_TERMS else 0.2 if selling else 0.4
        if n >= 3 and n / max(content, 1) >= share:
            score = min(0.95, 0.6 + 0.1 * (n - 3) + (0.2 if term in SPAM_TERMS else 0.0))
            return round(score, 2), f"'{term}' {n} times in {len(words)} words"
    # One word over and over with almost nothing else: "seo tips seo tricks seo guide seo
    # tools", "roof repair roofing contractor roof replacement roofing company" (a word's
    # forms counted as one).
    if (
        len(words) >= 8
        and sum(w in FUNCTION_WORDS for w in words) / len(words) < 0.15
        and _SELLING.intersection(words)
    ):
        word, n = Counter(stem(w) for w in words).most_common(1)[0]
        if n >= 4 and n / len(words) >= 0.3 and word not in FUNCTION_WORDS:
            return 0.7, f"'{word}' {n} times in {len(words)} words, with almost no sentence"
    # A list: five or more short segments, almost no function words, selling terms in two.
    if len(_SEGMENTS.findall(prose)) < 3:
        return 0.0, "no repeated sales terms"
    segments = [s.split() for s in _SEGMENTS.split(prose) if s.strip()]
    short = [s for s in segments if len(s) <= 4]
    function_share = sum(w in FUNCTION_WORDS for w in words) / len(words)
    if len(segments) >= 4 and function_share < 0.2:
        # "web design dubai, seo dubai, ...": one word in most keywords of a list;
        # with four keywords, in every one of them and next to a selling word
        # ("wedding photographer chicago, best wedding photographer in chicago, …").
        per_segment = Counter(w for s in segments for w in set(s) if w not in FUNCTION_WORDS)
        keyword_like = sum(len(s) <= 5 for s in segments) >= 0.8 * len(segments)
        if per_segment and keyword_like:
            word, n = per_segment.most_common(1)[0]
            enough = n >= 0.6 * len(segments) if len(segments) >= 5 else n == len(segments)
            selling = len(segments) >= 5 or any(_SELLING.intersection(s) for s in segments)
            if n >= 4 and enough and selling:
                return 0.7, f"a list of {len(segments)} keywords, '{word}' in {n} of them"
    if len(segments) >= 5 and len(short) >= 0.8 * len(segments) and function_share < 0.2:
        sold = [s for s in short if _SELLING.intersection(s)]
        if len(sold) >= 2:
            shown = ", ".join(" ".join(s) for s in sold[:4])
            spam = any(SPAM_TERMS.intersection(s) for s in sold)
            return (0.9 if spam else 0.6), f"a list of {len(segments)} keywords: {shown}"
    return 0.0, "no repeated sales terms"


caches.declare("texts.stuffing", stuffing.cache_clear)


@check("keyword_stuffing", kind="spam", version="4")
def keyword_stuffing(facts: CommentFacts, ctx: CheckContext):
    """The same commercial term repeated, or a bare list of keywords."""
    return stuffing(linked_text(facts.body or facts.text).prose)


# --- generic praise + link ------------------------------------------------------------------

# Praise that fits any page; a comment of these words and little else says
# nothing about the post it is under.
_PRAISE = frozenset(
    """great nice good awesome excellent amazing wonderful fantastic informative helpful
    useful interesting brilliant superb thanks thank appreciate appreciated enjoyed loved
    love valuable impressive outstanding perfect cool lovely beautiful fabulous inspiring
    inspirational terrific marvelous marvellous wow insightful thoughtful nuanced
    comprehensive compelling refreshing engaging enlightening articulated""".split()
)
_FILLER = frozenset(
    """post posts article articles blog blogs content information info share sharing
    shared keep up work writing written write read reading site website page topic
    piece stuff job done well much lot lots bookmark bookmarked visit visiting more
    please again come back here such also quite truly indeed definitely way regards
    subject details detail effort time author admin thing things found many people
    learn learned knowledge point points looking forward next one following follow
    now today blogger check mine too out sites blogs bookmarking bookmarks am glad
    stumbled upon recommend recommended friends worth quality highly extremely keep
    updates update waiting eagerly regularly returning insight insights detailed
    researched explained blogging may might want exploration overview perspective
    perspectives depth discussion absolutely really resonates resonate best"""
    # What written-to-order praise says of any post: how clear and researched it is, who
    # it helps, and how the writer came upon it ("I must say it's one of the most
    # comprehensive guides", "helpful for beginners and experts alike").
    """ clear clearly explanation explanations structured research beginners experts
    alike everyone everybody similar topics covers guide guides searching google must
    say most like look simple easy understand concise came across while""".split()
)
_GENERIC = _PRAISE | _FILLER | FUNCTION_WORDS
_WRITING = frozenset("article articles post posts blog piece content write-up read".split())


@lru_cache(maxsize=64)
def generic_praise(prose: str) -> str:
    """The praise words of a comment that is nothing but generic praise, else "".

    ``prose``: the comment's text without its links, lower-cased.
    """
    words = _WORD.findall(prose)
    if not 2 <= len(words) <= 40:
        return ""
    praise = [w for w in words if w in _PRAISE]
    if not praise and "best" in words and _WRITING.intersection(words):
        # "The best article I have read on this": a superlative of the writing itself;
        # "best part" of a video says which part.
        praise = ["best"]
    specific = [w for w in words if w not in _GENERIC]
    if not praise or len(specific) > max(1, len(words) // 10):
        return ""
    return ", ".join(dict.fromkeys(praise))


caches.declare("texts.generic_praise", generic_praise.cache_clear)


@check("praise_link", kind="spam", version="8")
def praise_link(facts: CommentFacts, ctx: CheckContext):
    """Generic praise carrying a link or an author website: the comment is for the link."""
    # A link in the body counts when it promotes (a home page, a profile, a
    # referral link: ``Link.is_promotion``); praise followed by an article or a
    # document is a reader adding a source ("Great write-up! One more: ...").
    # An article on a throw-away suffix (.xyz, .top...) is no source a reader cites.
    linked = linked_text(facts.body or facts.text)
    promoting = {
        link.site for link in linked.links if link.promotes or link.site.suffix in CHEAP_SUFFIXES
    }
    hosts = vouched_hosts(facts, ctx)
    domains = [
        (d, where)
        for d, where in linked_domains(facts)
        if not vouched(d, hosts) and (where != "linked" or d in promoting)
    ]
    if signed := _spinner_signature(linked):
        return 0.9, signed
    praise = generic_praise(linked.prose) if domains else ""
    if not praise:
        return _praise_wrapping_a_business(linked, hosts)
    domain, where = domains[0]
    # A link in the body is the point of the comment; an author website is
    # what the form offers everyone, so it only holds.
    score = 0.75 if where == "linked" else 0.6
    return score, f"generic praise ({praise}) with {where} {domain.registrable}"


# The signature comment-spinning tools end a comment with, after praise of any post:
# "Feel free to surf to my web-site :: <home page>", "my page; keto diet pills shark
# tank", "Here is my homepage - <site>". A reader's own post comes after "my blog:" with
# the post's link; a spinner separates with "::", ";" or " - ", or names keywords for no
# link at all.
_SIGNATURE = re.compile(
    r"\bmy\s+(?:web[\s-]?site|web[\s-]?page|home\s?page|web\s+blog|weblog|blog\s+post|page"
    r"|site|blog|website|web\s+site)\s*(?P<sep>::|;|\s-\s|:)\s*(?P<tail>[^\s!?;][^!?;]{1,80}?)[\s.!]*$",
    re.IGNORECASE,
)


# Starts with a literal, so it is found by a fast scan; ``_SIGNATURE`` runs only after it.
_SIGNATURE_GATE = re.compile(r"my\s+(?:web|home|page|site|blog)", re.IGNORECASE)


def _spinner_signature(linked) -> str:
    if _SIGNATURE_GATE.search(linked.clean) is None:
        return ""
    m = _SIGNATURE.search(linked.clean.strip())
    if m is None:
        return ""
    if m.group("sep") == ":":
        return ""
    tail = m.group("tail").lower().split()
    keywords = (
        not linked.links
        and len(tail) >= 3
        and all(_WORD.fullmatch(w) and w not in FUNCTION_WORDS | _GENERIC for w in tail)
    )
    promoted = [link for link in linked.links if link.is_promotion and link.domain in tail[0]]
    if not (keywords or promoted):
        return ""
    return f"ends with a spinner's signature ('{' '.join(m.group(0).split())}')"


# "Wonderful explanation of the topic. Readers may also find our roundup of the best
# standing desks useful: <link>": a sentence of praise that fits any page, then the
# writer's business's own page. A reader's "I wrote about this too" is theirs ("my"),
# and a company's engineer who shares a write-up says something about the post first.
_BUSINESS_PAGE = re.compile(
    r"\bour\s+(?:[\w-]+\s+){0,2}?(?:guides?|roundups?|round-ups?|reviews?|lists?|comparisons?"
    r"|checklists?|articles?|posts?|blog|site|website|page|tips|services?|products?|store|shop"
    r"|clinic|agency|company|courses?)\b"
    r"|\b(?:we|our\s+(?:team|company|agency|experts?|writers?|editors?)(?:\s+has)?)\s+"
    r"(?:have\s+|'ve\s+)?(?:also\s+)?(?:published|wrote|written|created|put\s+together"
    r"|compiled)\b"
)
# Or, to a site's front page, the pointer a written-to-order comment ends with: "I've
# found valuable resources at …", "I always recommend checking out … for the latest
# updates". A reader citing a source links the page, not the front door.
_POINTER = re.compile(
    r"\bresources\s+at\b|\b(?:always|highly)\s+recommend\s+(?:checking\s+out|visiting|reading)\b"
    r"|\b(?:learn|read|find\s+out)\s+more\s+at\b"
    r"|\bfor\s+(?:the\s+)?(?:latest|more|further)\s+(?:updates|insights|resources|tips|news)\b"
)
_FIRST_SENTENCE = re.compile(r"(?<=[.!?])\s+")
PRAISE_WRAP_SCORE = 0.6


def _praise_wrapping_a_business(linked, hosts) -> tuple[float, str]:
    unvouched = [link for link in linked.links if not vouched(link.site, hosts)]
    if not unvouched:
        return 0.0, "says something about the post"
    opener, *rest = _FIRST_SENTENCE.split(linked.prose.strip(), maxsplit=1)
    if not rest or not generic_praise(opener):
        return 0.0, "says something about the post"
    found = _BUSINESS_PAGE.search(rest[0])
    if found is None and any(link.is_promotion for link in unvouched):
        found = _POINTER.search(rest[0])
    if found is None:
        return 0.0, "says something about the post"
    said = " ".join(found.group(0).split())
    return (
        PRAISE_WRAP_SCORE,
        f"generic praise ({generic_praise(opener)}) wrapping '{said}', "
        f"linking {unvouched[0].site.registrable}",
    )


# --- an ask with a link ---------------------------------------------------------------

# Asks that want something of readers — a vote, a subscription, a share, likes,
# a follow, a plea for attention (``worker.text.cues``): next to a link to
# a site the rules do not vouch for, the link is where to give it.
# Not the free-offer cue (``moneytok``): "bitcoin", "PayPal", "prize" name a topic
# as often as an offer ("bitcoin.org explains the protocol well").
STRONG_ASKS = frozenset("votetok pleatok subtok sharetok likeasktok contacttok".split())
# "Check out …" and the writer's own work are also how readers cite ("check out
# the caniuse table", "I wrote about this on my blog"): they count only next to
# a link that promotes (a profile, shop, fundraiser, home page or referral link).
WEAK_ASKS = frozenset("checkouttok mytok".split())
_ASK_NAMES = {
    "votetok": "asks for votes or donations",
    "pleatok": "pleads for attention",
    "subtok": "asks to subscribe",
    "sharetok": "asks to share",
    "likeasktok": "asks for likes",
    "contacttok": "asks to be followed or contacted",
    "checkouttok": "sends readers elsewhere",
    "mytok": "promotes the writer's own work",
}


@check("ask_link", kind="spam", version="2")
def ask_link(facts: CommentFacts, ctx: CheckContext):
    """An ask of readers (vote, subscribe, share, like, donate, follow...) with a link
    to a site the rules do not vouch for: a campaign, not a reader citing a source."""
    body = facts.body or facts.text
    hosts = vouched_hosts(facts, ctx)
    links = [
        link
        for link in linked_text(body).links
        if not link.is_video and not vouched(link.site, hosts)
    ]
    if not links:
        return 0.0, "no link to an unvouched site"
    _text, tokens = cached_model_text_parts(body)
    asks = [t for t in tokens if t in STRONG_ASKS]
    promoting = [link for link in links if link.is_promotion]
    if promoting:
        asks += [t for t in tokens if t in WEAK_ASKS]
        if SELF_PROMOTION_RE.search(linked_text(body).clean.lower()):
            asks.append("mytok")
    if not asks:
        return 0.0, "asks nothing of readers"
    link = (promoting or links)[0]
    return 0.6, f"{_ASK_NAMES[asks[0]]}, with a link to {link.site.registrable}"


# --- a sales pitch ------------------------------------------------------------------------


# What selling sounds like, by kind; a reader's comment may say one of these
# ("we pay $40 a month", "the loan forgiveness plan"), a pitch says several.
# Matched against lower-cased prose, each behind a gate without its leading
# word boundaries: a pattern that starts with a literal is found by a fast scan,
# one that starts with \b is tried at every position (as ``worker.text.cues``).
def _gated(pattern: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    return re.compile(pattern), re.compile(re.sub(r"(^|\|)\\b", r"\1", pattern))


PITCH_SIGNS: tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...] = tuple(
    (what, *_gated(pattern))
    for what, pattern in (
        (
            "an earnings claim",
            r"(?:\$|usd\s?|€|£)\s?\d[\d,.]*\s?k?(?:\s?[-–]\s?\$?\d[\d,.]*k?)?\s*"
            r"(?:(?:/\s*|per\s+|an?\s+|every\s+(?:(?:\d+|two|few|couple\s+of)\s+)?|each\s+)"
            r"(?:hour|hr|day|daily|week|month|year)s?|daily|weekly|monthly)\b"
            r"|\b(?:earn(?:ed|ing|s)?|make|making|made|paid|got\s+paid)\s+(?:up\s+to\s+|over\s+"
            r"|around\s+|about\s+|nearly\s+|almost\s+|more\s+than\s+)?"
            r"(?:\$|usd\s?|€|£)\s?\d"
            r"|\b\d+\s?%\s+(?:daily|weekly|monthly|per\s+day|a\s+day|returns?|profits?|roi)\b"
            r"|\b(?:passive|extra|residual)\s+(?:income|cash|money)\b"
            r"|\b(?:easy|fast|quick|real)\s+(?:money|cash)\b|\bmak(?:e|ing)\s+(?:money|cash)\b"
            r"|\bearn(?:ing)?\s+(?:money|cash)\s+(?:online|easily|fast|quickly|daily|from\s+home)\b"
            r"|\bget\s+(?:up\s+to\s+)?(?:\$|€|£)\s?\d"
            r"|\bwon\s+(?:\$|usd\s?|€|£)\s?\d"
            # "I've been winning big at <casino>": a gambler's win, told as an advert.
            r"|\b(?:winning|won|win)\s+big\s+(?:at|on|with)\b"
            # The same claims with the currency after the amount, and making money,
            # in the languages this spam comes in.
            r"|\b\d[\d,.]*\s?(?:€|\$|£|euros?|dollars?|d[óo]lares|reais|pesos|zł|złotych|руб\w*|円)\s*(?:/\s*|per\s+|an?\s+|im\s+|pro\s+|al\s+"
            r"|por\s+|par\s+|au\s+)(?:hour|hr|day|week|month|year|stunde|tag|woche|monat|jahr|mes|mês"
            r"|mois|jour|semaine|dia|día|semana)\b"
            r"|\b\d[\d\s,.]*\s?(?:руб\w*|₽|грн|\$)\s+в\s+(?:день|час|неделю|месяц)"
            r"|\bgeld\s+verdienen|\bganh(?:e|ar|a)\s+dinheiro|\bganar?\s+dinero|\bgagne[rz]?\s+de\s+l'argent"
            r"|\bguadagna(?:re)?\s+soldi|\bzarabia\w*\s+pieni|\bзаработ\w*|赚钱"
            r"|\b(?:pay\s?checks?|salary|wages?|income)\s+(?:was|is|of|were|last\s+month\s+was)\s+"
            r"(?:\$|usd\s?|€|£)\s?\d",
        ),
        (
            "a business speaking",
            r"\b(?:we|our\s+(?:team|company|agency|experts?|writers?|firm)(?:\s+\S+){0,3}?)\s+"
            r"(?:provides?|offers?|delivers?|speciali[sz]es?|gives?|sells?|are\s+(?:the\s+|a\s+)?"
            r"(?:leading|best|top|trusted|professional|certified|no\.?\s*1|number\s+one))"
            r"|\bour\s+(?:services|products|packages|prices|rates|writers|experts|agency|company"
            r"|store|shop|website|clinic|pharmacy|platform|team\s+of)\b"
            r"|\b(?:professional|affordable|reliable|certified|licensed|trusted)\s+(?:[\w-]+\s+){0,2}?"
            r"(?:services?|cleaning|repairs?|movers|plumbers?|contractors?|agency|company|writers?"
            r"|development|design|marketing)\b"
            # "we are offering guest posting service", "we're providing …": the same, continuous.
            r"|\bwe\s+(?:are|'re)\s+(?:now\s+)?(?:offering|providing|selling)\b"
            r"|\bwe\s+at\s+\w+|\bwe'?ve\s+helped\s+(?:over\s+)?[\d,]+\+?\s+(?:students|clients|customers|people"
            r"|businesses|companies)"
            r"|\blooking\s+for\s+(?:an?\s+|the\s+)?(?:affordable|cheap|best|professional|reliable"
            r"|top|trusted)\b"
            # "At SolarBright Solutions, we help families …": a company introducing itself.
            r"|\bat\s+[\w&'-]+(?:\s+[\w&'-]+){0,3},\s+we\s+(?:help|offer|provide|speciali[sz]e)\b"
            r"|\bwe\s+help\s+(?:families|businesses|clients|customers|students|homeowners|companies"
            r"|brands)\b",
        ),
        (
            "a call to act now",
            r"\b(?:order|apply|register|sign\s*up|join|buy|call|book|enrol+|shop|contact\s+(?:us|me|him"
            r"|her)|download|claim|grab)\s+(?:it\s+|yours\s+|your\s+\w+\s+)?(?:now|today|right\s+now"
            r"|immediately)\b|\b(?:daftar|registrate|inscr[ií]vete|jetzt\s+\w+|cadastre-se)\b"
            r"|\blimited\s+(?:time\s+)?offer\b|\bdon'?t\s+miss\b|\bact\s+now\b|\bapply\s+online\b"
            r"|\bđăng\s+ký|\binscrivez|\bzarejestruj|\bзарегистр|注册"
            r"|\b(?:go\s+to|visit|copy|open|using|use|try)\s+this\s+(?:site|website|link|page)\b"
            r"|\bevery(?:body|one)\s+(?:must|can|should)\s+try\b"
            # "use code WIN50": a promo code carries digits.
            r"|\b(?:apply|join|register|sign\s+up)\s+here\b|\bapply\s+(?:at|via)\b"
            r"|\bbook\s+(?:an?\s+|your\s+)?(?:appointment|consultation|free\s+consultation)\b|\border\s+(?:at|from|here|on|via)\b|\bmore\s+info\w*\s+on\s+my\s+profile"
            r"|\bneed\s+(?:money|cash)\s+(?:fast|quick\w*|urgently|now|today)"
            # "reply to this comment with your email for details": an advance-fee opener.
            r"|\b(?:reply|respond|write\s+back)\b[^.!?]{0,30}?\bwith\s+your\s+(?:e-?mail|details"
            r"|full\s+name|phone|number|whatsapp)\b[^.!?]{0,15}?\bfor\s+(?:more\s+)?(?:details|info)"
            r"|\bread\s+more\s+(?:on|at)\s+(?:this|my|our)\s+(?:web\s*)?(?:site|page|link)\b"
            r"|\bclique\s+aqui\b|\bhaga\s+clic\b|\bklik\s+(?:di\s+)?sini\b"
            r"|\binbox\s+(?:để|ngay|shop|mình)|สมัครเลย|สมัครสมาชิก"
            r"|\b(?:use|enter|with|apply)\s+(?:the\s+|my\s+|our\s+)?(?:promo\s+|bonus\s+|coupon\s+"
            r"|referral\s+|invite\s+)?"
            r"code\s+[a-z]*\d[a-z0-9]*\b"
            # "For professional accounting services in Mumbai, visit …": a trade, then where.
            r"|\bfor\s+(?:\w+\s+){0,4}?(?:services?|solutions|products|treatments?)(?:\s+in\s+\w+)?"
            r",?\s+(?:please\s+)?(?:visit|contact|call)\b"
            r"|\b(?:learn|find\s+out)\s+more\s+at\b|\b(?:contact|call|message|whatsapp)\s+now\b",
        ),
        (
            "a promise",
            r"\bguarantee[ds]?\b|\b100\s?%\s+(?:safe|legit|legal|guaranteed|plagiarism|original"
            r"|secure|free|working|real)|\bno\s+(?:experience|credit\s+check|prescription|deposit"
            r"|collateral|upfront|hidden\s+fees?)\b|\bwithout\s+(?:a\s+)?(?:prescription"
            r"|credit\s+check|collateral|experience)\b|\b(?:overnight|discreet|fast|free)\s+"
            r"(?:delivery|shipping)\b|\b(?:instant|fast|quick|same[\s-]day)\s+(?:\w+\s+)?(?:approval|cash"
            r"|payout|deposit|loans?)\b|\b(?:affordable|best|lowest|cheapest|low)\s+"
            r"(?:prices?|rates?|cost)\b|\bfree\s+spins\b|\b(?:welcome|deposit|sign[\s-]?up)\s+bonus\b"
            r"|\bbonus\s+new\s+member\b|\bcheap\s+and\s+(?:fast|quick|reliable|easy)\b"
            r"|\b\d{1,2}\s?%\s+(?:off|discount|rabatt|de\s+descuento|de\s+desconto)\b"
            r"|\b(?:first|1st)\s+(?:order|deposit|purchase)\b|\bprimeiro\s+dep[oó]sito"
            r"|\bprimer\s+dep[oó]sito|\bpremier\s+d[ée]p[oô]t|\berste\s+einzahlung"
            r"|\b(?:b[ôo]nus|bono)\s+(?:de\s+)?(?:r\$|\$|€|£)\s?\d"
            r"|\b\d[\d,.]*\s?(?:usdt|btc|eth|dollars?|\$)\s+(?:bonus|free)\b"
            r"|\b(?:withdrawals?|payouts?|cash\s*outs?)\s+(?:in|within)\s+\d+\s*(?:min|minutes|hours?|h)\b"
            r"|\bohne\s+vorkenntnisse|\bsin\s+experiencia|\bsem\s+experi[êe]ncia"
            r"|\bsans\s+exp[ée]rience"
            r"|\bsin\s+(?:bur[oó]|aval|checar\s+bur[oó])\b|\baprobaci[oó]n\s+(?:inmediata|en\s+minutos"
            r"|r[aá]pida|garantizada)|\baprova[cç][aã]o\s+(?:imediata|r[aá]pida)|\bchính\s+hãng"
            r"|\bno\s+(?:interview|experience|skills?|degree)\s+(?:needed|required)"
            r"|\b(?:anyone|everyone|anybody)\s+can\s+do\s+(?:it|this)\b"
            r"|\b24\s*/\s*7\s+(?:support|service|customer)|\bon[\s-]time\s+delivery"
            r"|\b(?:deposited|approved|funded|paid\s+out)\s+(?:today|same\s+day|in\s+\d+|within"
            r"|in\s+(?:minutes|seconds|hours|an\s+hour))"
            r"|\bбез\s+(?:отказа|проверок|справок|залога|предоплаты)|\bза\s+\d+\s+минут"
            # Crypto "doubling": send some, get more back.
            r"|\bsend\s+[\d.]+\s*(?:btc|eth|usdt|bitcoins?)\b.{0,40}?\b(?:receive|get)\b"
            # Approval and money in the account, a tipster's record, a drug without a doctor.
            r"|\bwithout\s+(?:any\s+)?(?:investment|diet(?:ing)?|exercise|gym)\b"
            r"|\b(?:lost|lose|losing)\s+\d+\s?(?:kg|kilos?|lbs?|pounds)\s+in\s+(?:just\s+)?(?:\d+|two"
            r"|three|a|one)\s+(?:days?|weeks?|months?)\b"
            # A stranger's windfall to share: "a donation of $2.5 million", "an inheritance of".
            r"|\b(?:donation|inheritance|bequest|compensation|consignment)\s+(?:fund\s+)?of\s+"
            r"(?:us\s?|usd\s?)?(?:\$|€|£)?\s?[\d.,]+\s*(?:million|m|billion)\b|\bdaily\s+payments?\b|\bget\s+approved\s+(?:for\s+(?:a|an|your)\s+(?:\w+\s+){0,2}?)?(?:today|now|instantly|in\s+minutes|within)\b|\b(?:money|cash|funds)\s+in\s+your\s+(?:bank\s+)?account\s+(?:within"
            r"|in|today)\b"
            r"|\b(?:tips|predictions|signals|picks)\b[^.!?]{0,30}?\b\d{2}(?:\.\d)?\s?%\s+"
            r"(?:win(?:ning)?\s+rate|success\s+rate|accuracy)\b"
            r"|\bsure\s+(?:wins?|odds|bets?)\b|\bfixed\s+match(?:es)?\b"
            r"|\b(?:working|legit|real)\s+100\s?%"
            # What spell-caster and miracle-cure testimonials promise.
            r"|\b(?:bring|brings|brought)\s+(?:\w+\s+){0,2}?back\s+(?:to\s+me\s+)?(?:in|within)\s+\d+\s*"
            r"(?:hours?|hrs?|days?)\b|\b(?:completely|totally|permanently)\s+cured\b"
            r"|\bcan\s+cure\s+(?:hiv|aids|herpes|hpv|cancer|diabetes)\b"
            r"|\bнедорого\b|\bс\s+доставкой\b",
        ),
        (
            "goods that are spammed",
            r"\b(?:viagra|cialis|levitra|tramadol|xanax|ambien|adderall|oxycodone|valium|kamagra"
            r"|phentermine|modafinil|hydrocodone|percocet|clonazepam|casinos?|slots?\s+(?:gacor|online)"
            r"|gacor|maxwin|togel|judi|betting\s+(?:site|tips|odds)|payday|loans?\s+(?:offer|lender"
            r"|approval)|personal\s+loans?|business\s+loans?|essay\s+(?:writing|writers?|help|service)"
            r"|write\s+my\s+(?:essay|paper|assignment)s?|online\s+(?:slots?|casinos?|betting|pharmacy)|do\s+(?:my|your)\s+(?:homework|assignment)"
            r"|assignment\s+help|backlinks|guest\s+post(?:s|ing)?\s+(?:services?|on\s+high)"
            r"|high\s+(?:da|dr|pa)\s+(?:sites?|websites?|blogs?)|seo\s+(?:services|agency|company|experts?)"
            r"|digital\s+marketing\s+(?:agency|company|services)|web\s+(?:design|development)\s+"
            r"(?:agency|company|services)|followers\s+(?:and|&)\s+likes|replica"
            r"|weight\s+loss\s+(?:pills|supplements?|gumm(?:y|ies)|drops|teas?)|diet\s+pills|work(?:ing)?\s+from\s+home|online\s+jobs?"
            r"|giảm\s+cân|dinheiro\s+em\s+casa|em\s+casa\s+trabalh\w+|pr[eé]stamos?\s+r[aá]pidos?"
            r"|trading\s+(?:bot|signals|platform)|crypto\s+(?:investment|recovery|trading)"
            r"|recovery\s+(?:expert|hacker|specialist)|spell\s*caster"
            r"|казино|кредит\w*|займ\w*|赌场|博彩|贷款|nhà\s+cái|pinjaman|préstamos?|prêt\s+entre"
            r"|kredite?\s+ohne|bad\s+credit|nhận\s+thưởng|cassinos?|kasinos?|kasyno"
            r"|giv(?:e|ing)\s*aways?\s+[\d,.]+\s*(?:btc|eth|bitcoins?|usdt)|airdrops?"
            r"|forex\s+(?:signals|trading)|sildenafil|tadalafil|vardenafil|alprazolam|zolpidem"
            r"|lorazepam|diazepam|tapentadol|carisoprodol|(?:earn\w*|income|money|jobs?|data\s+entry"
            r"|month|week)\s+from\s+home|(?:dinero|trabajo|trabajar)\s+(?:desde|en)\s+casa"
            r"|trabalh\w+\s+(?:de|em)\s+casa|praca\s+w\s+domu|von\s+zu\s+hause"
            r"|(?:coursework|homework|assignments?|essays?|thesis|dissertations?)\s+(?:done|written)"
            r"|(?:custom|term|research)\s+(?:essays?|papers?)|papers?\s+for\s+sale"
            r"|send\s+[\d.]+\s*(?:btc|eth|usdt|bitcoins?)"
            r"|testosterone\s+boosters?|male\s+enhancement|(?:keto|diet|slimming)\s+(?:pills?|gumm(?:y|ies))"
            r"|работ\w*\s+на\s+дому|\bна\s+дому"
            r"|write\s+(?:your|my)\s+(?:\w+\s+){0,2}(?:essays?|papers?|assignments?|thesis|coursework)"
            r"|(?:cash|instant|quick|fast|easy|emergency|urgent|mobile)\s+loans?|plagiarism[\s-]free)\b"
            r"|(?:\$|£|€|₹)\s?[\d,.]+k?\s+(?:personal\s+|business\s+)?loan\b"
            # Earning from home in Hindi: "घर बैठे" (sitting at home).
            r"|घर\s+बैठे"
            # Online slots, baccarat, casinos and football betting in Thai.
            r"|สล็อต|บาคาร่า|คาสิโน|แทงบอล"
            # Weight-loss injections, token presales, hackers for hire, hacked apps,
            # miracle cures, betting and bought diplomas in other languages.
            r"|\b(?:ozempic|semaglutide|wegovy|mounjaro|tirzepatide|saxenda)\b"
            r"|\b(?:tokens?|coins?|crypto|ico|nfts?)\b[^.!?]{0,40}\bpre-?sale\b"
            r"|\bpre-?sale\b[^.!?]{0,40}\b(?:tokens?|coins?)\b|\b\d{2,}x\s+(?:potential|gains?|returns?)\b"
            r"|\b(?:hire\s+an?|reliable|genuine|legit|professional|ethical)\s+hackers?\b"
            r"|\bhackers?\s+(?:to\s+hack|for\s+hire)\b"
            r"|\b(?:predictor|hack|mod|cheat)\s+(?:apk|app|tool|bot)\b|\bfree\s+apk\b"
            r"|\bherbal\s+(?:cure|medicine|remedy|treatment)\b"
            r"|\b(?:site|casa|sites)\s+de\s+apostas\b|\bapuestas\s+deportivas\b|\bparis\s+sportifs\b"
            r"|\bsportwetten\b|\bscommesse\b|\bкупить\s+(?:диплом|аттестат|права|справку)"
            r"|\bдиплом\w*\s+о\s+высшем",
        ),
    )
)


@lru_cache(maxsize=64)
def pitch_signs(prose: str) -> tuple[str, ...]:
    """The kinds of sales talk in ``prose`` (a comment's text without its links), in
    ``PITCH_SIGNS`` order; a pitch needs two, so the look stops as soon as the kinds
    left cannot make two (most comments: the last, longest pattern is never run)."""
    found = []
    for i, (what, pattern, gate) in enumerate(PITCH_SIGNS):
        if len(found) + len(PITCH_SIGNS) - i < 2:
            break
        if may_match(gate, prose) and gate.search(prose) and pattern.search(prose):
            if what == _EARNINGS and all(
                _saved_or_spent(prose, m) for m in pattern.finditer(prose)
            ):
                continue
            found.append(what)
    return tuple(found)


caches.declare("texts.pitch_signs", pitch_signs.cache_clear)


_EARNINGS = PITCH_SIGNS[0][0]
# "It has saved me about £200 a month", "we spend $40 a week on food", "I pay £900 a
# month in rent", "our electricity is £40 a month more": money a household keeps, spends
# on a cost or loses per period is its budget, not an earnings claim ("I get paid $98 per
# hour", "stop paying rent, earn $3000 a month", "a pool paying 3% daily" are claims).
_HOUSEHOLD_COSTS = (
    r"rent|mortgage|bills?|electricity|energy|gas|heating|water|childcare|daycare|nursery"
    r"|fares?|petrol|fuel|diesel|groceries|food|insurance|subscriptions?|fees?|tax|parking"
    r"|tuition|membership|broadband|phone\s+bill|train|bus|commute|travel"
)
_SAVED_OR_SPENT = re.compile(
    r"\b(?:sav(?:e|es|ed|ing)|spen(?:d|ds|t|ding)|cost(?:s|ing)?|los(?:e|es|t|ing)"
    r"|" + _HOUSEHOLD_COSTS + r")(?:\s+(?!(?:earn|make|made|making|paid|profit|income)\w*)"
    r"[\w'-]+){0,3}\s*$"
    # "the savings on commuting are huge, like £150 a month": the saving named as a noun,
    # a clause before the amount.
    r"|\bsavings?\b(?:\s+(?!(?:earn|make|made|making|paid|profit|income)\w*)[\w'-]+,?){0,6}"
    r"\s*$",
    re.IGNORECASE,
)
_ON_COSTS = re.compile(
    r"\s*(?:more\s+|less\s+|extra\s+)?(?:in|on|for)\s+(?:the\s+|our\s+|my\s+)?(?:"
    + _HOUSEHOLD_COSTS
    + r")\b",
    re.IGNORECASE,
)
_EARNING_VERB = re.compile(r"earn|make|made|making|paid|won|get\s", re.IGNORECASE)


def _saved_or_spent(prose: str, m: re.Match[str]) -> bool:
    if _EARNING_VERB.match(m.group(0)) or "%" in m.group(0):
        # "earned $300", "made £200", "paying 3% daily": the claim names its earning
        return False
    before = prose[max(0, m.start() - 40) : m.start()]
    return _SAVED_OR_SPENT.search(before) is not None or _ON_COSTS.match(prose, m.end()) is not None


@check("sales_pitch", kind="spam", version="7")
def sales_pitch(facts: CommentFacts, ctx: CheckContext):
    """Two or more kinds of sales talk: a pitch, not a reader's comment.

    With a link to a site nobody vouches for it is filed as spam; without one it
    is held (the pitch may ask to be contacted, which ``contact_channel`` reads).
    """
    linked = linked_text(facts.body or facts.text)
    prose = linked.prose
    signs = pitch_signs(prose)
    hosts = vouched_hosts(facts, ctx)
    echo = echoed_name(linked, hosts)
    if echo:
        signs += (echo,)
        # A shop's front door named for the words around it, with a word of
        # trade: "cheap airport parking at Heathrow … heathrowparkingdeals.co.uk".
        if len(signs) == 1:
            return 0.6, f"a sales pitch ({echo})"
    if len(signs) < 2:
        return 0.0, f"{signs[0]}, no other sales talk" if signs else "no two kinds of sales talk"
    said = ", ".join(signs)
    unvouched = [d for d, _ in linked_domains(facts) if not vouched(d, hosts)]
    if unvouched:
        return 0.95, f"a sales pitch ({said}) linking {unvouched[0].registrable}"
    if set(signs) <= _A_DEAL and _BOUGHT_WITH_IT.search(prose.lower()):
        return 0.0, f"a reader telling of a deal they used ({said}), sending nobody anywhere"
    if set(signs) <= _OFFER_TOLD and _ADVERTS_TOLD.search(prose):
        return 0.0, f"a reader talking about adverts ({said}), sending nobody anywhere"
    if len(signs) >= 3:
        return 0.8, f"a sales pitch ({said})"
    return 0.6, f"a sales pitch ({said})"


# A code and a discount are what a shop says, and what a reader who used them says:
# "use code SUMMER15, got 15% off my order yesterday". Told as the writer's own
# purchase, with no link to a site nobody vouches for, no earnings claim and no
# business speaking, they send nobody anywhere.
_A_DEAL = frozenset({"a call to act now", "a promise"})
_BOUGHT_WITH_IT = re.compile(
    r"\b(?:i|we)\s+(?:just\s+|also\s+)?(?:got|saved|used|paid|bought|ordered)\b"
    r"|\bgot\s+(?:\d+\s?%|£\d|\$\d|€\d)[^.!?]{0,20}\boff\s+(?:my|our)\b"
    r"|\b(?:worked|works)\s+for\s+(?:me|us)\b|\bstill\s+works\b|\bon\s+my\s+(?:last\s+)?order\b"
)


# What is offered and what it is, told of adverts a reader saw ("every break was another
# casino app offering free spins"): with no link to a site nobody vouches for, no call to
# act, no business speaking and no earnings claim, talk about advertising, not a pitch.
_OFFER_TOLD = frozenset({"a promise", "goods that are spammed"})
_ADVERTS_TOLD = re.compile(
    r"\b(?:adverts?|advertis\w+|ads|commercials|sponsors?|sponsorship|billboards?|spam\w*"
    r"|scams?|scammers?)\b"
)


# Words of trade: with a shop's name echoing the comment, it is a shop's pitch;
# not "best" or "online", which readers say of anything.
_TRADE_WORDS = SPAM_TERMS | frozenset(
    """cheap cheapest affordable discount discounts deal deals price prices rate rates
    sale buy offer offers promo coupon coupons service services hire rental rentals""".split()
)
_PROSE_WORD = re.compile(r"[^\W\d_]{3,}")
_DEAL_WITH = re.compile(r"\b(?:deal|deals|dealt|dealing)\s+with\b", re.IGNORECASE)


def echoed_name(linked, hosts) -> str:
    """A link to the home page (or a referral) of an unvouched site whose name is made of
    two or more of the comment's own words, with a word of trade in either: SEO for the
    name ("kitchen remodeling in Austin … austinkitchenremodelpros.com"). "" if none.
    A reader recommending a product names it once ("I use Obsidian: obsidian.md")."""
    if not linked.links:
        return ""
    said = {stem(w) for w in _PROSE_WORD.findall(linked.prose)}
    if not said:
        return ""
    # "lovely to deal with", "a hassle to deal with": a verb of dealing with someone, not a deal.
    trade = bool(_TRADE_WORDS.intersection(_PROSE_WORD.findall(_DEAL_WITH.sub(" ", linked.prose))))
    for link in linked.links:
        if not link.is_promotion or link.is_shortener or vouched(link.site, hosts):
            continue
        words = name_words(link.site)
        shared = [w for w in words if stem(w) in said and w not in FUNCTION_WORDS]
        if len(set(shared)) >= 2 and (trade or _TRADE_WORDS.intersection(words)):
            return f"a link named for its words: {link.site.registrable} ({', '.join(shared)})"
    return ""


# --- anchor text -----------------------------------------------------------------------------

# "<a href=...>plumber in Austin</a>", "[url=...]cheap jerseys[/url]": the words a
# link is written under, which SEO spam chooses for search engines.
_ANCHORS = re.compile(
    r"""<a\b[^>]*?\bhref\s*=\s*["']?([^"'\s>]+)["']?[^>]*>(.*?)</a\s*>"""
    r"|\[url=([^\]\s]+)\](.*?)\[/url\]",
    re.IGNORECASE | re.DOTALL,
)
_ANCHOR_SELLING = re.compile(
    r"\b(?:cheap|cheapest|buy|best|discount|wholesale|online|services?|company|agency|experts?"
    r"|near\s+me|in\s+[A-Z][a-z]+|for\s+sale|prices?|deals?|shop|store|loans?|casino|pills?"
    r"|courses?|training|institute|coaching|classes)\b"
    # A place after the keywords, written in lower case: "digital marketing course in delhi".
    r"|\bin\s+[a-z]{3,}\s*$"
)


@check("anchor_text", kind="spam", version="2")
def anchor_text(facts: CommentFacts, ctx: CheckContext):
    """A link to an unvouched site written under keywords for search engines ("cheap jerseys")."""
    body = facts.body or ""
    if "href" not in body.lower() and "[url=" not in body.lower():
        return 0.0, "no link anchors"
    for m in _ANCHORS.finditer(body):
        url, words = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        words = " ".join(re.sub(r"<[^>]+>", " ", words).split())
        link = parse_link(url)
        if not link.domain or vouched(link.site, vouched_hosts(facts, ctx)):
            continue
        if "://" in words or "www." in words or not 2 <= len(words.split()) <= 6:
            continue
        if _ANCHOR_SELLING.search(words) or _ANCHOR_SELLING.search(words.lower()):
            return 0.9, f"a link to {link.site.registrable} written as '{words}'"
    return 0.0, "no keyword anchors"
