"""Documents several test modules share."""

# The wiki-text of issue 12 (sources and citations), as the issue writes it.
SOURCES_EXAMPLE = """\
= Russians in Tajikistan =

Infobox
- Group: Russians in Tajikistan
- Population: 34,000 (2010 census) [^census2010]

Russians live mostly in Dushanbe.[^census2010] The first settlers came with the railway.[^smith|p. 42]

==History==
Text.[^smith|pp. 50–52][^rferl]

==See also==
- Russians in Uzbekistan

==References==
- [^census2010]
  - Title: Population census of the Republic of Tajikistan 2010
  - Publisher: Agency on Statistics under the President of the Republic of Tajikistan
  - Date: 2010
  - Url: https://www.stat.tj/en/census
  - Accessed: 2023-05-01
- [^smith]
  - Type: book
  - Title: The Railway and the Steppe
  - Author: John Smith
  - Publisher: Example Press
  - Date: 1998
  - Isbn: 978-0-00-000000-2
- [^rferl]
  - Type: news
  - Title: Tajikistan's Russians
  - Work: Radio Free Europe/Radio Liberty
  - Date: 2019-06-12
  - Url: https://www.rferl.org/a/example/1.html
  - Archive-url: https://web.archive.org/web/20200101000000/https://www.rferl.org/a/example/1.html
  - Archive-date: 2020-01-01
"""
