"""Links in a comment: what counts as one, and where they are (``linked_text``).

The text rules and both models read the same links (``linked_text``, found
once per comment), so "a link" means the same thing everywhere. Spelled-out or
spaced-out links ("example . com", "example dot com") are rebuilt first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from urllib.parse import urlsplit

import tldextract

from service import caches
from worker.text.readable import clean_text

# Top-level domains recognised in a bare domain ("foo.com" without http:// or
# www.). Two-letter ones that are also English words ("in", "it", "me", "be",
# "us", "to", "so", "is", "at", "no") are left out: "song.it was" is a typo,
# not a link. Any TLD counts after "http://" or "www.".
BARE_TLDS = frozenset(
    """com net org info biz io ly gl gd tv ru uk de br xyz top site online club
    tk ml ga cf gq pw ws su cc cn pl fr nl es ws vn ph ng ke za mx ar tr
    co ca au eu pro shop store vip bet
    loan loans bid icu buzz cyou sbs guru""".split()
)
# Spelled-out or spaced-out domains are only believed with these (unambiguous
# in running text: "song . it" and "me dot in" stay prose).
OBFUSCATION_TLDS = frozenset("com net org info biz ru xyz io ly tk ml ga cf gq pw".split())


def _alternation(words: Iterable[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


# Brackets end a link: BBCode wraps one as "[url=https://...]anchor[/url]".
URL_RE = re.compile(
    r"(?:\b(?:https?|ftp)://[^\s<>\"'\[\]]+"
    r"|\bwww\d?\.[^\s<>\"'\[\]]+"
    # A bare domain, not the end of an email address ("jane@example.org").
    # Not "ASP.NET", "VB.NET", "ADO.NET": Microsoft's frameworks, written in capitals.
    rf"|(?<![@\w.-])\b(?!(?-i:[A-Z]{{2,3}}\.NET)\b)(?:[a-z0-9](?:[a-z0-9-]{{0,61}}[a-z0-9])?\.)+"
    rf"(?:{_alternation(BARE_TLDS)})\b"
    r"(?:/[^\s<>\"']*)?)",
    re.IGNORECASE,
)

# "example . com", "example .com", "example. com", "example dot com",
# "example(dot)com", "example [.] com". The separator must hold a space or a
# spelled-out/bracketed dot, so a plain "example.com" is a link, not an
# obfuscated one.
# A dot written against the suffix after a space ("flixhub .to", "hotgirls-cams
# .online") is no sentence's full stop, so more suffixes are believed there, and
# with spaces both sides after a name no word has ("cams-4u . online"). ".NET"
# in capitals is Microsoft's framework ("from Java to .NET", "ASP .NET"), not a
# link.
SPACED_DOT_TLDS = OBFUSCATION_TLDS | frozenset(
    """to me tv cc online site shop store club live vip fun icu buzz space website top
    pro app bet casino""".split()
)
_NOT_DOTNET = r"(?!(?-i:NET)\b)"
OBFUSCATED_LINK_RE = re.compile(
    r"\b([a-z0-9][a-z0-9-]{1,62})"
    rf"(?:\s+\.(?:\s+|{_NOT_DOTNET})|\.\s+|\s*[\(\[\{{]\s*(?:dot|\.)\s*[\)\]\}}]\s*|\s+dot\s+)"
    rf"({_alternation(OBFUSCATION_TLDS)})\b"
    rf"|\b([a-z0-9][a-z0-9-]{{1,62}})\s+\.{_NOT_DOTNET}({_alternation(SPACED_DOT_TLDS)})\b(?![.\w-])"
    rf"|\b(?=[a-z0-9-]{{0,62}}[-\d])([a-z0-9][a-z0-9-]{{1,62}})\s+\.\s+"
    rf"({_alternation(SPACED_DOT_TLDS)})\b(?![.\w-])",
    re.IGNORECASE,
)

# A bracketed dot is no sentence's, so any suffix is believed after one: "moviezz [dot]
# club", "cash(.)online" (run only on a text with a bracket).
BRACKETED_DOT_RE = re.compile(
    r"\b([a-z0-9][a-z0-9-]{1,62})\s*[\(\[\{]\s*(?:dot|\.)\s*[\)\]\}]\s*"
    rf"({_alternation(SPACED_DOT_TLDS | BARE_TLDS)})\b",
    re.IGNORECASE,
)

URL_SHORTENERS = frozenset(
    """bit.ly bitly.com tinyurl.com goo.gl t.co ow.ly is.gd buff.ly adf.ly bit.do
    cutt.ly rebrand.ly shorturl.at tiny.cc tr.im v.gd x.co lnkd.in db.tt qr.ae
    su.pr budurl.com po.st mcaf.ee soo.gd s.id t.ly rb.gy shorte.st ouo.io bc.vc
    linkbucks.com adfoc.us shhort.com hyperurl.co j.mp tiny.pl urlz.fr""".split()
)

# A map's share link ("maps.app.goo.gl/…", "goo.gl/maps/…") opens only a place on Google
# Maps: how readers say where a cafe or a road is, not a hidden destination.
_MAP_SHARE = re.compile(r"^(?:maps\.app\.goo\.gl/|goo\.gl/maps$)")

# Links to one video on a video platform: common in honest comments ("this part:
# youtu.be/..."), unlike links to arbitrary sites. Channel pages are not videos.
_VIDEO_LINK = {"youtu.be": None, "youtube.com": "watch", "m.youtube.com": "watch", "vimeo.com": ""}


# Where people promote themselves, their wares or their causes: social profiles
# and pages, streaming and music channels, crowdfunding and petitions, shops and
# app stores, file lockers. A brief comment linking one of these is what
# channel spam looks like (``worker.text.model_text``); a link to any other
# page of a site nobody vouches for is what a reader citing a source looks like.
PROMOTION_PLATFORMS = frozenset(
    """facebook.com fb.com fb.me twitter.com x.com instagram.com tiktok.com snapchat.com
    linkedin.com pinterest.com tumblr.com plus.google.com vk.com tsu.co
    youtube.com youtu.be twitch.tv soundcloud.com reverbnation.com bandcamp.com
    spotify.com audiomack.com datpiff.com mixcloud.com vimeo.com dailymotion.com
    gofundme.com indiegogo.com kickstarter.com patreon.com ko-fi.com vakinha.com.br
    change.org avaaz.org ipetitions.com
    ebay.com ebay.co.uk amazon.com amazon.co.uk etsy.com aliexpress.com teespring.com
    sunfrogshirts.com redbubble.com play.google.com apps.apple.com
    mediafire.com 4shared.com dropbox.com mega.nz rapidgator.net binbox.io""".split()
)


# Hosts readers link to when they back up a point: reference works, code and Q&A
# hosts, standards and documentation, major news, legislatures and electoral bodies
# (a petition to parliament, how to register to vote). Matched on the registrable
# domain ("en.wikipedia.org" -> "wikipedia.org"); a link there is not a reason
# for suspicion. A site adds its own with ``Policy.allowed_domains``. Video
# platforms are not here: they host channel spam ("sub to my channel"), and
# ``link_count`` has its own, milder rule for a link to one video.
REFERENCE_DOMAINS = frozenset(
    """wikipedia.org wikimedia.org wiktionary.org wikidata.org archive.org
    github.com github.io githubusercontent.com gitlab.com gitlab.io bitbucket.org
    codeberg.org sourceforge.net stackoverflow.com stackexchange.com serverfault.com
    superuser.com askubuntu.com python.org pypi.org mozilla.org w3.org whatwg.org
    ietf.org rfc-editor.org readthedocs.io readthedocs.org rust-lang.org golang.org
    go.dev nodejs.org npmjs.com kernel.org debian.org ubuntu.com apache.org
    postgresql.org sqlite.org redis.io docker.com kubernetes.io microsoft.com apple.com
    arxiv.org doi.org acm.org ieee.org nature.com sciencedirect.com springer.com
    ncbi.nlm.nih.gov nih.gov who.int europa.eu un.org
    bbc.co.uk bbc.com nytimes.com theguardian.com reuters.com apnews.com npr.org
    washingtonpost.com wsj.com ft.com economist.com bloomberg.com arstechnica.com
    lwn.net theverge.com wired.com theatlantic.com newyorker.com aljazeera.com
    spiegel.de lemonde.fr elpais.com cbc.ca abc.net.au news.ycombinator.com
    crates.io docs.rs rubygems.org packagist.org nuget.org pkg.go.dev hex.pm pub.dev
    cran.r-project.org r-project.org hackage.haskell.org haskell.org maven.org
    f-droid.org flathub.org gnu.org freebsd.org archlinux.org fedoraproject.org
    openstreetmap.org gutenberg.org britannica.com jstor.org plos.org
    cnn.com nbcnews.com cbsnews.com abcnews.go.com usatoday.com latimes.com
    independent.co.uk telegraph.co.uk thetimes.co.uk dw.com france24.com politico.com
    axios.com propublica.org theconversation.com snopes.com time.com
    nhs.uk cdc.gov
    parliament.uk parliament.scot senedd.wales niassembly.gov.uk oireachtas.ie ourcommons.ca
    parl.ca aph.gov.au parliament.nz bundestag.de assemblee-nationale.fr senat.fr
    congreso.es camera.it tweedekamer.nl europarl.europa.eu electoralcommission.org.uk
    vote.org usa.gov""".split()
)
# Public suffixes only institutions can register under.
REFERENCE_SUFFIXES = (
    "gov",
    "edu",
    "mil",
    "int",
    "ac.uk",
    "gov.uk",
    "edu.au",
    "gov.au",
    # Governments elsewhere register under their own suffixes too.
    "gc.ca",
    "gouv.fr",
    "gov.ie",
    "govt.nz",
    "gov.in",
    "gob.es",
    "gob.mx",
    "gov.br",
)
# Hosts named for documentation ("docs.djangoproject.com", "developer.android.com").
_DOCS_HOST = re.compile(r"^(?:docs?|developer|developers|devdocs|wiki|api|man|manual)\.")


@lru_cache(maxsize=1)
def _public_suffixes() -> tldextract.TLDExtract:
    # The snapshot bundled with tldextract, never fetched: checks make no network calls.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


caches.declare("links.public_suffixes", _public_suffixes.cache_clear)


@dataclass(frozen=True)
class Domain:
    """A host split at its public suffix: ``shop.best-pills.co.uk`` -> ``best-pills.co.uk``."""

    host: str
    name: str  # the label bought from the registrar ("best-pills")
    suffix: str  # the public suffix ("co.uk"); "" for hosts outside the list

    @property
    def registrable(self) -> str:
        return f"{self.name}.{self.suffix}" if self.name and self.suffix else self.host

    @property
    def is_reference(self) -> bool:
        """A reference, code, documentation or news host (``REFERENCE_DOMAINS``)."""
        return (
            domain_matches(self.host, REFERENCE_DOMAINS)
            or self.registrable in REFERENCE_DOMAINS
            or self.suffix in REFERENCE_SUFFIXES
            or self.suffix.endswith(tuple(f".{s}" for s in ("gov", "edu")))
            or bool(_DOCS_HOST.match(self.host))
        )


@lru_cache(maxsize=512)
def domain_of(host: str) -> Domain:
    parts = _public_suffixes()(host, include_psl_private_domains=False)
    return Domain(host=host, name=parts.domain.lower(), suffix=parts.suffix.lower())


caches.declare("links.domains", domain_of.cache_clear)


# What spam shops are named after and what stuffed keyword lists repeat.
# Medicines sold without a prescription and adult services are never a
# reader's reference; the others are also honest topics (a casino's own site,
# bitcoin.org), so a domain needs sales words around them to count against.
NEVER_LINKED_TERMS = frozenset(
    """viagra cialis levitra tramadol xanax porn xxx escort escorts ambien adderall
    oxycodone valium kamagra phentermine modafinil hydrocodone percocet clonazepam
    sildenafil tadalafil alprazolam zolpidem""".split()
)
SPAM_TERMS = NEVER_LINKED_TERMS | frozenset(
    """pharmacy pharma pills casino casinos poker slots betting gambling payday loan loans
    crypto bitcoin forex replica replicas essay essays dissertation backlinks followers
    gacor togel maxwin judi btc airdrop bet cassino
    zaim zaimy kredit kredity pinjaman prestamos emprestimo pozyczki""".split()
)
SALES_TERMS = frozenset(
    """cheap cheapest best buy discount online free deal deals sale shop store cash
    money earn income profit rich fast quick easy win bonus offer promo coupon order
    rx generic price prices top review reviews service services""".split()
)
# Top-level domains that cost next to nothing and host much of the link spam;
# only ever added to another reason, since honest sites live there too.
CHEAP_SUFFIXES = frozenset(
    """xyz top tk ml ga cf gq pw click loan win bid icu buzz cyou rest monster sbs
    vip bet casino""".split()
)
# Terms long enough to be believed inside an unhyphenated name ("buycheapviagra").
_JOINED_SPAM = re.compile(
    "|".join(sorted((t for t in SPAM_TERMS if len(t) >= 5 and t not in {"crypto"}), key=len)[::-1])
)
_JOINED_SALES = re.compile("cheapest|cheap|discount|online|buy")


@dataclass(frozen=True)
class Standing:
    """What one domain's name has against it: a score and the words of the reason."""

    score: float
    why: str


