"""AWX as code (docs/awx.md): the survey specs are ones AWX accepts and applies, and cannot drift from the playbooks.

AWX checks a survey spec twice. When it is POSTed to .../survey_spec/ (JobTemplateSurveySpec._validate_spec_data in
awx/api/views/__init__.py): name, description and a non-empty spec; per question type, question_name, variable
(strings) and required (a bool); the type one of ALLOWED_TYPES; a default ('' means none) of that type's Python type;
min and max integers or null; choices for multiplechoice and multiselect, as a list or a newline-separated string,
with the default(s) among them and one default at most for multiplechoice. At launch
(SurveyJobTemplateMixin._survey_element_validation in awx/main/models/mixins.py) each answer is checked against min
and max (a text's length, a number's value) and the choices, and a default that fails those checks is silently not
applied. survey_errors() follows both, so a default AWX would drop fails here.

Each question's variable must be one its playbook reads: a name in a template or condition of the playbook, of the
files it imports (vars_files, import_tasks), or an option of a role it imports (meta/argument_specs.yml). A question
feeding a role or module option sends an answer of the option's type (AWX sends text as a string, integer as an int,
multiselect as a list) and, for a choice question, only the option's choices.
"""

import copy
import importlib.util
import json
import os
import pathlib
import re
import subprocess
import sys

import jinja2
import jinja2.meta
import pytest
import yaml
from ansible.parsing.plugin_docs import read_docstring
from ansible.utils.vars import isidentifier

REPO = pathlib.Path(__file__).resolve().parents[2]
PLAYBOOKS = REPO / "playbooks"
CONFIGURE = PLAYBOOKS / "awx_configure.yml"
BIN = pathlib.Path(sys.executable).parent

# JobTemplateSurveySpec.ALLOWED_TYPES: each question type and the type of its default.
ALLOWED_TYPES = {
    "text": str,
    "textarea": str,
    "password": str,
    "multiplechoice": str,
    "multiselect": str,
    "integer": int,
    "float": float,
}
CHOICE_TYPES = {"multiplechoice", "multiselect"}
# AWX passes its own job metadata as extra variables with these prefixes (awx_job_id, tower_job_id, ...): a survey
# answer must not collide with them.
RESERVED_PREFIXES = ("awx_", "tower_")
CONDITION_KEYS = {"when", "that", "until", "failed_when", "changed_when"}
IMPORT_TASKS = {"import_tasks", "include_tasks", "ansible.builtin.import_tasks", "ansible.builtin.include_tasks"}
IMPORT_ROLE = {"import_role", "include_role", "ansible.builtin.import_role", "ansible.builtin.include_role"}
COLLECTION_PREFIX = "patchmodel.ssm."


def choice_list(choices):
    """The choices as AWX reads them: a list, or the non-blank lines of a string."""
    if isinstance(choices, str):
        return [choice for choice in choices.splitlines() if choice.strip()]
    return list(choices)


def launch_errors(question, value):
    """AWX's launch-time check of one answer (or of the default it would apply)."""
    qtype, low, high = question["type"], question.get("min"), question.get("max")
    low = None if low in ("", None) else low
    high = None if high in ("", None) else high
    if qtype in ("text", "textarea", "password"):
        if not isinstance(value, str):
            return [f"value {value!r} is not a string"]
        measured, what = len(value), "length"
    elif qtype == "integer":
        if type(value) is not int:
            return [f"value {value!r} is not an integer"]
        measured, what = value, "value"
    elif qtype == "float":
        if type(value) not in (int, float):
            return [f"value {value!r} is not a number"]
        measured, what = value, "value"
    elif qtype == "multiplechoice":
        return [] if value in choice_list(question["choices"]) else [f"value {value!r} is not one of the choices"]
    else:  # multiselect: a list of choices
        if not isinstance(value, list):
            return [f"value {value!r} is not a list"]
        choices = choice_list(question["choices"])
        return [f"value {item!r} is not one of the choices" for item in value if item not in choices]
    errors = []
    if low is not None and measured < low:
        errors.append(f"{what} {measured} is below min {low}")
    if high is not None and measured > high:
        errors.append(f"{what} {measured} is above max {high}")
    return errors


