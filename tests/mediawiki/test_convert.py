"""The MediaWiki converter on whole hand-written articles: the dumped
wiki-text exactly, what was dropped, and the round trip."""

from collections import Counter

from articles import wikitext
from articles.mediawiki import convert

# An "Afghans in Russia" page with the current infobox parameters, named,
# reused and plain refs, each cite template, lists, a table, See also,
# categories, interlanguage links and comments.
AFGHANS_IN_RUSSIA = """\
{{Short description|Ethnic group in Russia}}
{{Use dmy dates|date=March 2020}}
{{Infobox ethnic group
| group = Afghans in Russia<br />{{lang|ru|Афганцы в России}}
| image = [[File:Afghan family Moscow.jpg|250px]]
| native_name = Афганцы в России
| native_name_lang = ru
| population = 5,350<ref name="census2010">{{cite web |title=All-Russian population census 2010 |url=https://www.gks.ru/free_doc/new_site/perepis2010/croc/perepis_itogi1612.htm |publisher=Rosstat |date=2010 |access-date=12 June 2019 |language=ru}}</ref>
| popplace = [[Moscow]], [[Saint Petersburg]]
| region1 = {{flagicon|Russia}} [[Moscow Oblast]]
| pop1 = 2,000
| ref1 = <ref name="Kommersant">{{cite news |last=Ivanova |first=Maria |title=Afghans of the capital |newspaper=[[Kommersant]] |date=June 3, 2015 |url=https://www.kommersant.ru/doc/123 |page=4}}</ref>
| langs = {{plainlist|
* [[Dari]]
* [[Pashto language|Pashto]]
* [[Russian language|Russian]]
}}
| rels = [[Sunni Islam]]<br />[[Shia Islam]]
| related = [[Afghan diaspora]], [[Tajiks]]
| footnotes = <!-- none -->
}}
'''Afghans in Russia''' are [[Russia]]n citizens or residents of [[Afghanistan|Afghan]] origin.<ref name="census2010" /> Most came after the [[Soviet–Afghan War]] ({{circa|1992}}).{{citation needed|date=May 2019}}

The community is ''small'' but active.<ref>Smith, John. ''The Afghan Diaspora''. [[Oxford University Press]], 2001.</ref>

== History ==
The first students arrived in the 1960s.<ref name="Giustozzi">{{cite book |last1=Giustozzi |first1=Antonio |title=The Army of Afghanistan |publisher=Hurst |year=2015 |isbn=978-1-84904-404-8 |pages=50–52}}</ref> After 1992, refugees followed.<ref name="Kommersant" />

=== Refugees ===
* Many settled in [[Moscow]].
* Others moved to [[Saint Petersburg#History|the northern capital]].
# First wave
# Second wave

==== Trade ====
Traders run markets.<ref>{{cite journal |author=Petrov, Ivan |title=Afghan traders |journal=Central Asian Survey |date=2008 |doi=10.1080/02634930802536563 |volume=27}}</ref>

== Demographics ==
<!-- table updated yearly -->
{| class="wikitable" style="text-align:right"
! Year !! Population
|-
| 2002 || 4,964
|-
| style="background:red" onclick="alert(1)" | 2010 || 5,350<ref name="census2010" />
|}

See [https://www.example.org/report the report]<ref>{{cite report |title=Migration in Russia |publisher=IOM |date=2019 |url=https://www.iom.int/report.pdf}}</ref> and [javascript:alert(1) this].

== See also ==
* [[Afghans in Germany]]
* [[Afghan diaspora]]

== References ==
{{Reflist}}

{{Afghan diaspora}}

[[Category:Afghan diaspora|Russia]]
[[Category:Ethnic groups in Russia]]
[[ru:Афганцы в России]]
[[de:Afghanen in Russland]]
"""

AFGHANS_IN_RUSSIA_DUMPED = """\
= Afghans in Russia =

Infobox
- Group: Afghans in Russia, Афганцы в России
- Native name: Афганцы в России
- Native name lang: ru
- Population: 5,350 [^census2010]
- Popplace: Moscow, Saint Petersburg and Moscow Oblast
- Moscow Oblast: 2,000 [^kommersant|p. 4]
- Langs: Dari, Pashto, Russian
- Rels: Sunni Islam, Shia Islam
- Related: Afghan diaspora, Tajiks

**Afghans in Russia** are [[Russia]]n citizens or residents of [[Afghanistan|Afghan]] origin.[^census2010] Most came after the [[Soviet–Afghan War]] (c. 1992).[^?]

The community is *small* but active.[^ref-1]

==History==
The first students arrived in the 1960s.[^giustozzi|pp. 50–52] After 1992, refugees followed.[^kommersant|p. 4]

===Refugees===
- Many settled in [[Moscow]].
- Others moved to [[Saint Petersburg|the northern capital]].
1. First wave
1. Second wave

===Trade===
Traders run markets.[^ref-2]

==Demographics==
| Year | Population |
| --- | --- |
| 2002 | 4,964 |
| 2010 | 5,350[^census2010] |

See [the report](https://www.example.org/report)[^ref-3] and this.

==See also==
- Afghans in Germany
- Afghan diaspora

==References==
- [^census2010]
  - Title: All-Russian population census 2010
  - Publisher: Rosstat
  - Date: 2010
  - Url: https://www.gks.ru/free_doc/new_site/perepis2010/croc/perepis_itogi1612.htm
  - Accessed: 2019-06-12
  - Language: ru
- [^kommersant]
  - Type: news
  - Title: Afghans of the capital
  - Author: Maria Ivanova
  - Work: Kommersant
  - Date: 2015-06-03
  - Url: https://www.kommersant.ru/doc/123
- [^ref-1]
  - Title: Smith, John. The Afghan Diaspora. Oxford University Press, 2001.
- [^giustozzi]
  - Type: book
  - Title: The Army of Afghanistan
  - Author: Antonio Giustozzi
  - Publisher: Hurst
  - Date: 2015
  - Isbn: 978-1-84904-404-8
- [^ref-2]
  - Type: journal
  - Title: Afghan traders
  - Author: Petrov, Ivan
  - Work: Central Asian Survey
  - Date: 2008
  - Doi: 10.1080/02634930802536563
  - Volume: 27
- [^ref-3]
  - Type: report
  - Title: Migration in Russia
  - Publisher: IOM
  - Date: 2019
  - Url: https://www.iom.int/report.pdf
"""

