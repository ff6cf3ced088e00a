"""The SSM resources of one (account, region) that the Resource Groups Tagging API lists (tools/emulator/tagging.py).

Only the account's own resources: AWS-owned patch baselines and documents are not the account's, so GetResources
never lists them (they cannot be tagged either). A resource is listed while it has tags, or had some: it keeps its
entry in state.tags, emptied, when its last tag is removed (tags.apply_tags).
"""

from .common import arn
from .documents_filters import AMAZON
from .fleet_nodes import hybrid_nodes

# Resource Groups Tagging API resource type -> (SSM tag resource type, the ARN's resource path).
TYPES = {
    "ssm:document": ("Document", "document"),
    "ssm:maintenancewindow": ("MaintenanceWindow", "maintenancewindow"),
    "ssm:managed-instance": ("ManagedInstance", "managed-instance"),
    "ssm:patchbaseline": ("PatchBaseline", "patchbaseline"),
}
_OWNED = {
    "Document": lambda state, name: name in state.documents and state.documents[name]["Owner"] != AMAZON,
    "MaintenanceWindow": lambda state, window_id: window_id in state.windows,
    "ManagedInstance": lambda state, node_id: node_id in hybrid_nodes(state),
    "PatchBaseline": lambda state, baseline_id: (
        baseline_id in state.baselines and not state.baselines[baseline_id].get("_aws_owned")
    ),
}


def tagged_resources(state, resource_types):
    """[(resource type, ARN, {key: value})] of the account's tagged or once-tagged resources of those types, by ARN.

    Call it holding state.lock."""
    found = []
    for resource_type in resource_types:
        ssm_type, path = TYPES[resource_type]
        owned = _OWNED[ssm_type]
        for (kind, resource_id), tags in state.tags.items():
            # AWS: tagging:GetResources
            if kind == ssm_type and owned(state, resource_id):
                # AWS: guide:ssm-resource-arns
                found.append((resource_type, arn(state, f"{path}/{resource_id}"), dict(tags)))
    return sorted(found, key=lambda item: item[1])
