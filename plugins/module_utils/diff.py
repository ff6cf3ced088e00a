# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Before/after for --diff: the resource as the module returns it, values AWS marks sensitive masked."""

from __future__ import annotations

from ansible_collections.patchmodel.ssm.plugins.module_utils.sensitive import masked_diff


def resource_diff(before, after, sensitive=()):
    """{'before': ..., 'after': ...} of a resource; {} on either side when it does not exist.

    `sensitive` are the paths of values to mask (sensitive.result_paths); one that changes shows as changed.
    """
    before, after = masked_diff(before or {}, after or {}, sensitive)
    return {"before": before, "after": after}
