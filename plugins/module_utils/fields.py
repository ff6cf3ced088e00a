# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Field tables: every setting of a resource type declared once, and what derives from the declaration.

A Field names the module option and the API member (a dotted path for nested members), the value's shape, and the
facts about it: whether AWS fills a default it was not sent (`filled`, with the id of the fact in tools/aws_facts.py
that says so), whether it is sent on create or on update only, whether AWS marks it sensitive, and which option
value removes it (`clear`).
A Form is the table of one resource type. From it come the module's normalised form of an API answer (`from_api`)
and of the options (`from_options`), the desired state (`merge`), the comparison (`changed`), the request
(`to_request`), botocore's checks named by option (`problems`) and the paths masked in results (`sensitive_paths`).

The form is the module's option shape: a dict keyed by option, None for a setting the resource lacks.
"""

from __future__ import annotations

import copy
from typing import NamedTuple

EMPTY = (None, "", [], {})


def is_empty(value):
    return any(value is empty or (type(value) is type(empty) and value == empty) for empty in EMPTY)


class Filled(NamedTuple):
    """What AWS reports for a field it was not sent, and the id of the fact (tools/aws_facts.py) that says so."""

    value: object
    fact: object


# --- shapes: how one value converts, merges, compares and is checked


class Value:
    """A value sent and read as it is: text, number, flag."""

    def from_api(self, value):
        return value

    def from_option(self, value):
        return copy.deepcopy(value)

    def to_api(self, value):
        return value

    def canonical(self, value):
        return value

    def merge(self, current, wanted):
        """`wanted` over `current` (wanted is not None): a plain value replaces."""
        return copy.deepcopy(wanted)

    def problems(self, checker, shape, value, path):
        return checker.shape_problems(shape, self.to_api(value), path)

    def sensitive_paths(self, path):
        return [path]

    def spec(self):
        """The argument spec of an option holding this value (the field adds type, choices, default)."""
        return {"type": "str"}


VALUE = Value()


class Strings(Value):
    """A list of strings AWS keeps as a set: order and repeats make no difference."""

    def from_api(self, value):
        return list(value or [])

    def from_option(self, value):
        return list(value)

    def to_api(self, value):
        return list(value)

    def canonical(self, value):
        return tuple(sorted(set(value or [])))

    def spec(self):
        return {"type": "list", "elements": "str"}


STRINGS = Strings()


class Text(Value):
    """Text AWS takes as bytes (a Lambda payload): encoded to send, decoded when read."""

    def from_api(self, value):
        return value.decode("utf-8", errors="replace") if isinstance(value, bytes) else value

    def to_api(self, value):
        return value.encode("utf-8")

    def problems(self, checker, shape, value, path):
        return []  # a blob: its limit (bytes) is the resource's own check


class Struct(Value):
    """A nested structure of fields. `partial`: options given for it merge field by field with the current one."""

    def __init__(self, *fields, partial=False):
        self.fields = fields
        self.partial = partial

    def from_api(self, value):
        return {field.option: field.read(value) for field in self.fields} if value else None

    def from_option(self, value):
        return {field.option: field.option_value(value.get(field.option), fill=True) for field in self.fields}

    def to_api(self, value):
        return _request(self.fields, value or {}, create=True)

    def canonical(self, value):
        if not value:
            return None
        items = ((field.option, field.shape.canonical(value.get(field.option))) for field in self.fields)
        return tuple((option, item) for option, item in items if not is_empty(item)) or None

    def merge(self, current, wanted):
        if not (self.partial and isinstance(current, dict)):
            return copy.deepcopy(wanted)
        return {field.option: field.merge(current.get(field.option), wanted.get(field.option)) for field in self.fields}

    def problems(self, checker, shape, value, path):
        found = []
        request = self.to_api(value)
        for member in shape.required_members:
            if request.get(member) is None:
                option = next((field.option for field in self.fields if field.api == member), member)
                found += checker.required(f"{path}.{option}")
        for field in self.fields:
            found += field.problems(checker, shape, value.get(field.option), f"{path}.{field.option}")
        return found

    def sensitive_paths(self, path):
        return [item for field in self.fields for item in field.sensitive_paths(f"{path}.")]

    def spec(self):
        return {"type": "dict", "options": {field.option: field.argument_spec() for field in self.fields}}


class Records(Value):
    """A list of structures; `ordered=False` when AWS keeps them as a set."""

    def __init__(self, *fields, ordered=True):
        self.item = Struct(*fields)
        self.ordered = ordered

    def from_api(self, value):
        return [self.item.from_api(item) or {} for item in value or []]

    def from_option(self, value):
        return [self.item.from_option(item) for item in value]

    def to_api(self, value):
        return [self.item.to_api(item) for item in value]

    def canonical(self, value):
        items = [self.item.canonical(item) for item in value or []]
        return tuple(items if self.ordered else sorted(items, key=repr))

    def problems(self, checker, shape, value, path):
        found = checker.size_problems(shape, len(value), path)
        for index, item in enumerate(value):
            found += self.item.problems(checker, shape.member, item, f"{path}[{index}]")
        return found

    def sensitive_paths(self, path):
        return self.item.sensitive_paths(f"{path}[]")

    def spec(self):
        return dict(self.item.spec(), type="list", elements="dict")


class Wrapped(Value):
    """A value AWS wraps in a structure of one member, such as {"PatchFilters": [...]}."""

    def __init__(self, member, inner):
        self.member, self.inner = member, inner

    def from_api(self, value):
        return self.inner.from_api((value or {}).get(self.member))

    def from_option(self, value):
        return self.inner.from_option(value)

    def to_api(self, value):
        return {self.member: self.inner.to_api(value or [])}

    def canonical(self, value):
        return self.inner.canonical(value)

    def problems(self, checker, shape, value, path):
        return self.inner.problems(checker, shape.members[self.member], value, path)

    def sensitive_paths(self, path):
        return self.inner.sensitive_paths(path)

    def spec(self):
        return self.inner.spec()


# --- fields

SEND_WHEN_SET, SEND_ALWAYS, SEND_UNLESS_DEFAULT = "set", "always", "unless default"


class Field:
    """One setting: option name, API member, shape, and what AWS does with it."""

    def __init__(
        self,
        option,
        api,
        shape=VALUE,
        filled=None,
        create=True,
        update=True,
        sensitive=False,
        clear=None,
        send=SEND_WHEN_SET,
        blank=None,
        **spec,
    ):
        self.option, self.api, self.shape = option, api, shape
        self.filled = filled
        self.create, self.update = create, update
        self.sensitive = sensitive
        self.clear = clear
        self.send = send
        self.blank = blank  # what the module reports for a setting the resource lacks ([] for a list); no AWS claim
        self.spec = spec  # the option's argument spec beyond what the shape gives: type, choices, default, ...

    def default(self):
        return copy.deepcopy(self.filled.value if self.filled else self.blank)

    def read(self, api):
        """This field's value in an API answer (a dict), AWS's default where it reports none."""
        value = self.shape.from_api(_get(api, self.api))
        return self.default() if value is None else value

    def option_value(self, value, fill=False):
        """This field's value as the options give it; with `fill`, AWS's default for one left out (nested fields,
        which are given whole)."""
        if value is None:
            return self.default() if fill else None
        return self.shape.from_option(value)

    def clears(self, value):
        return self.clear is not None and value == self.clear and type(value) is type(self.clear)

    def merge(self, current, wanted):
        if wanted is None:
            return copy.deepcopy(current)
        if self.clears(wanted):
            return None
        return self.shape.merge(current, wanted)

    def sent(self, value, create):
        if not (self.create if create else self.update):
            return False
        if self.send == SEND_ALWAYS:
            return value is not None
        if self.send == SEND_UNLESS_DEFAULT and self.filled and value == self.filled.value:
            return False
        return not is_empty(value)

    def problems(self, checker, parent_shape, value, path):
        """botocore's constraints on the value (None, or a removal marker: nothing to check)."""
        if value is None or self.clears(value):
            return []
        shape = _member_shape(parent_shape, self.api)
        return self.shape.problems(checker, shape, value, path) if shape is not None else []

    def argument_spec(self):
        """The option's argument spec: the shape's, the field's own keys, and no_log where AWS marks it sensitive."""
        spec = dict(self.shape.spec(), **self.spec)
        if self.sensitive:
            spec["no_log"] = True
        return spec

    def sensitive_paths(self, prefix=""):
        path = prefix + self.option
        return self.shape.sensitive_paths(path) if self.sensitive else self._nested_sensitive(path)

    def _nested_sensitive(self, path):
        if isinstance(self.shape, (Struct, Records, Wrapped)):
            return self.shape.sensitive_paths(path)
        return []


