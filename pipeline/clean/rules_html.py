"""Web-page extraction rules, grouped by concern: what is never text, where the story
usually sits, which class/id names mark page furniture, and which short lines are
widget labels. Everything is matched case-insensitively.
"""

from __future__ import annotations

# --- elements that never hold story text (removed from the whole page first) ----------
# (Tag-name lookups cost ~0.5 µs in lexbor, a CSS query ~50 µs of selector parsing:
# rules are tag names and class names wherever that is enough.)
# (<noscript> is handled in code: on script-rendered pages it holds the whole story.)
NEVER_TEXT = ("script", "style", "template", "svg", "canvas", "iframe", "object", "embed",
              "video", "audio", "map", "dialog", "select", "button", "input", "textarea", "link", "meta",
              "rt", "rp")  # ruby annotations: readings printed above the text, not the text

# --- page structure that is furniture wherever it appears -----------------------------
# (header/footer/form are handled in code: an article's own <header> holds its title,
# and some CMSs wrap the whole page in one <form>.)
FURNITURE_TAGS = ("nav", "aside", "menu", "figure", "label", "fieldset", "time", "address")
# Hidden by the page itself: an attribute present, an attribute with a value, a style
# holding a declaration (values matched case-sensitively, as lexbor's selectors do).
HIDDEN_ATTRIBUTES = ("hidden",)
HIDDEN_VALUES = (("aria-hidden", "true"),)
HIDDEN_STYLES = ("display:none", "display: none")
HIDDEN_SELECTOR = ", ".join((*(f"[{a}]" for a in HIDDEN_ATTRIBUTES), *(f'[{a}="{v}"]' for a, v in HIDDEN_VALUES),
                             *(f'[style*="{d}"]' for d in HIDDEN_STYLES)))

# --- attributes a page keeps through the pre-pass (pipeline/clean/page_cut.py) ----------
# Every other attribute of a start tag is cut before parsing (fewer bytes to parse, smaller
# attribute lists to read). Kept: what the extractor reads (class/id words, the attribute
# rules of CONTENT_SELECTORS, HIDDEN_SELECTOR), what resiliparse's main-content pass reads
# (the fallback runs on the same tree), and what the HTML parser itself acts on.
READ_ATTRIBUTES = (
    "class", "id", "role", "itemprop", "property", "data-testid", "hidden", "aria-hidden", "style",
    # resiliparse 2.x main-content heuristics
    "aria-expanded", "rel", "lang", "title", "data-ad", "data-advertisement", "data-advertisment", "data-text-ad",
    # the parser: <input type=hidden> inside tables, declarative shadow roots
    "type", "shadowrootmode", "shadowroot",
)

# --- containers that usually hold the story, most specific first ----------------------
# Words of the ("css", …) rule below, matched as substrings of an element's class.
CSS_RULE_WORDS = ("article-body", "articleBody", "article_body", "ArticleBody", "post-content", "entry-content")
# Each entry: ("attr", name, value) | ("class", class name) | ("tag", name) | ("css", selector).
CONTENT_SELECTORS: list[tuple[str, ...]] = [
    ("attr", "itemprop", "articleBody"),
    ("attr", "itemprop", "articlebody"),
    ("attr", "property", "articleBody"),
    ("attr", "data-testid", "article-body"),
    *[("class", c) for c in (
        "article-body", "article__body", "articleBody", "article-content", "article__content",
        "article-text", "articleText", "article_body", "article-body-text",
        "story-body", "story-content", "storycontent", "story-text", "story__body",
        "entry-content", "post-content", "post-body", "postBody", "post-entry", "entry-body",
        "post__content", "single-content", "blog-post-content",
        "news-content", "news-text", "newsText", "content-body", "body-text", "bodytext",
        "text-body", "article__text",
    )],
    ("css", '[class*="article-body"], [class*="articleBody"], [class*="article_body"], [class*="ArticleBody"], [class*="post-content"], [class*="entry-content"]'),
    ("tag", "article"),
    ("attr", "role", "main"),
    ("tag", "main"),
]