def question_errors(question):
    if not isinstance(question, dict):
        return ["is not a JSON object"]
    for field, kind in (("type", str), ("question_name", str), ("variable", str), ("required", bool)):
        if field not in question:
            return [f"'{field}' is missing"]
        if not isinstance(question[field], kind):
            return [f"'{field}' must be a {kind.__name__}"]
    qtype, variable = question["type"], question["variable"]
    if qtype not in ALLOWED_TYPES:
        return [f"type {qtype!r} is not one of {', '.join(ALLOWED_TYPES)}"]
    errors = []
    if not isidentifier(variable):
        errors.append(f"variable {variable!r} is not a valid Ansible variable name")
    if variable.startswith(RESERVED_PREFIXES):
        errors.append(f"variable {variable!r} takes a prefix AWX reserves for its own extra variables")
    for key in ("min", "max"):
        if key in question and question[key] is not None and type(question[key]) is not int:
            errors.append(f"{key} must be an integer or null")
    default = question.get("default", "")
    has_default = default != ""
    if has_default and (type(default) is bool or not isinstance(default, ALLOWED_TYPES[qtype])):
        errors.append(f"default {default!r} must be a {ALLOWED_TYPES[qtype].__name__}")
    if qtype in CHOICE_TYPES:
        choices = question.get("choices")
        if not isinstance(choices, (str, list)) or not choice_list(choices):
            return errors + ["choices must be a non-empty list or newline-separated string"]
        if not all(isinstance(choice, str) for choice in choice_list(choices)):
            errors.append("each choice must be a string")
        if has_default and isinstance(default, str):
            defaults = choice_list(default)
            if qtype == "multiplechoice" and len(defaults) > 1:
                errors.append("a multiplechoice question takes one default")
            errors += [
                f"default {item!r} is not one of the choices" for item in defaults if item not in choice_list(choices)
            ]
        # AWX applies a string default to a multiselect question at launch as a string, which its own check rejects
        # (a multiselect answer is a list): the default only pre-fills the launch form. Required, such a question
        # fails every launch that does not answer it (schedules, API): leave it optional, the playbook's default.
        if qtype == "multiselect" and question["required"]:
            errors.append("a multiselect question must not be required (AWX applies no default to it at launch)")
    elif has_default and not errors:
        errors += [f"default {error}" for error in launch_errors(question, default)]
    return errors


def survey_errors(survey):
    """Every reason AWX would refuse this survey spec, or drop one of its defaults; [] when it is sound."""
    errors = []
    for field, kind in (("name", str), ("description", str), ("spec", list)):
        if field not in survey:
            errors.append(f"'{field}' is missing")
        elif not isinstance(survey[field], kind):
            errors.append(f"'{field}' must be a {kind.__name__}")
    if errors:
        return errors
    if not survey["spec"]:
        return ["'spec' has no questions"]
    seen = set()
    for index, question in enumerate(survey["spec"]):
        errors += [f"question {index}: {error}" for error in question_errors(question)]
        variable = question.get("variable") if isinstance(question, dict) else None
        if variable in seen:
            errors.append(f"question {index}: variable {variable!r} is asked twice")
        seen.add(variable)
    return errors


# --- what a playbook reads --------------------------------------------------------------------------------------


class _AnyName(dict):
    """Filters and tests by any name: Ansible's (regex_replace, succeeded, ...) are not Jinja's own."""

    def __contains__(self, name):
        return True

    def __missing__(self, name):
        return lambda *args, **kwargs: None

    def get(self, name, default=None):
        return self[name]


_JINJA = jinja2.Environment()
_JINJA.filters = _AnyName(_JINJA.filters)
_JINJA.tests = _AnyName(_JINJA.tests)


def _template_names(text):
    try:
        return jinja2.meta.find_undeclared_variables(_JINJA.parse(text))
    except jinja2.TemplateSyntaxError as error:
        raise AssertionError(f"cannot parse {text!r}: {error}") from error


def _role_options(role_name, entry_point):
    role = role_name.removeprefix(COLLECTION_PREFIX)
    specs = yaml.safe_load((REPO / "roles" / role / "meta" / "argument_specs.yml").read_text())["argument_specs"]
    return specs[entry_point].get("options") or {}


def _module_options(module):
    source = (REPO / "plugins" / "modules" / f"{module}.py").read_text()
    return yaml.safe_load(source.split('DOCUMENTATION = r"""')[1].split('"""')[0])["options"]