def _terms(name: str) -> tuple[list[str], list[str]]:
    spam, sales = [], []
    for word in filter(None, re.split(r"[-\d]+", name)):
        if word in SPAM_TERMS or word in SALES_TERMS:
            (spam if word in SPAM_TERMS else sales).append(word)
        elif joined := _JOINED_SPAM.findall(word):
            spam += joined
            sales += _JOINED_SALES.findall(_JOINED_SPAM.sub(" ", word))
    return spam, sales


# Words of service a spam trade's shop is named with ("essay-writers", "loanexperts").
_SERVICE_NAME_WORDS = frozenset(
    """writer writers help helper helpers expert experts pro pros hub king master masters
    guru""".split()
)

# A name this long without hyphens may be keywords run together
# ("bestroofingcontractorsdallas"); shorter ones are brands ("bestbuy", "caniuse").
_SEGMENTED_MIN_LETTERS = 14


_NAME_FILLERS = frozenset("the a an of for and my your our to in on at by with is".split())


@lru_cache(maxsize=1)
def _segmenter():
    # English word frequencies shipped inside the wordninja package (no download).
    import wordninja

    return wordninja.DEFAULT_LANGUAGE_MODEL


caches.declare("links.segmenter", _segmenter.cache_clear)


def run_together_words(name: str) -> list[str]:
    """The words of a name of letters written without spaces ("footystreams" -> footy,
    streams): one for an English word, two or more for a compound."""
    return [w for w in _segmenter().split(name) if len(w) >= 2]


