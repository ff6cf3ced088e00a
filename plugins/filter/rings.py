# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters over the model's patch rings (docs/rings.md), for playbooks/common/model_prepare.yml and
playbooks/promote_ring.yml; the logic is plugins/module_utils/rings.py and ring_promotion.py."""

from __future__ import annotations

from ansible_collections.patchmodel.ssm.plugins.module_utils import ring_promotion, rings


class FilterModule:
    """ring_problems, model_baselines, model_windows, ring_state; ring_previous and ring_promotion for
    promote_ring.yml. Each filter is documented beside this file (plugins/filter/<filter>.yml)."""

    def filters(self):
        return {
            "ring_problems": rings.ring_problems,
            "model_baselines": rings.model_baselines,
            "model_windows": rings.model_windows,
            "ring_state": rings.ring_state,
            "ring_previous": ring_promotion.previous_ring_summary,
            "ring_promotion": ring_promotion.promotion_plan,
        }