# The option types a question's answer fits: AWX sends text as a string, integer as an int, multiselect as a list.
TYPE_FITS = {
    "text": {"str", "raw", "path"},
    "textarea": {"str", "raw", "path"},
    "password": {"str", "raw"},
    "integer": {"int", "raw"},
    "float": {"float", "raw"},
    "multiplechoice": {"str", "raw"},
    "multiselect": {"list"},
}


class PlaybookReads:
    """The variables a playbook reads, and the role or module options (type, choices) it hands variables to."""

    def __init__(self, playbook):
        self.names = set()
        self.option_specs = {}  # variable -> the spec of the role or module option it feeds
        self._visit_file(playbook)

    def _visit_file(self, path):
        self._walk(yaml.safe_load(path.read_text()), path.parent)

    def _walk(self, node, base):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in CONDITION_KEYS:
                    for condition in value if isinstance(value, list) else [value]:
                        if isinstance(condition, str):
                            self.names |= _template_names("{{ " + condition + " }}")
                        else:
                            self._walk(condition, base)
                    continue
                if key in IMPORT_TASKS and isinstance(value, str):
                    self._visit_file(base / value)
                elif key == "vars_files":
                    for name in value:
                        self._visit_file(base / name)
                elif key in IMPORT_ROLE:
                    options = _role_options(value["name"], value.get("tasks_from", "main"))
                    self.names |= set(options)
                    self.option_specs.update(options)
                elif key.startswith(COLLECTION_PREFIX) and isinstance(value, dict):
                    options = _module_options(key.removeprefix(COLLECTION_PREFIX))
                    # An option passed one variable as it is ("{{ var | default(omit) }}"), not one built from it.
                    for option, argument in value.items():
                        plain = re.match(r"\{\{\s*(\w+)\s*(\}\}|\|\s*default\(omit\)\s*\}\})$", str(argument))
                        if plain and option in options:
                            self.option_specs.setdefault(plain.group(1), options[option])
                self._walk(value, base)
        elif isinstance(node, list):
            for item in node:
                self._walk(item, base)
        elif isinstance(node, str) and ("{{" in node or "{%" in node):
            self.names |= _template_names(node)


def drift_errors(survey, playbook):
    """The survey's questions the playbook would ignore, or whose type or choices the option they feed refuses."""
    reads = PlaybookReads(playbook)
    errors = []
    for question in survey["spec"]:
        variable = question["variable"]
        if variable not in reads.names:
            errors.append(f"{variable}: {playbook.name} does not read it")
            continue
        spec = reads.option_specs.get(variable)
        if spec is None:
            continue
        option_type = spec.get("type", "str")
        if option_type not in TYPE_FITS[question["type"]]:
            errors.append(f"{variable}: a {question['type']} answer does not fit the option's type {option_type}")
        allowed = spec.get("choices")
        if allowed and question["type"] in CHOICE_TYPES:
            errors += [
                f"{variable}: choice {choice!r} is not one of the option's {allowed}"
                for choice in choice_list(question["choices"])
                if choice not in allowed
            ]
    return errors


# --- the playbook's own configuration -----------------------------------------------------------------------------


def configure_play():
    return yaml.safe_load(CONFIGURE.read_text())[0]


def job_templates():
    return configure_play()["vars"]["awx_configure_job_templates"]


def load_survey(relative):
    return json.loads((PLAYBOOKS / relative).read_text())


def workflow_template_keys():
    """The job templates the workflow's nodes run (by key), in node order, and the approval nodes' count."""
    task = next(task for task in configure_play()["tasks"] if "awx.awx.workflow_job_template" in task)
    keys, approvals = [], 0
    for node in task["awx.awx.workflow_job_template"]["workflow_nodes"]:
        template = node["unified_job_template"]
        if template["type"] == "workflow_approval":
            approvals += 1
        else:
            keys.append(template["name"].split("awx_configure_names.")[1].split()[0])
    return keys, approvals


TEMPLATES = job_templates()
SURVEY_FILES = sorted((PLAYBOOKS / "awx" / "surveys").glob("*.json"))


def test_every_survey_file_belongs_to_a_job_template():
    used = {template["survey"] for template in TEMPLATES}
    used.add(configure_play()["vars"]["awx_configure_workflow"]["survey"])
    assert {f"awx/surveys/{path.name}" for path in SURVEY_FILES} == used