def _run_together(name: str) -> list[str]:
    """The words of a name written without hyphens, when it is long enough to be keywords."""
    words: list[str] = []
    for part in filter(None, re.split(r"[-\d]+", name)):
        if len(part) < _SEGMENTED_MIN_LETTERS:
            words.append(part)
        else:
            words += _segmenter().split(part)
    return [w for w in words if len(w) >= 2]


# A word's common endings, cut so that its forms compare equal: "roofing" and
# "roof", "rental" and "rent", "loans" and "loan".
_ENDINGS = ("ings", "ing", "als", "al", "ers", "er", "s")


def stem(word: str) -> str:
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


@lru_cache(maxsize=512)
def name_words(domain: Domain) -> tuple[str, ...]:
    """The words a domain's name is made of ("rentacar-dubai-cheap" -> rent, car,
    dubai, cheap), fillers left out."""
    words: list[str] = []
    for part in filter(None, re.split(r"[-\d]+", domain.name)):
        words += _segmenter().split(part) if len(part) >= 6 else [part]
    return tuple(w for w in words if len(w) >= 3 and w not in _NAME_FILLERS)


caches.declare("links.name_words", name_words.cache_clear)


@lru_cache(maxsize=512)
def standing(domain: Domain) -> Standing:
    """How a domain's own name reads (not where it is linked from)."""
    spam, sales = _terms(domain.name)
    stuffed: list[str] = []
    if (
        not spam
        and len(sales) < 2
        and len(re.sub(r"[-\d]", "", domain.name)) >= _SEGMENTED_MIN_LETTERS
    ):
        # Four or more keywords run together, one of them selling
        # ("bestcbdoilforpain"), or three with two selling ("mybestvpndeals").
        # Not "joelonsoftware" (nothing sold), "thebestinterviewquestions",
        # "bestpracticesforlife" (a title: one selling word among three).
        words = _run_together(domain.name)
        keywords = [w for w in words if w not in _NAME_FILLERS]
        # "near me" is how people search for a trade, so a name ends with it for search engines.
        selling = sum(w in SALES_TERMS for w in keywords) + ("nearme" in "".join(keywords))
        if (len(keywords) >= 4 and selling) or (len(keywords) >= 3 and selling >= 2):
            stuffed = words
    if spam and not sales:
        # A spam trade with a word of service: "essaypro-writers", "assignment-help".
        sales = [w for w in _run_together(domain.name) if w in _SERVICE_NAME_WORDS]
    if domain.suffix in GAMBLING_SUFFIXES and sales and not spam:
        spam = [f".{domain.suffix}"]
    terms = ", ".join(dict.fromkeys(spam + sales))
    if stuffed:
        score, why = 0.6, f"a keyword-stuffed name ({' '.join(stuffed)})"
    elif spam and (sales or domain.name.count("-") >= 2):
        score, why = 0.95, f"a name built from spam terms ({terms})"
    elif NEVER_LINKED_TERMS.intersection(spam):
        score, why = 0.8, f"a name selling {terms}"
    elif spam:
        return Standing(0.3, f"a name about {terms}")
    elif len(sales) >= 2 and domain.name.count("-") >= 2:
        score, why = 0.6, f"a keyword-stuffed name ({terms})"
    else:
        return Standing(0.0, "")
    if domain.suffix in CHEAP_SUFFIXES:
        score = min(1.0, score + 0.05)
        why += f" on a throw-away .{domain.suffix}"
    return Standing(score, why)