# Legacy parameter names (poptime, total_year, regions, languages,
# religions, related_groups) under a redirect's name, a reuse before its
# definition, a grouped ref with a hostile cite, dropped files and galleries.
HAZARAS_IN_IRAN = """\
{{Infobox Ethnic group
|group=Hazaras in Iran
|poptime={{circa|500,000}}<ref name=unhcr/>
|total_year=2015
|regions={{ubl|[[Mashhad]]|[[Tehran]]|[[Trinidad and Tobago]]}}
|languages=[[Hazaragi dialect|Hazaragi]], {{nowrap|[[Persian language|Persian]]}}
|religions=[[Shia Islam]]
|related_groups=[[Hazaras]]
|region1=[[Mashhad]]
|pop1=300,000
|ref1=<ref group="n">{{Cite web|url=javascript:alert(1)|title=Hostile <script>alert(1)</script> source|website=Evil|onclick=alert(1)}}</ref>
|region2=Langs
|pop2=10
|website=[http://hazara.example.org Official site]
}}
The '''Hazaras in Iran''' ({{lang-fa|هزاره‌های ایران}}) live mostly in [[Mashhad]].<ref name="unhcr">{{cite report|title=Afghan refugees in Iran|publisher=[[UNHCR]]|date=Spring 2016|url=//www.unhcr.org/iran}}</ref>{{cn}} A {{convert|10|km}} walk; see [[:Category:Hazara people]] and [[wikt:Hazara|the word]].
__NOTOC__
== Notes ==
{{Reflist|group=n}}
== References ==
<references />
[[File:Map.png|thumb|A map<ref>Caption ref</ref>]]
<gallery>
A.jpg|One
</gallery>
[[Category:Hazara diaspora]]
[[zh-min-nan:Hazara]]
"""

HAZARAS_IN_IRAN_DUMPED = """\
= Hazaras in Iran =

Infobox
- Group: Hazaras in Iran
- Population: c. 500,000 (2015) [^unhcr]
- Popplace: Mashhad, Tehran, "Trinidad and Tobago" and Langs
- Langs: Hazaragi, Persian
- Rels: Shia Islam
- Related: Hazaras
- Mashhad: 300,000 [^ref-1]
- Population in Langs: 10
- Website: http://hazara.example.org

The **Hazaras in Iran** (هزاره\u200cهای ایران) live mostly in [[Mashhad]].[^unhcr][^?] A 10 km walk; see [[Category:Hazara people]] and the word.

==References==
- [^unhcr]
  - Type: report
  - Title: Afghan refugees in Iran
  - Publisher: UNHCR
  - Url: https://www.unhcr.org/iran
  - Date as written: Spring 2016
- [^ref-1]
  - Title: Hostile source
  - Work: Evil
"""


def test_afghans_in_russia_converts_to_exact_wiki_text():
    converted = convert(AFGHANS_IN_RUSSIA, title="Afghans_in_Russia")
    assert wikitext.dump(converted.doc) == AFGHANS_IN_RUSSIA_DUMPED
    assert wikitext.parse(AFGHANS_IN_RUSSIA_DUMPED) == converted.doc


def test_afghans_in_russia_tags_languages_description_and_dropped():
    converted = convert(AFGHANS_IN_RUSSIA, title="Afghans in Russia")
    assert converted.tags == ["Afghan diaspora", "Ethnic groups in Russia"]
    assert converted.interlanguage == [
        ("ru", "Афганцы в России"), ("de", "Afghanen in Russland"),
    ]
    assert converted.description == "Ethnic group in Russia"
    assert converted.dropped == Counter({
        "template Use dmy dates": 1, "lang": 1, "file": 1, "unsafe url": 1,
        "template Afghan diaspora": 1,
    })


def test_legacy_infobox_parameters_and_redirect_convert_to_exact_wiki_text():
    converted = convert(HAZARAS_IN_IRAN, title="Hazaras in Iran")
    assert wikitext.dump(converted.doc) == HAZARAS_IN_IRAN_DUMPED
    assert wikitext.parse(HAZARAS_IN_IRAN_DUMPED) == converted.doc
    assert converted.tags == ["Hazara diaspora"]
    assert converted.interlanguage == [("zh-min-nan", "Hazara")]
    assert converted.description == ""
    assert converted.dropped == Counter({
        "tag script": 1, "unsafe url": 1, "unsafe parameter": 1, "lang": 1,
        "magic word NOTOC": 1, "file": 1, "gallery": 1,
    })


def test_legacy_infobox_typed_values():
    box = convert(HAZARAS_IN_IRAN, title="Hazaras in Iran").doc.infobox
    assert box.population == wikitext.Population(None, "c. 500,000 (2015)")
    assert box.places == ["Mashhad", "Tehran", "Trinidad and Tobago", "Langs"]
    assert box.languages == ["Hazaragi", "Persian"]
    assert [(r.key, r.value, r.position) for r in box.extras] == [
        ("Mashhad", "300,000", 6), ("Population in Langs", "10", 7),
        ("Website", "http://hazara.example.org", 8),
    ]