class Form:
    """The field table of one resource type."""

    def __init__(self, *fields):
        self.fields = fields
        self.options = tuple(field.option for field in fields)

    def __getitem__(self, option):
        return next(field for field in self.fields if field.option == option)

    def from_api(self, api):
        """The form of an API answer, AWS's defaults filled in."""
        return {field.option: field.read(api) for field in self.fields}

    def from_options(self, params):
        """The settings the user set; None for those left alone, the `clear` value for those to remove."""
        return {field.option: field.option_value(params.get(field.option)) for field in self.fields}

    def merge(self, current, options):
        """The desired state: each option over the current value (None keeps it; a `clear` value removes it)."""
        current = current or {}
        return {
            field.option: field.merge(current.get(field.option), options.get(field.option)) for field in self.fields
        }

    def with_defaults(self, form):
        """The form with AWS's value for every field left unset (as AWS would report it)."""
        return {
            field.option: field.default() if form.get(field.option) is None else form[field.option]
            for field in self.fields
        }

    def canonical(self, form):
        form = self.with_defaults(form)
        return {field.option: field.shape.canonical(form[field.option]) for field in self.fields}

    def changed(self, current, desired):
        """The options whose values differ once normalised, in table order; empty values are all alike."""
        before, after = self.canonical(current), self.canonical(desired)
        return [option for option in self.options if _comparable(before[option]) != _comparable(after[option])]

    def to_request(self, form, create):
        """The Create (`create`) or Update request members of the whole form (Replace semantics)."""
        return _request(self.fields, form, create)

    def problems(self, checker, operation, form):
        """botocore's constraints on the form's settings, each named by its option path; no request is built, so
        no member the form does not hold (an id) has to be invented."""
        shape = checker.model.operation_model(operation).input_shape
        return [
            item
            for field in self.fields
            for item in field.problems(checker, shape, form.get(field.option), field.option)
        ]

    def argument_spec(self):
        """The argument spec of every option the table declares."""
        return {field.option: field.argument_spec() for field in self.fields}

    def sensitive_paths(self):
        """Where the form holds values AWS marks sensitive (sensitive.masked paths)."""
        return tuple(path for field in self.fields for path in field.sensitive_paths())


def _comparable(value):
    return None if is_empty(value) else value


def _request(fields, form, create):
    request = {}
    for field in fields:
        value = form.get(field.option)
        if not field.sent(value, create):
            continue
        value = field.shape.to_api(value)
        if field.send == SEND_ALWAYS or not is_empty(value):  # a structure whose members are all unset is not sent
            _put(request, field.api, value)
    return request


def _get(api, path):
    for part in path.split("."):
        api = (api or {}).get(part)
    return api


def _put(request, path, value):
    *parents, last = path.split(".")
    for part in parents:
        request = request.setdefault(part, {})
    request[last] = value


def _member_shape(shape, path):
    for part in path.split("."):
        if shape is None or part not in getattr(shape, "members", {}):
            return None
        shape = shape.members[part]
    return shape
