"""The fleet-operations area of the SSM backend: managed nodes, Run Command, patch compliance and maintenance
window executions. Importing this module registers the area's operations.

- fleet_nodes.py: managed nodes (EC2 instances from moto, seeded hybrid mi- nodes), patch groups, targets
- fleet_information.py: DescribeInstanceInformation
- fleet_catalog.py: the simulated patch catalog per operating system and each node's inventory
- fleet_approval.py: baseline approval rules applied to the catalog; patch states and counts
- fleet_patching.py: Scan/Install, snapshots, GetDeployablePatchSnapshotForInstance
- fleet_compliance.py: DescribeInstancePatchStates(+ForPatchGroup), DescribeInstancePatches, DescribePatchGroupState
- fleet_run.py, fleet_send.py, fleet_commands.py: documents run on nodes; SendCommand and the command reads
- fleet_window_runs.py, fleet_executions.py: running a window now; the MaintenanceWindowExecution* reads
- fleet_hooks.py: the test-only HTTP paths that seed nodes and run windows
"""

from . import fleet_commands, fleet_compliance, fleet_executions, fleet_information, fleet_patching  # noqa: F401