def test_one_job_template_each_for_apply_preview_patch_now_report_and_teardown():
    by_key = {template["key"]: template for template in TEMPLATES}
    assert set(by_key) == {"apply", "preview", "patch_now", "compliance_report", "teardown"}
    assert (by_key["apply"]["job_type"], by_key["apply"]["diff_mode"]) == ("run", False)
    # The preview is the apply playbook as --check --diff.
    assert (by_key["preview"]["job_type"], by_key["preview"]["diff_mode"]) == ("check", True)
    assert by_key["preview"]["playbook"] == by_key["apply"]["playbook"] == "patching_model.yml"
    for template in TEMPLATES:
        assert (PLAYBOOKS / template["playbook"]).is_file(), template


@pytest.mark.parametrize("path", SURVEY_FILES, ids=lambda path: path.name)
def test_survey_spec_is_one_awx_accepts_and_applies(path):
    assert survey_errors(json.loads(path.read_text())) == []


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda template: template["key"])
def test_survey_asks_only_what_its_playbook_reads(template):
    assert drift_errors(load_survey(template["survey"]), PLAYBOOKS / template["playbook"]) == []


def test_workflow_is_preview_approval_apply_and_its_survey_reaches_both_jobs():
    keys, approvals = workflow_template_keys()
    assert (keys, approvals) == (["preview", "apply"], 1)
    by_key = {template["key"]: template for template in TEMPLATES}
    survey = load_survey(configure_play()["vars"]["awx_configure_workflow"]["survey"])
    for key in keys:
        assert drift_errors(survey, PLAYBOOKS / by_key[key]["playbook"]) == []


def test_schedules_run_templates_that_exist():
    names = {template["key"] for template in TEMPLATES}
    for schedule in configure_play()["vars"]["awx_configure_schedules"]:
        assert schedule["template"] in names
        assert schedule["rrule"].startswith("DTSTART") and " RRULE:" in schedule["rrule"]


# --- a bad spec fails -------------------------------------------------------------------------------------------

GOOD = {
    "name": "Example",
    "description": "",
    "spec": [
        {
            "type": "text",
            "question_name": "Group",
            "variable": "patch_now_patch_group",
            "required": True,
            "default": "WebServer-Prd",
            "min": 1,
            "max": 64,
        },
        {
            "type": "integer",
            "question_name": "Wait",
            "variable": "patch_now_wait_timeout",
            "required": True,
            "default": 3600,
            "min": 60,
            "max": 86400,
        },
        {
            "type": "multiplechoice",
            "question_name": "Operation",
            "variable": "patch_now_operation",
            "required": True,
            "choices": "Scan\nInstall",
            "default": "Scan",
        },
        {
            "type": "multiselect",
            "question_name": "States",
            "variable": "compliance_report_drilldown_states",
            "required": False,
            "choices": ["MISSING", "FAILED", "INSTALLED"],
            "default": "MISSING\nFAILED",
        },
    ],
}


def mutated(index, **changes):
    survey = copy.deepcopy(GOOD)
    if index is None:
        survey.update(changes)
    else:
        for key, value in changes.items():
            if value is KeyError:
                survey["spec"][index].pop(key)
            else:
                survey["spec"][index][key] = value
    return survey


BAD = {
    "no name": (None, {"name": None}, "'name' must be a str"),
    "empty spec": (None, {"spec": []}, "no questions"),
    "unknown type": (0, {"type": "string"}, "is not one of text"),
    "no variable": (0, {"variable": KeyError}, "'variable' is missing"),
    "variable with a dash": (0, {"variable": "patch-group"}, "not a valid Ansible variable name"),
    "variable a keyword": (0, {"variable": "class"}, "not a valid Ansible variable name"),
    "variable AWX reserves": (0, {"variable": "awx_job_id"}, "prefix AWX reserves"),
    "required as a string": (0, {"required": "true"}, "'required' must be a bool"),
    "text default too long": (0, {"default": "x" * 65}, "default length 65 is above max 64"),
    "min as a string": (0, {"min": "1"}, "min must be an integer"),
    "integer default as a string": (1, {"default": "3600"}, "must be a int"),
    "integer default a bool": (1, {"default": True}, "must be a int"),
    "integer default below min": (1, {"default": 10}, "value 10 is below min 60"),
    "choices missing": (2, {"choices": KeyError}, "choices must be a non-empty list"),
    "choices a dict": (2, {"choices": {"Scan": 1}}, "choices must be a non-empty list"),
    "default not a choice": (2, {"default": "Patch"}, "default 'Patch' is not one of the choices"),
    "two defaults for a single choice": (2, {"default": "Scan\nInstall"}, "takes one default"),
    "multiselect default as a list": (3, {"default": ["MISSING"]}, "must be a str"),
    "multiselect default not a choice": (3, {"default": "MISSING\nPENDING"}, "'PENDING' is not one of the choices"),
    "multiselect required": (3, {"required": True}, "must not be required"),
}