caches.declare("links.standing", standing.cache_clear)


def vouched(domain: Domain, hosts: Iterable[str]) -> bool:
    """On one of ``hosts`` (the site's own and allowed), or a reference host with an honest name."""
    if domain_matches(domain.host, hosts):
        return True
    return domain.is_reference and standing(domain).score < 0.5


# "www dot example dot shop": spelled out from its "www" on, the name is a link
# whatever its top-level domain.
WWW_SPELLED_RE = re.compile(
    r"\bwww\s*(?:\s+dot\s+|[\(\[\{]\s*(?:dot|\.)\s*[\)\]\}]|\s+\.\s*|\.\s+)"
    r"([a-z0-9][a-z0-9-]{1,62})"
    r"\s*(?:\s+dot\s+|[\(\[\{]\s*(?:dot|\.)\s*[\)\]\}]|\s+\.\s*|\.\s+)"
    rf"({_alternation(BARE_TLDS)})\b",
    re.IGNORECASE,
)

_WWW = re.compile("www", re.IGNORECASE)


def deobfuscate_links(text: str) -> str:
    """Rewrite "example . com" / "example dot com" / "www dot example dot shop" as a link."""
    if _WWW.search(text):  # a literal scan first: the pattern starts with \b
        text = WWW_SPELLED_RE.sub(lambda m: f"www.{m.group(1)}.{m.group(2)}", text)
    if "(" in text or "[" in text or "{" in text:
        text = BRACKETED_DOT_RE.sub(_rebuilt, text)
    return OBFUSCATED_LINK_RE.sub(_rebuilt, text)


