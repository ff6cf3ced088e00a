# Copyright: patchmodel.ssm contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Problems in a module's input as data: the option path and the message, collected once, de-duplicated by path.

A Problem is also the text users read ("cutoff: 2 must be less than duration (2)"), so a list of them is what
modules return under `problems` and what fail_json prints.
"""

from __future__ import annotations


class Problem(str):
    """One problem: `path` names the option ("approval_rules[0].patch_filters[1].key"), `message` says what is wrong."""

    def __new__(cls, path, message, separator=": "):
        problem = super().__new__(cls, f"{path}{separator}{message}" if path else message)
        problem.path, problem.message = path, message
        return problem

    @property
    def option(self):
        """The top-level option the problem is in (the path up to its first index)."""
        return self.path.split("[", 1)[0]


def problem(path, message):
    return Problem(path, message)


def required(path, why=""):
    """`path` is required (to do what `why` says)."""
    return Problem(path, f"is required{why}", " ")


def unreported(found, reported, key="path"):
    """The problems of `found` at a place no problem of `reported` names: two checks of one value say one thing.

    `key` is "path" (the same option path) or "option" (anywhere in the same top-level option).
    """
    taken = {getattr(item, key) for item in reported}
    return [item for item in found if getattr(item, key) not in taken]