def test_the_good_example_passes():
    assert survey_errors(GOOD) == []


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_spec_fails(case):
    index, changes, message = BAD[case]
    errors = survey_errors(mutated(index, **changes))
    assert any(message in error for error in errors), errors


def test_a_duplicate_variable_fails():
    survey = copy.deepcopy(GOOD)
    survey["spec"].append(dict(survey["spec"][0]))
    assert "question 4: variable 'patch_now_patch_group' is asked twice" in survey_errors(survey)


def test_a_question_its_playbook_does_not_read_fails():
    survey = load_survey("awx/surveys/patch_now.json")
    survey["spec"][1]["variable"] = "patch_now_group"
    assert drift_errors(survey, PLAYBOOKS / "patch_now.yml") == ["patch_now_group: patch_now.yml does not read it"]


def test_a_question_of_another_playbook_fails():
    # patch_now.yml's variables mean nothing to the compliance report.
    survey = load_survey("awx/surveys/patch_now.json")
    errors = drift_errors(survey, PLAYBOOKS / "compliance_report.yml")
    assert "patch_now_operation: compliance_report.yml does not read it" in errors


def test_a_choice_the_role_refuses_fails():
    survey = load_survey("awx/surveys/compliance_report.json")
    question = next(q for q in survey["spec"] if q["variable"] == "compliance_report_drilldown_states")
    question["choices"] = [*question["choices"], "PENDING"]
    errors = drift_errors(survey, PLAYBOOKS / "compliance_report.yml")
    assert any("choice 'PENDING' is not one of the option's" in error for error in errors), errors


def test_a_choice_the_module_refuses_fails():
    survey = load_survey("awx/surveys/patch_now.json")
    question = next(q for q in survey["spec"] if q["variable"] == "patch_now_reboot_option")
    question["choices"] = [*question["choices"], "RebootAlways"]
    errors = drift_errors(survey, PLAYBOOKS / "patch_now.yml")
    assert errors == [
        "patch_now_reboot_option: choice 'RebootAlways' is not one of the option's ['RebootIfNeeded', 'NoReboot']"
    ]


def test_an_answer_of_the_wrong_type_for_its_option_fails():
    # ssm_patch_now's wait_timeout is an int: a text question would send a string.
    survey = load_survey("awx/surveys/patch_now.json")
    question = next(q for q in survey["spec"] if q["variable"] == "patch_now_wait_timeout")
    question.update(type="text", default="3600", min=1, max=5)
    errors = drift_errors(survey, PLAYBOOKS / "patch_now.yml")
    assert errors == ["patch_now_wait_timeout: a text answer does not fit the option's type int"]


# --- the playbook itself ------------------------------------------------------------------------------------------


def _ansible_env():
    env = dict(os.environ)
    env.update(
        {
            "ANSIBLE_CONFIG": str(REPO / "ansible.cfg"),
            "ANSIBLE_COLLECTIONS_PATH": str(REPO / ".collections"),
            "ANSIBLE_NOCOLOR": "1",
            "PATH": f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        }
    )
    return env