def _rebuilt(m: re.Match[str]) -> str:
    name, suffix = (g for g in m.groups() if g)
    # A suffix a bare domain is not believed with ("to", "live") is a link from its "www."
    return f"{name}.{suffix}" if suffix.lower() in BARE_TLDS else f"www.{name}.{suffix}"


@dataclass(frozen=True)
class Link:
    url: str
    domain: str  # lower-case host without "www."
    path_head: str  # first path segment, lower-case ("watch", "user", "")

    @property
    def site(self) -> Domain:
        return domain_of(self.domain)

    @property
    def is_shortener(self) -> bool:
        if _MAP_SHARE.match(f"{self.domain}/{self.path_head}"):
            return False
        return domain_matches(self.domain, URL_SHORTENERS)

    @property
    def is_article(self) -> bool:
        """A link to an article, a post, a document or an image, not to a profile or a shop."""
        if self.is_shortener or _REFERRAL.search(self.url):
            return False
        return _is_article_path(urlsplit_path(self.url))

    @property
    def is_promotion(self) -> bool:
        """A link that promotes: a shortener, a referral link, a site's home page,
        or a profile, shop or fundraiser on a platform where people promote themselves."""
        if self.is_shortener or _REFERRAL.search(self.url):
            return True
        if not urlsplit_path(self.url).strip("/") and not _PAGE_STATE.search(self.url):
            return True
        return domain_matches(self.domain, PROMOTION_PLATFORMS) and not self.is_article

    @property
    def pays_referrals(self) -> bool:
        """An affiliate or invite link: the writer is paid for each reader who follows it."""
        return bool(_PAID_REFERRAL.search(self.url))

    @property
    def is_profile(self) -> bool:
        """A page of one person or seller: a single path segment that is a user name
        ("fiverr.com/seo_rank_master", "instagram.com/lifestyle_by_mia", "/@jane").
        The spam model's features read ``is_promotion`` only; the rules read this too."""
        segments = [s for s in urlsplit_path(self.url).split("/") if s]
        return len(segments) == 1 and bool(_USER_NAME.fullmatch(segments[0]))

    @property
    def promotes(self) -> bool:
        """``is_promotion``, or a profile page: what the link rules count as promoting."""
        return self.is_promotion or self.is_profile

    @property
    def cites(self) -> bool:
        """A link to one page a reader cites: an article, a post, a document, a
        numbered item ("xkcd.com/927", "?id=38912345") or a moment of a video
        ("youtu.be/…?t=765"); not a home page, a profile, a shop, a referral or
        a share code ("/s/CVHMKLT", "/f/LUkA1QMrhF"), which is what promoters link."""
        if self.is_video:
            return bool(_TIMESTAMP.search(self.url))
        # Petitions, fundraisers, shops, tracks and posts on the platforms where
        # people promote themselves are what channel spam links, whatever the path.
        if self.promotes or domain_matches(self.domain, PROMOTION_PLATFORMS):
            return False
        path = urlsplit_path(self.url)
        segments = [s for s in path.split("/") if s]
        if any(_SHARE_CODE.fullmatch(s) for s in segments):
            return False
        return (
            _is_article_path(path)
            or any(_SLUG.fullmatch(s) or s.isdigit() for s in segments)
            or bool(_ITEM_QUERY.search(self.url))
            # One named page of a site: "caniuse.com/webgpu", "ciechanow.ski/gears".
            or (len(segments) == 1 and bool(_NAMED_PAGE.fullmatch(segments[0])))
        )

    @property
    def is_video(self) -> bool:
        if self.domain not in _VIDEO_LINK:
            return False
        wanted = _VIDEO_LINK[self.domain]
        return (
            wanted is None
            or self.path_head == wanted
            or (wanted == "" and self.path_head.isdigit())
        )