# --- class/id tokens marking furniture -------------------------------------------------
# A node is furniture when one of its class or id words is one of these (words split on
# spaces, "-", "_" and camelCase; BEM modifiers after "--" are ignored: a
# "field--label-hidden" is a field whose label is hidden). It is never dropped when it
# holds most of the story's text (a wrapper with an unlucky class name).
# Strong words: the node goes whatever it holds.
FURNITURE_TOKENS = [
    # navigation and site chrome
    "nav", "navbar", "navigation", "menu", "breadcrumb", "breadcrumbs", "masthead", "topbar",
    "sidebar", "footer", "pagination", "pager", "skip",
    # sharing, social, follow
    "share", "sharing", "social", "socials", "sharebar", "addthis", "shariff",
    # ads and sponsored
    "ad", "ads", "advert", "advertiser", "advertorial", "advertisement", "adsense", "adslot", "sponsor", "sponsored",
    "outbrain", "taboola", "commercial", "anzeige", "werbung", "dfp", "gpt",
    # cookie/consent/subscription overlays
    "cookie", "cookies", "consent", "gdpr", "newsletter", "subscribe",
    "subscription", "paywall", "modal", "popup", "overlay", "signup", "login", "register",
    # comments and reader interaction
    "comment", "comments", "kommentar", "kommentare", "disqus", "respond", "reply",
    # related content, recommendations
    "related", "recommended", "recommendation", "recommendations", "mostread", "tagcloud",
    "carousel", "teasers",
    # author boxes after the story (two class words)
    "author bio", "about author", "author box", "author info", "author description", "author details",
    "author section", "article author", "author card", "post author", "author profile",
]
# Boxes whose whole content is furniture: a paragraph-rich node inside one of these is
# never the story (a cookie notice, a comment thread, a sidebar widget's text). Layout
# words like "sidebar" or "paywall" are not here: pages put them on the story's wrappers.
FURNITURE_BOX_TAGS = ("aside", "nav", "footer")
FURNITURE_BOX_TOKENS = ["cookie", "cookies", "consent", "gdpr", "cmplz", "comment", "comments", "disqus",
                        "footer", "respond", "newsletter", "modal", "popup", "overlay"]
# Endings glued to a strong word that keep it furniture ("commentlist", "sharebox").
FURNITURE_SUFFIXES = ("s", "list", "area", "box", "block", "wrap", "wrapper", "container", "section",
                      "form", "bar", "links", "title", "widget", "content", "inner")
# Weak words name page parts that are sometimes the story's own wrappers (page builders
# call every content block a "widget"): such a node goes only when it is short or
# mostly links (WEAK_FURNITURE_MAX_CHARS, WEAK_FURNITURE_LINKS).
FURNITURE_WEAK_TOKENS = [
    "widget", "textwidget", "lightbox", "toolbar", "jump", "follow", "promo", "promotion", "banner", "teaser",
    "privacy", "dialog", "discussion", "rating", "ratings", "vote",
    "more", "popular", "trending", "most", "also", "tags", "keywords", "categories", "topics",
    "next", "prev", "previous", "slider",
    # article metadata printed around the story ("tag"/"category" alone are WordPress
    # post classes on the <article> itself, so only the plural forms count)
    "byline", "author", "authors", "autor", "dateline", "date", "datum", "time",
    "timestamp", "published", "meta", "postmeta", "metadata", "postmetadata", "info", "credit", "credits", "caption",
    "bio", "about", "print", "hidden", "visually", "sr", "screen", "noprint", "tools",
    "utility", "actions", "feedback", "copyright", "disclaimer",
    "legal", "contact", "search", "notice", "disclosure",
]
WEAK_FURNITURE_MAX_CHARS = 250
SLUG_ID_SEPARATORS = 4  # an id with this many "-"/"_" is a text slug (heading anchor), not a role name
WEAK_FURNITURE_LINKS = 0.4

# --- the story's lead paragraph, when a CMS keeps it outside the body container ----------
# Class/id words of a lead ("article__intro", "standfirst", "chapo"); taken when it sits
# next to the container (a common ancestor at most LEAD_LEVELS up) and is of lead length.
LEAD_TOKENS = ["intro", "introduction", "lead", "lede", "leader", "standfirst", "summary", "abstract",
               "chapo", "chapeau", "bajada", "epigraph", "einleitung", "vorspann", "deck",
               "intro text", "article intro"]
LEAD_LEVELS = 3
LEAD_MIN_CHARS = 40
LEAD_MAX_CHARS = 1200