def test_awx_configure_passes_syntax_check():
    result = subprocess.run(
        [str(BIN / "ansible-playbook"), "--syntax-check", str(CONFIGURE)],
        cwd=REPO,
        env=_ansible_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_awx_configure_loads_every_survey_spec():
    # The surveys tag loads the JSON files the way the job template tasks take them, without a controller.
    result = subprocess.run(
        [str(BIN / "ansible-playbook"), str(CONFIGURE), "--tags", "surveys"],
        cwd=REPO,
        env=_ansible_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for path in SURVEY_FILES:
        assert f"ok: [localhost] => (item=awx/surveys/{path.name})" in result.stdout


# --- the project layout docs/awx.md gives -------------------------------------------------------------------------

DOC = REPO / "docs" / "awx.md"


def documented_project_files():
    """The files docs/awx.md shows, each after a `<!-- project file: PATH -->` line, as {path: text}."""
    found = re.findall(r"<!-- project file: (\S+) -->\n```yaml\n(.*?)```", DOC.read_text(), flags=re.S)
    return dict(found)


def test_the_documented_requirements_name_the_collection_and_its_dependencies():
    requirements = yaml.safe_load(documented_project_files()["collections/requirements.yml"])
    names = {item["name"] for item in requirements["collections"]}
    galaxy = yaml.safe_load((REPO / "galaxy.yml").read_text())
    assert names == {f"{galaxy['namespace']}.{galaxy['name']}", *galaxy["dependencies"]}


def test_the_documented_project_runs_the_collection_playbooks(tmp_path):
    # The project's playbooks, its inventory (the example estate) and the model as a group variable beside it.
    files = documented_project_files()
    playbooks = [path for path in files if path.endswith(".yml") and "/" not in path]
    assert sorted(playbooks) == sorted({template["playbook"] for template in TEMPLATES})
    for path, text in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    inventory = tmp_path / "inventory" / "estate.yml"
    inventory.parent.mkdir()
    inventory.write_text((PLAYBOOKS / "inventory" / "estate.example.yml").read_text())
    (tmp_path / "inventory" / "group_vars" / "estate").mkdir(parents=True)
    (tmp_path / "inventory" / "group_vars" / "estate" / "patch_model.yml").write_text(
        "---\npatch_model:\n  name: webserver-prd\n"
    )
    env = _ansible_env()
    env.pop("ANSIBLE_CONFIG")  # run as AWX does, from the project, not the checkout
    for playbook in playbooks:
        result = subprocess.run(
            [str(BIN / "ansible-playbook"), "--syntax-check", "-i", str(inventory), playbook],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
    result = subprocess.run(
        [str(BIN / "ansible-inventory"), "-i", str(inventory), "--host", "staging-eu-west-1"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    host = json.loads(result.stdout)
    assert host["patch_model"] == {"name": "webserver-prd"}
    assert host["aws_region"] == "eu-west-1"


# --- the awx.awx tasks pass only options the modules have -----------------------------------------------------------


def awx_module_options(module):
    """The module's documented options, from the awx.awx collection the ansible package ships."""
    spec = importlib.util.find_spec(f"ansible_collections.awx.awx.plugins.modules.{module}")
    doc = read_docstring(spec.origin)["doc"]
    options = dict(doc["options"])
    fragments = doc.get("extends_documentation_fragment", [])
    for fragment in [fragments] if isinstance(fragments, str) else fragments:  # awx.awx.auth: controller_host, ...
        name, _, variant = fragment.removeprefix("awx.awx.").partition(".")
        holder = importlib.import_module(f"ansible_collections.awx.awx.plugins.doc_fragments.{name}")
        options.update(
            yaml.safe_load(getattr(holder.ModuleDocFragment, (variant or "documentation").upper()))["options"]
        )
    return options


def _unknown(args, options, where):
    known = set(options) | {alias for option in options.values() for alias in option.get("aliases", [])}
    return [f"{where}: {key}" for key in args if key not in known]


def test_the_awx_tasks_pass_only_options_of_their_modules():
    play = configure_play()
    unknown = _unknown(
        play["module_defaults"]["group/awx.awx.controller"], awx_module_options("job_template"), "defaults"
    )
    for task in play["tasks"]:
        module = next((key for key in task if key.startswith("awx.awx.")), None)
        if module is None:
            continue
        options = awx_module_options(module.removeprefix("awx.awx."))
        unknown += _unknown(task[module], options, module)
        for node in task[module].get("workflow_nodes", []):
            node_options = options["workflow_nodes"]["suboptions"]
            unknown += _unknown(node, node_options, f"node {node['identifier']}")
            template_options = node_options["unified_job_template"]["suboptions"]
            unknown += _unknown(node["unified_job_template"], template_options, f"node {node['identifier']} template")
            related = node.get("related", {})
            unknown += _unknown(related, node_options["related"]["suboptions"], f"node {node['identifier']} related")
    assert unknown == []