# A page a reader cites: an article or post named by its slug ("/why-we-left-kubernetes"),
# a dated or filed path ("/2024/03/caching", "/comments/...", "/issues/12"), a
# document or an image. Profiles, channels, shops and referral links
# ("?ref=...", "/ref/...") are what promoters link instead.
_SLUG_WORD = re.compile(r"[a-z]{2,}", re.IGNORECASE)
_ARTICLE_SEGMENT = re.compile(
    r"^(?:(?:19|20)\d\d|articles?|posts?|p|blog|news|comments|issues?|pull|wiki|questions"
    r"|status|episodes?|docs?|papers?|abs|story|stories|threads?|t|item|stable|latest|current"
    r"|postmortems?|reports?|guides?|tutorials?|releases?)$",
    re.IGNORECASE,
)
_DATED = re.compile(r"^(?:19|20)\d\d-\d\d-")
_DOCUMENT = re.compile(r"\.(?:html?|pdf|png|jpe?g|gif|webp|svg|txt|md)$", re.IGNORECASE)
_REFERRAL = re.compile(
    r"[?&#](?:ref|r|aff|affiliate|affid|partner|invite|friend|rb)\w*=|/(?:ref|aff)/", re.I
)
# A referral that pays the writer: an affiliate or invite code with a number in it
# ("?ref=mom22", "?aff=1043", "/ref/99"), or an Amazon associate's tag ("tag=jane-20");
# not where a reader came from ("?ref=hn", "?ref=blog").
_PAID_REFERRAL = re.compile(
    r"[?&#](?:ref|aff|affiliate|affid|partner|invite|rb)\w*=[^&\s#]*\d"
    r"|[?&]tag=[\w.-]+-2\d\b|/(?:ref|aff)/[^/\s]*\d",
    re.I,
)


