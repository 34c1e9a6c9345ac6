import factory
from django.utils.text import slugify

from articles.models import Article, InfoboxRow, SeeAlso, Section
from articles.services import article_refresh
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
