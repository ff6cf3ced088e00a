"""playbooks/compliance_report.yml end to end: the HTML page, rendered by headless Chromium, shows the numbers the
endpoint holds (read here with boto3), fetches nothing, and the JSON file carries the same data."""

import html.parser
import json
import os
import struct
import subprocess

from tests.emulator.fleet_endpoint import all_pages
from tests.helpers.ansible_run import REPO, run_playbook
from tests.integration.compliance_support import build_fleet, patches_in, seed_nodes, truth, unique

PLAYBOOK = REPO / "playbooks" / "compliance_report.yml"
CHROMIUM = "/usr/bin/chromium"
WINDOW = (1400, 2400)
STATUSES = ["failed", "non_compliant", "pending_reboot", "unreported", "compliant"]


class Element:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.children, self.parts = tag, dict(attrs), parent, [], []

    @property
    def text(self):
        return "".join(part if isinstance(part, str) else part.text for part in self.parts).strip()

    def find_all(self, test):
        for child in self.children:
            if test(child):
                yield child
            yield from child.find_all(test)

    def cell(self, field):
        return next(self.find_all(lambda e: e.attrs.get("data-field") == field))


class DomTree(html.parser.HTMLParser):
    """The DOM Chromium dumps, as a small tree of Elements."""

    VOID = {"meta", "link", "br", "img", "input", "hr", "source", "wbr", "area", "base", "col", "embed", "track"}

    def __init__(self, text):
        super().__init__()
        self.root = self.current = Element("#root", {}, None)
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        element = Element(tag, attrs, self.current)
        self.current.children.append(element)
        self.current.parts.append(element)
        if tag not in self.VOID:
            self.current = element

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        self.current.parts.append(data)

    def all(self, test):
        return list(self.root.find_all(test))

    def by_id(self, element_id):
        return next(self.root.find_all(lambda e: e.attrs.get("id") == element_id))


def chromium(*arguments, workdir):
    assert os.access(CHROMIUM, os.X_OK), f"{CHROMIUM} is missing: run tools/ensure_chromium.sh (make test does)"
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={workdir / 'chromium-profile'}",
        f"--window-size={WINDOW[0]},{WINDOW[1]}",
        *arguments,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True).stdout


def png_size(path):
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def external_references(dom):
    """Attributes by which the page would fetch something from elsewhere."""
    found = []
    for element in dom.all(lambda e: True):
        for name in ("src", "href", "srcset", "data", "action", "poster"):
            value = element.attrs.get(name) or ""
            if value and not value.startswith("#"):
                found.append(f"<{element.tag} {name}={value}>")
        if element.tag in ("link", "iframe", "object", "embed", "img"):
            found.append(f"<{element.tag}>")
    return found