# A page named by two or more words ("/css-has", "/rust_vs_go"), a numbered
# item ("/927", "?id=38912345"), a moment of a video ("?t=765", "&t=3730s").
# Underscores join a user name ("seo_rank_master", "lifestyle_by_mia"), not a title.
_SLUG = re.compile(r"[a-z]{2,}(?:-[a-z0-9]+)+(?:\.\w{2,4})?", re.IGNORECASE)
_USER_NAME = re.compile(r"@[\w.-]{2,}|[a-z0-9]+(?:[._][a-z0-9]+)*_[a-z0-9._]*", re.IGNORECASE)
_NAMED_PAGE = re.compile(r"[a-z]{3,24}(?:\.html?)?")
# Top-level domains sold for gambling: a selling word there is a casino's name.
GAMBLING_SUFFIXES = frozenset("bet casino poker games".split())
_ITEM_QUERY = re.compile(
    r"[?&](?:id|p|page_id|item|story|article|t|topic|tid|threadid|showtopic)=\d+\b", re.IGNORECASE
)
_TIMESTAMP = re.compile(r"[?&#]t=\d+(?:[hms]\d*)*s?\b", re.IGNORECASE)
# A page of a web application named in the address's query or fragment
# ("openstreetmap.org/#map=14/51.5/-0.12", "example.org/?q=search+terms"):
# a place in it, not the site's front door.
_PAGE_STATE = re.compile(
    r"/?(?:[?#][\w.-]+=[^&\s]*[/,+%.][^\s]*|#[a-z][\w.-]*[-_][\w.-]+)", re.IGNORECASE
)
# Invite, share and tracking codes: letters and digits mixed ("aAVpwj9",
# "d4aaacwk", "40beUutVu2ZKx") or a run of capitals ("CVHMKLT").
_SHARE_CODE = re.compile(
    r"(?=[A-Za-z0-9]{5,32}$)(?:(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9]+|(?=.*[A-Z].*[A-Z])(?=.*[a-z])"
    r"(?![A-Z][a-z]+$)[A-Za-z]+|[A-Z]{5,})"
)


