# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # Section modules: many resources of one kind in one module run.
    DOCUMENTATION = r"""
options:
  tags:
    description:
      - Tags put on every resource of the section that has tags, on top of each item's own C(tags); where both
        set a key, this value wins.
      - Left unset, each item's own C(tags) apply (an item without C(tags) keeps the tags it has).
    type: dict
    aliases: [resource_tags]
  purge_tags:
    description:
      - Remove tags that are neither in O(tags) nor in the item's own C(tags), for every item.
    type: bool
    default: true
  max_workers:
    description:
      - How many resources (units of resources that depend on each other) are read and written at the same time.
      - Each worker shares the module's API clients, whose connection pools hold 10 connections.
    type: int
    default: 8
notes:
  - Each item is checked against the argument spec of the singular module and with all of its checks before any
    call is made; every problem of every item is listed together.
  - Resources are read once for the whole section; each kind is listed once (with AWS's list calls) and tags are
    read with one Resource Groups Tagging API C(GetResources) call per resource type (permission
    C(tag:GetResources); without it, tags are read resource by resource, with a warning). Tags are confirmed with
    C(ListTagsForResource) before they are written, since the tagging API may answer a little behind.
  - Each result in RV(resources) holds C(kind) (the key under which it holds the resource), C(name), C(label),
    C(id), C(arn) (the resource's ARN, as its singular module returns it; left out while the resource has no id,
    as in check mode before it is created), C(changed), C(action) (V(created), V(updated), V(deleted), V(unchanged),
    V(failed) or V(skipped)), the resource as its singular module returns it (values AWS marks sensitive masked)
    and, in diff mode, C(diff). A resource that failed also has C(failed=true) and C(msg); one not applied because
    its window failed, C(skipped=true) and C(msg).
  - A resource that fails does not stop the others. The module then fails, listing every failure, and still
    returns the results of the others in RV(resources).
"""
