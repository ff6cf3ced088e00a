"""The AWS facts (tools/aws_facts.py) are real, and the modules and the local endpoint cite the same ones.

botocore-sourced quotes are checked against the member's documentation, shape facts against the model's structure;
user-guide facts cannot be checked offline, so only their citations are. Every fact is cited in plugins/ (by a field
table's `Filled(value, "<id>")` or a `# AWS: <id>` comment), every fact the endpoint implements is cited as
`# AWS: <id>` in tools/emulator, and every citation on either side names a registered fact.
"""

import functools
import pathlib
import re

import botocore.session
import pytest
from ansible_collections.patchmodel.ssm.plugins.module_utils import (
    baseline,
    document,
    window,
    window_target,
    window_task,
)
from ansible_collections.patchmodel.ssm.plugins.module_utils.fields import Field, Form

from tools.aws_facts import FACTS, SERVICE_MODELS, fact, plain

REPO = pathlib.Path(__file__).resolve().parents[2]
EMULATOR = REPO / "tools" / "emulator"
PLUGINS = REPO / "plugins"
# The collection's playbooks and roles rely on AWS too (how an assumed role is refused, ...): their YAML comments cite.
PLAYS = (REPO / "playbooks", REPO / "roles")
CITATION = re.compile(r"#\s*AWS:\s*((?:[\w:.-]+)(?:,\s*[\w:.-]+)*)")
TABLES = (window.FORM, window_target.FORM, window_task.FORM, baseline.FORM, document.FORM)
ENDPOINTS = ("emulator", "moto", "none")

DOC_FACTS = sorted(i for i in FACTS if not i.startswith(("shape:", "guide:")))
SHAPE_FACTS = sorted(i for i in FACTS if i.startswith("shape:"))


@functools.cache
def model(service):
    return botocore.session.get_session().get_service_model(service)


def split(fact_id):
    """(service, container name, member name) of a botocore or shape fact id."""
    body = fact_id.removeprefix("shape:")
    service, _, path = body.rpartition(":")
    container, _, member = path.partition(".")
    return SERVICE_MODELS.get(service, service) or "ssm", container, member


def container_of(service, name):
    """(shape, documentation) of an operation (its input shape, the operation's text) or of a named shape."""
    service_model = model(service)
    if name in service_model.operation_names:
        operation = service_model.operation_model(name)
        return operation.input_shape, operation.documentation
    shape = service_model.shape_for(name)
    return shape, shape.documentation


def type_spec(shape):
    if shape.type_name == "list":
        return f"list<{type_spec(shape.member)}>"
    if shape.type_name == "map":
        return f"map<{type_spec(shape.key)},{type_spec(shape.value)}>"
    return shape.type_name


def citations(tree, pattern="*.py"):
    """{fact id: [file:line, ...]} of every `# AWS: <id>[, <id>...]` comment under `tree`."""
    found = {}
    for path in sorted(tree.rglob(pattern)):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for match in CITATION.finditer(line):
                for fact_id in match.group(1).split(","):
                    found.setdefault(fact_id.strip(), []).append(f"{path.relative_to(REPO)}:{number}")
    return found


def emulator_citations():
    return citations(EMULATOR)


def fields_of(node):
    """Every Field of a table, nested ones included."""
    for field in node.fields if isinstance(node, Form) else [node]:
        yield field
        shape = field.shape
        while hasattr(shape, "inner"):
            shape = shape.inner
        for inner in getattr(getattr(shape, "item", shape), "fields", ()):
            yield from fields_of(inner)


def table_citations():
    """{fact id: [option, ...]} of the facts field tables give for the defaults AWS fills."""
    found = {}
    for table in TABLES:
        for field in fields_of(table):
            if field.filled is not None:
                found.setdefault(field.filled.fact, []).append(field.option)
    return found


def test_every_default_a_table_says_aws_fills_cites_a_registered_fact():
    assert table_citations(), "the tables cite no fact"
    unknown = {i: options for i, options in table_citations().items() if i not in FACTS}
    assert not unknown, f"Filled(..., <id>) naming no fact in tools/aws_facts.py: {unknown}"