def _is_article_path(path: str) -> bool:
    segments = [s for s in path.split("/") if s]
    if not segments:
        return False
    if any(_ARTICLE_SEGMENT.match(s) for s in segments[:-1]) or _DOCUMENT.search(segments[-1]):
        return True
    return any(
        (len(_SLUG_WORD.findall(s)) >= 3 and re.search(r"[-_]", s)) or _DATED.match(s)
        for s in segments
    )


def domain_matches(domain: str, domains: Iterable[str]) -> bool:
    """True if ``domain`` is one of ``domains`` or a subdomain of one."""
    if isinstance(domains, (set, frozenset)):
        # The same answer by lookups: ``domain`` and each part of it after a dot (the
        # lists of reference hosts, shorteners and platforms hold hundreds of names).
        if domain in domains:
            return True
        dot = domain.find(".")
        while dot != -1:
            if domain[dot + 1 :] in domains:
                return True
            dot = domain.find(".", dot + 1)
        return False
    return any(domain == d or domain.endswith("." + d) for d in domains)


def urlsplit_path(url: str) -> str:
    """The path of a matched link ("" when it has none or does not parse)."""
    candidate = url if "://" in url else "http://" + url
    try:
        return urlsplit(candidate).path
    except ValueError:
        return ""


def parse_link(url: str) -> Link:
    """Split a matched link into domain and first path segment, forgivingly."""
    candidate = url.rstrip(".,;:!?)]}'\"")
    if "://" not in candidate:
        candidate = "http://" + candidate
    try:
        parts = urlsplit(candidate)
        host = (parts.hostname or "").lower()
        path = parts.path
    except ValueError:  # e.g. a malformed IPv6 literal
        host, path = "", ""
    if re.match(r"www\d?\.", host):
        host = host.split(".", 1)[1]
    head = path.strip("/").split("/", 1)[0].lower()
    return Link(url=url, domain=host, path_head=head)


@dataclass(frozen=True)
class LinkedText:
    """A comment's clean text and its links, found once for the rules and the models."""

    clean: str  # clean_text(raw)
    rebuilt: str  # clean, with obfuscated links ("example dot com") rebuilt
    spans: tuple[tuple[int, int], ...]  # where each link is in ``rebuilt``
    links: tuple[Link, ...]  # every link, obfuscated ones included

    @cached_property
    def prose(self) -> str:
        """The words around the links, lower-cased: what a link-free reading sees."""
        if not self.spans:
            return self.rebuilt.lower()
        cut = [0, *(i for span in self.spans for i in span), len(self.rebuilt)]
        return " ".join(self.rebuilt[a:b] for a, b in zip(cut[::2], cut[1::2], strict=True)).lower()


@lru_cache(maxsize=64)
def linked_text(raw: str) -> LinkedText:
    clean = clean_text(raw)
    rebuilt = deobfuscate_links(clean)
    found = list(URL_RE.finditer(rebuilt))
    return LinkedText(
        clean,
        rebuilt,
        tuple(m.span() for m in found),
        tuple(parse_link(m.group(0)) for m in found),
    )


caches.declare("texts.linked", linked_text.cache_clear)
