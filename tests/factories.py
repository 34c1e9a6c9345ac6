import factory
from django.utils.text import slugify

from articles.models import Article, ArticleReference, Citation, InfoboxRow, SeeAlso, Section, Source
from articles.services import article_refresh
from articles.sources import source_identity
from people.models import Alias, Person, Place


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place
        skip_postgeneration_save = True
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Place {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    kind = Place.Kind.CITY


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Person {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    description = factory.Faker("sentence")


class AliasFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Alias
        skip_postgeneration_save = True

    person = factory.SubFactory(PersonFactory)
    name = factory.Sequence(lambda n: f"Alias {n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Group{n} in Country{n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    lead = factory.Faker("paragraph")
    status = Article.Status.PUBLISHED

    @factory.post_generation
    def refresh(obj, create, extracted, **kwargs):
        # What the admin and the importer do after every save.
        if create:
            article_refresh(article=obj)


class RefreshArticle(factory.django.DjangoModelFactory):
    """A row of an article; the article is refreshed after it is made."""

    class Meta:
        abstract = True
        skip_postgeneration_save = True

    @factory.post_generation
    def refresh(obj, create, extracted, **kwargs):
        if create:
            article_refresh(article=obj.article)


class SectionFactory(RefreshArticle):
    class Meta:
        model = Section
        skip_postgeneration_save = True

    article = factory.SubFactory(ArticleFactory)
    heading = factory.Sequence(lambda n: f"Heading {n}")
    level = 2
    body = factory.Faker("paragraph")
    position = factory.Sequence(lambda n: n)


class SeeAlsoFactory(RefreshArticle):
    class Meta:
        model = SeeAlso
        skip_postgeneration_save = True

    article = factory.SubFactory(ArticleFactory)
    target_title = factory.Sequence(lambda n: f"Related article {n}")
    position = factory.Sequence(lambda n: n)


class InfoboxRowFactory(RefreshArticle):
    class Meta:
        model = InfoboxRow
        skip_postgeneration_save = True

    article = factory.SubFactory(ArticleFactory)
    key = "Related"
    value = "Ukrainians in Afghanistan"
    position = 5


class SourceFactory(factory.django.DjangoModelFactory):
    """A web page; its identity is that of its URL, as the import makes it."""

    class Meta:
        model = Source
        skip_postgeneration_save = True

    type = Source.Type.WEB
    title = factory.Sequence(lambda n: f"Source {n}")
    url = factory.Sequence(lambda n: f"https://example.org/source/{n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    identity = factory.LazyAttribute(lambda o: source_identity(
        doi=o.doi, isbn=o.isbn, url=o.url, title=o.title, work=o.work, publisher=o.publisher,
        date=o.date,
    ))
    work = ""
    publisher = ""
    date = ""
    isbn = ""
    doi = ""


class ArticleReferenceFactory(RefreshArticle):
    """An entry of an article's References (no marker cites it yet)."""

    class Meta:
        model = ArticleReference
        skip_postgeneration_save = True

    article = factory.SubFactory(ArticleFactory)
    key = factory.Sequence(lambda n: f"ref-{n}")
    source = factory.SubFactory(SourceFactory)
    position = factory.Sequence(lambda n: n)


class CitationFactory(factory.django.DjangoModelFactory):
    """An infobox citation (text citations come from the text: write the
    marker into the lead or a section and refresh the article)."""

    class Meta:
        model = Citation
        skip_postgeneration_save = True

    article = factory.SubFactory(ArticleFactory)
    reference = factory.SubFactory(ArticleReferenceFactory, article=factory.SelfAttribute("..article"))
    place = "infobox:Population"
    locator = ""
    position = 0

    @factory.post_generation
    def refresh(obj, create, extracted, **kwargs):
        if create:
            article_refresh(article=obj.article)
