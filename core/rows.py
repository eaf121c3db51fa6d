"""One row by its key, with the SQL compiled once: the single-row reads of the public API.

Django compiles a queryset to SQL each time it is evaluated. For a polling station with its
region that takes longer than PostgreSQL takes to answer (about 1 ms of Python on the 2-core
test machine, against 0.2 ms in the database; bench/profile_reads.py), and a public single-row
read does it for every request although only the key changes. A `RowReader` compiles the
queryset's single-row form once and afterwards binds only the key: the same SQL, and the same
model instances Django would build (its converters, `select_related` populators and annotations,
`prefetch_related` through `prefetch_related_objects`).

Contract: the queryset must not depend on anything that changes between requests other than the
key: no time (`now()` in a filter), no user, no query parameter. Callers compile per language
(modeltranslation rewrites translated lookups for the active one). Readers are cached by their
callers (core.api.viewsets: per view class, action and language).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import MultipleObjectsReturned, ValidationError
from django.db import connections
from django.db.models import IntegerField, Model, QuerySet
from django.db.models.query import ModelIterable, get_related_populators, prefetch_related_objects

# A key no row has (ids are positive), within the range of a 32-bit column (Django compiles an
# out-of-range value to an empty result): compiled in place of the key, then found among the
# query's parameters.
_PROBE = -2_073_017_301


@dataclass(frozen=True)
class RowReader:
    model: type[Model]
    db: str
    sql: str
    params: tuple
    key_position: int
    key_field: object
    compiler: object = field(repr=False)
    converters: dict = field(repr=False)
    init_list: tuple[str, ...] = field(repr=False)
    model_slice: slice = field(repr=False)
    populators: tuple = field(repr=False)
    annotations: tuple[tuple[str, int], ...] = field(repr=False)
    prefetch: tuple = field(repr=False)
    col_count: int | None = field(repr=False)

    @classmethod
    def compile(cls, queryset: QuerySet, lookup: str = "pk") -> RowReader | None:
        """The reader of `queryset.get(<lookup>=key)`, or None for a queryset it cannot read
        faithfully (values(), a union, known related objects, a key that is not one parameter
        of the SQL): the caller then evaluates the queryset as usual."""
        if (
            queryset._iterable_class is not ModelIterable
            or queryset.query.combinator
            or queryset._known_related_objects
            or queryset._fields is not None
            or "__" in lookup
        ):
            return None
        model = queryset.model
        key_field = model._meta.pk if lookup == "pk" else model._meta.get_field(lookup)
        if not isinstance(key_field, IntegerField) or key_field.is_relation:
            return None  # keys that come in URLs as digits (every model's id)
        probe = queryset.order_by().filter(**{lookup: _PROBE})
        probe.query.set_limits(high=2)
        compiler = probe.query.get_compiler(using=probe.db)
        try:
            sql, params = compiler.as_sql()
        except Exception:  # EmptyResultSet and the like: let the ordinary path answer
            return None
        positions = [i for i, value in enumerate(params) if type(value) is int and value == _PROBE]
        if len(positions) != 1 or not sql:
            return None
        select, klass_info = compiler.select, compiler.klass_info
        select_fields = klass_info["select_fields"]
        return cls(
            model=model,
            db=probe.db,
            sql=sql,
            params=tuple(params),
            key_position=positions[0],
            key_field=key_field,
            compiler=compiler,
            converters=compiler.get_converters([s[0] for s in select[: compiler.col_count]]),
            init_list=tuple(
                s[0].target.attname for s in select[select_fields[0] : select_fields[-1] + 1]
            ),
            model_slice=slice(select_fields[0], select_fields[-1] + 1),
            populators=tuple(get_related_populators(klass_info, select, probe.db)),
            annotations=tuple(compiler.annotation_col_map.items()),
            prefetch=tuple(queryset._prefetch_related_lookups),
            col_count=compiler.col_count if compiler.has_extra_select else None,
        )

    def get(self, key) -> Model | None:
        """The row whose key is `key` (as it came in a URL: "17"), or None when there is none or
        the key is not a valid value of the key field. MultipleObjectsReturned as `get()`."""
        connection = connections[self.db]
        try:
            value = self.key_field.get_db_prep_value(self.key_field.to_python(key), connection)
        except (ValidationError, TypeError, ValueError):
            return None
        params = list(self.params)
        params[self.key_position] = value
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchmany(2)
        if not rows:
            return None
        if len(rows) > 1:
            raise MultipleObjectsReturned(f"{self.model.__name__}: more than one row for {key!r}")
        row = rows[0] if self.col_count is None else rows[0][: self.col_count]
        if self.converters:
            row = next(iter(self.compiler.apply_converters([row], self.converters)))
        obj = self.model.from_db(self.db, list(self.init_list), row[self.model_slice])
        for populator in self.populators:
            populator.populate(row, obj)
        for name, position in self.annotations:
            setattr(obj, name, row[position])
        if self.prefetch:
            prefetch_related_objects([obj], *self.prefetch)
        return obj