def test_report_shows_the_endpoints_numbers_in_a_real_browser(local_aws, tmp_path):
    fleet = build_fleet(local_aws)
    ssm = local_aws.client("ssm")
    report_dir = tmp_path / "report"
    mark = local_aws.mark()
    code, _results, stats, output = run_playbook(
        local_aws,
        PLAYBOOK,
        {
            "compliance_report_patch_groups": fleet.groups,
            "compliance_report_windows": [fleet.window_name],
            "compliance_report_dir": str(report_dir),
            "compliance_report_drilldown": 4,
        },
    )
    assert code == 0, output[-3000:]
    assert local_aws.mutating(mark) == []
    page = report_dir / "compliance_report.html"

    screenshot = tmp_path / "compliance_report.png"
    chromium(f"--screenshot={screenshot}", page.as_uri(), workdir=tmp_path)
    assert png_size(screenshot) == WINDOW
    assert screenshot.stat().st_size > 30_000  # a rendered page, not a blank one
    dom = DomTree(chromium("--dump-dom", page.as_uri(), workdir=tmp_path))
    body = next(iter(dom.all(lambda e: e.tag == "body")))
    assert body.attrs.get("data-rendered") == "true"  # the page's script ran
    assert external_references(dom) == []
    style = dom.all(lambda e: e.tag == "style")[0].text
    assert "url(" not in style and "@import" not in style  # CSS fetches nothing either

    counts, nodes = truth(ssm, fleet.groups, {fleet.scanned: fleet.unreported_ids})
    # Summary tiles.
    for status in STATUSES:
        assert int(dom.by_id(f"summary-{status}").text) == sum(group[status] for group in counts.values()), status
    assert int(dom.by_id("summary-instances").text) == len(nodes)
    # One row per patch group, its numbers as AWS counts them.
    rows = {row.attrs["data-patch-group"]: row for row in dom.all(lambda e: e.attrs.get("class") == "group-row")}
    assert sorted(rows) == sorted(fleet.groups)
    for group, expected in counts.items():
        shown = {field: int(rows[group].cell(field).text) for field in expected}
        assert shown == expected, group
        aws = ssm.describe_patch_group_state(PatchGroup=group)
        assert int(rows[group].cell("failed").text) == aws["InstancesWithFailedPatches"]
        assert int(rows[group].cell("pending_reboot").text) == aws["InstancesWithInstalledPendingRebootPatches"]
        chart = next(rows[group].find_all(lambda e: e.tag == "svg"))
        drawn = {e.attrs["class"][4:] for e in chart.find_all(lambda e: e.tag == "rect")}
        assert drawn == {status for status in STATUSES if expected[status]}
    # One row per node, worst first, with its counts.
    node_rows = dom.all(lambda e: (e.attrs.get("class") or "").startswith("instance-row"))
    shown_nodes = {
        row.attrs["data-instance-id"]: (
            row.cell("patch_group").text,
            row.attrs["data-status"],
            int(row.cell("missing_count").text),
            int(row.cell("failed_count").text),
            int(row.cell("installed_pending_reboot_count").text),
        )
        for row in node_rows
    }
    assert shown_nodes == nodes
    ranks = [STATUSES.index(row.attrs["data-status"]) for row in node_rows]
    assert ranks == sorted(ranks)
    # Drill-down: the missing and failed patches of the 4 worst nodes, as DescribeInstancePatches lists them.
    details = dom.all(lambda e: e.tag == "details")
    assert [d.attrs["data-instance-id"] for d in details] == [row.attrs["data-instance-id"] for row in node_rows[:4]]
    for detail in details:
        listed = {
            (row.attrs["data-kb-id"], row.attrs["data-state"])
            for row in detail.find_all(lambda e: e.attrs.get("class") == "patch-row")
        }
        assert listed == patches_in(ssm, detail.attrs["data-instance-id"])
        assert listed
        assert "open" not in detail.attrs
    # A node's link (#patches-<id>) opens its drill-down.
    worst = details[0].attrs["data-instance-id"]
    linked = DomTree(chromium("--dump-dom", f"{page.as_uri()}#patches-{worst}", workdir=tmp_path))
    assert "open" in linked.by_id(f"patches-{worst}").attrs
    # Window history: the window's executions as AWS lists them.
    executions = all_pages(ssm.describe_maintenance_window_executions, "WindowExecutions", WindowId=fleet.window_id)
    history = dom.all(lambda e: e.attrs.get("class") == "execution-row")
    assert [(row.attrs["data-execution-id"], row.attrs["data-status"]) for row in history] == [
        (execution["WindowExecutionId"], execution["Status"]) for execution in executions
    ]
    assert history[0].attrs["data-execution-id"] == fleet.execution_id
    assert int(history[0].cell("invocations").text) == counts[fleet.no_reboot]["instances"]

    # The JSON file holds the same data.
    data = json.loads((report_dir / "compliance_report.json").read_text())
    assert {key: data["summary"][key] for key in STATUSES} == {
        status: int(dom.by_id(f"summary-{status}").text) for status in STATUSES
    }
    assert [node["instance_id"] for node in data["instances"]] == [row.attrs["data-instance-id"] for row in node_rows]
    assert [window["name"] for window in data["windows"]] == [fleet.window_name]


def test_report_of_a_model_covers_its_patch_groups_and_windows(local_aws, tmp_path):
    baseline_group, fleet_group, window = unique("Windows Server 2016 Base"), unique("Web"), unique("Patch-Win")
    seed_nodes(local_aws, 3, baseline_group)
    seed_nodes(local_aws, 2, fleet_group, scan=False)
    ssm = local_aws.client("ssm")
    window_id = ssm.create_maintenance_window(
        Name=window, Schedule="rate(5 minutes)", Duration=1, Cutoff=0, AllowUnassociatedTargets=False
    )["WindowId"]
    model = {
        "name": "windows-2016-base",
        "baselines": [{"name": "WindowsServer2016Baseline", "patch_groups": [baseline_group]}],
        "maintenance_windows": [{"name": window}],
        "fleet": [{"patch_group": fleet_group, "filters": {"tag:Name": "Patch Manager Demo"}}],
    }
    code, _results, _stats, output = run_playbook(
        local_aws, PLAYBOOK, {"patch_model": model, "compliance_report_dir": str(tmp_path)}
    )
    assert code == 0, output[-3000:]
    data = json.loads((tmp_path / "compliance_report.json").read_text())
    assert data["title"] == "Patch compliance report: windows-2016-base"
    groups = {group["patch_group"]: group for group in data["patch_groups"]}
    assert sorted(groups) == sorted([baseline_group, fleet_group])
    assert groups[baseline_group]["instances"] == 3 and groups[baseline_group]["unreported"] == 0
    assert groups[fleet_group]["unreported"] == 2
    assert [(w["name"], w["window_id"], w["executions"]) for w in data["windows"]] == [(window, window_id, [])]
    page = (tmp_path / "compliance_report.html").read_text()
    assert "No execution yet." in page
