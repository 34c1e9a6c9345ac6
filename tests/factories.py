import factory
from django.utils.text import slugify

from articles.models import Article, InfoboxRow, SeeAlso, Section
from people.models import Alias, Person, Place


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Place {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    kind = Place.Kind.CITY


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    description = factory.Faker("sentence")


class AliasFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Alias

    person = factory.SubFactory(PersonFactory)
    name = factory.Sequence(lambda n: f"Alias {n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Group{n} in Country{n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    lead = factory.Faker("paragraph")
    status = Article.Status.PUBLISHED


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    article = factory.SubFactory(ArticleFactory)
    heading = factory.Sequence(lambda n: f"Heading {n}")
    level = 2
    body = factory.Faker("paragraph")
    position = factory.Sequence(lambda n: n)


class SeeAlsoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SeeAlso

    article = factory.SubFactory(ArticleFactory)
    target_title = factory.Sequence(lambda n: f"Related article {n}")
    position = factory.Sequence(lambda n: n)


class InfoboxRowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InfoboxRow

    article = factory.SubFactory(ArticleFactory)
    key = "Related"
    value = "Ukrainians in Afghanistan"
    position = 5