def test_every_citation_in_plugins_names_a_fact():
    found = citations(PLUGINS)
    for tree in PLAYS:
        found.update(citations(tree, "*.yml"))
    unknown = {i: where for i, where in found.items() if i not in FACTS}
    assert not unknown, f"`# AWS: <id>` citations in plugins/ naming no fact in tools/aws_facts.py: {unknown}"


def quoted_in_plugins():
    """The registered ids that plugins/ names in a string literal (a table of facts, such as window_task.CARRIED)."""
    text = "\n".join(path.read_text(encoding="utf-8") for path in PLUGINS.rglob("*.py"))
    return {i for i in FACTS if f'"{i}"' in text}


def test_every_fact_is_cited_where_the_modules_rely_on_it():
    cited = set(citations(PLUGINS)) | set(table_citations()) | quoted_in_plugins()
    cited |= {fact_id for tree in PLAYS for fact_id in citations(tree, "*.yml")}
    uncited = sorted(i for i in FACTS if i not in cited)
    assert not uncited, f"facts no field table or `# AWS: <id>` comment in plugins/ relies on: {uncited}"


def test_every_fact_is_well_formed():
    for fact_id, entry in FACTS.items():
        assert entry.source and entry.says, fact_id
        assert entry.endpoint in ENDPOINTS, fact_id
        if fact_id.startswith("shape:"):
            assert entry.kind == "absent" or entry.kind.startswith("type:"), fact_id
        else:
            assert entry.quote and not entry.kind, fact_id
        if fact_id.startswith("guide:"):
            assert entry.source.startswith("https://docs.aws.amazon.com/"), fact_id


@pytest.mark.parametrize("fact_id", DOC_FACTS)
def test_a_botocore_quote_is_in_the_members_documentation(fact_id):
    service, container, member = split(fact_id)
    shape, own_documentation = container_of(service, container)
    if member:
        assert member in shape.members, f"{fact_id}: {container} has no member {member}"
    documentation = plain(shape.members[member].documentation if member else own_documentation)
    assert FACTS[fact_id].quote in documentation, f"{fact_id}: quote not in the documentation:\n{documentation}"


@pytest.mark.parametrize("fact_id", SHAPE_FACTS)
def test_a_shape_fact_holds_in_the_model(fact_id):
    service, container, member = split(fact_id)
    entry = FACTS[fact_id]
    shape, documentation = container_of(service, container)
    if entry.kind == "absent":
        assert member not in shape.members, f"{fact_id}: {container} has a member {member}"
    else:
        assert member in shape.members, f"{fact_id}: {container} has no member {member}"
        assert type_spec(shape.members[member]) == entry.kind.removeprefix("type:"), fact_id
    if entry.quote:
        assert entry.quote in plain(documentation), f"{fact_id}: quote not in {container}'s documentation"


def test_every_fact_the_endpoint_implements_is_cited_there():
    cited = emulator_citations()
    uncited = sorted(i for i, entry in FACTS.items() if entry.endpoint == "emulator" and i not in cited)
    assert not uncited, f"facts with endpoint='emulator' but no `# AWS: <id>` in tools/emulator: {uncited}"
    elsewhere = sorted(i for i, entry in FACTS.items() if entry.endpoint != "emulator" and i in cited)
    assert not elsewhere, f"facts marked endpoint='moto' or 'none' yet cited in tools/emulator: {elsewhere}"


def test_every_citation_in_the_endpoint_names_a_fact():
    unknown = {i: where for i, where in emulator_citations().items() if i not in FACTS}
    assert not unknown, f"`# AWS: <id>` citations naming no fact in aws_facts.FACTS: {unknown}"


def test_plain_drops_tags_and_the_space_they_leave():
    assert plain("<p>If <code>True</code>, then\n  all</p>") == "If True, then all"


def test_fields_of_finds_nested_fields():
    options = {field.option for field in fields_of(baseline.FORM)}
    assert {"approval_rules", "patch_filters", "compliance_level", "key", "configuration"} <= options
    assert isinstance(next(fields_of(window.FORM)), Field)


def test_fact_returns_the_entry_and_names_an_unknown_id():
    assert fact("CreatePatchBaseline.RejectedPatchesAction") is FACTS["CreatePatchBaseline.RejectedPatchesAction"]
    with pytest.raises(KeyError, match="CreatePatchBaseline.RejectedPatchesAction"):
        fact("CreatePatchBaseline.RejectedPatchAction")