# --- short lines that are widget labels, not text ----------------------------------------
WEB_LINE_PATTERNS = [
    # sharing
    r"(share|teilen|partager|compartir|condividi|delen|tweet|pin it|e-?mail|drucken|print|whatsapp|facebook|twitter|linkedin|xing|telegram|reddit|pinterest|flipboard|messenger)( (this|on|via|article|artikel|beitrag))?[:.]?",
    # ads
    r"-? ?(anzeige|werbung|advertisement|advertising|publicité|publicidad|pubblicità|sponsored|gesponsert|ad)( -)?",
    # cross-links
    r"(lesen sie auch|lesen sie mehr|mehr zum thema|weitere artikel|weiterlesen|auch interessant|das könnte sie auch interessieren|read more|read also|see also|related( articles| stories| posts)?|more on this|more stories|lire aussi|à lire aussi|lee también|leia também|veja também|leggi anche)[ :.…]?.{0,3}",
    # comments
    r"(\d+ )?(kommentare?|comments?|commentaires?|comentarios?|reply|antworten|leave a (comment|reply)|schreib(e)? einen kommentar|post a comment)[ :.]?(\(\d+\))?",
    # photo credits
    r"(foto|photo|bild|image|credit|quelle|source|fotos|photos)( ?:| ?©).{0,80}",
    r"© ?.{0,80}",
    # tag lists and navigation labels
    r"(tags|schlagworte|schlagwörter|themen|kategorien?|categories|filed under|posted in|topics)( ?:).{0,200}",
    r"(zurück|back|weiter|next|previous|vorheriger artikel|nächster artikel|previous article|next article|nach oben|top|home|startseite|menu|menü)[ :»›>]{0,3}",
    # a short label left over from a removed widget ("Mehr Themen:", "Release Date:")
    r"[^\s.!?]+(?: [^\s.!?]+){0,2} ?:",
]
WEB_LINE_MAX = 300
# Cookie notices: only tried on lines holding one of WEB_COOKIE_WORDS (the pattern backtracks).
WEB_COOKIE_WORDS = ("cookie", "datenschutz")
WEB_COOKIE_LINE = r".{0,80}\b(cookies?|datenschutzerklärung)\b.{0,200}(akzeptieren|accept|zustimmen|agree|einverstanden|ok|settings|einstellungen)\b.{0,60}"

# --- tags that start a new line when the story is serialized to text ------------------------
BLOCK_TAGS = ("p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "tr", "td", "th", "table",
              "blockquote", "pre", "section", "article", "main", "header", "footer", "figure",
              "figcaption", "hr", "details", "summary", "caption", "address")

# --- structure thresholds -------------------------------------------------------------
MIN_PARAGRAPH_CHARS = 25  # shorter <p> are not counted when scoring containers
MIN_ARTICLE_CHARS = 120  # less than this after extraction = no article
LINK_DENSITY_MAX = 0.5  # a block whose text is more links than this is a link list
TAIL_FROM = 0.4  # markers before this share of the lines are not trusted to end the story
CLIMB_LEVELS = 4  # how far up the container may widen to take in split-off paragraphs
CLIMB_GAIN = 1.1  # widen when the parent holds this much more paragraph text
PRUNE_KEEP_CHARS = 300  # a link-dense block with this much text outside links is kept (its lists go)
NOSCRIPT_TEXT_CHARS = 300  # a <noscript> with this much text is the page's content, not a fallback notice
FALLBACK_SHARE = 0.7  # container text shorter than this share of lexbor's main-content text -> use that

# --- headings after which a page only has furniture left ----------------------------------
# A line matching one of these, in the second half of the text, ends the story.
TAIL_MARKERS = [
    r"(ähnliche|verwandte|weitere|mehr) (beiträge|artikel|themen|nachrichten|news|meldungen)( zum thema| aus der kolumne)?",
    r"(das könnte|dies könnte) (sie|dich) (auch )?interessieren",
    r"(lesen sie|lies) (auch|mehr|weiter)", r"mehr zum thema", r"meistgelesen(e artikel)?", r"auch interessant",
    r"(you (might|may) also like|related (posts|articles|stories|content|topics)|more (stories|from|on this)|most (popular|read)|read next|recommended( for you)?)",
    r"(leave a (reply|comment)|(\d+ )?comments?|kommentare?|schreib(e|en sie)? einen kommentar|kommentar schreiben)",
    r"(à lire aussi|lire aussi|sur le même sujet|articles similaires|commentaires?|vos réactions|réagissez)",
    r"(\d+ )?(antworten|responses?|replies) (zu|to|so far)( .{1,80})?", r"no (responses?|comments?)( yet| so far)?",
    r"kommentare (sind )?(geschlossen|deaktiviert)", r"comments are closed", r"(über den autor|about the author)",
    r"(te puede interesar|notas relacionadas|noticias relacionadas|lee también|artículos relacionados|comentarios?)",
    r"(veja também|leia também|notícias relacionadas)", r"(zobacz również|czytaj także|podobne artykuły)",
    r"(اقرأ أيضا|اقرأ أيضاً|مواضيع ذات صلة|أخبار ذات صلة|الأكثر قراءة|التعليقات)",
]
# Elements whose class/id words are checked against FURNITURE_TOKENS (links, paragraphs,
# list items and inline formatting are left to their containers: checking them costs
# more time than it removes furniture).
CLASSED_TAGS = ("div", "section", "span", "ul", "ol", "header", "footer", "table", "dl", "article",
                "p", "figcaption", "small", "h2", "h3", "h4", "li")
