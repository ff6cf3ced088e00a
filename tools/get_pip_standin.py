"""Offline stand-in for ansible-test's downloaded ``get-pip.py``.

ansible-test bootstraps pip into each sanity venv by running a get-pip script fetched from a host this
machine cannot reach; it skips the download when ``~/.ansible/test/cache/get_pip_<ver>.py`` exists.
tools/sanity.sh copies this file there. Like get-pip, it runs pip from a wheel (here the one ``ensurepip``
bundles) to install the pinned pip from PyPI into the interpreter running it.
"""

import glob
import os
import sys

# get-pip.py accepts these; pip itself does not.
GET_PIP_ONLY_OPTIONS = {"--no-setuptools", "--no-wheel"}


def bundled_pip_wheel() -> str:
    import ensurepip

    wheels = sorted(glob.glob(os.path.join(os.path.dirname(ensurepip.__file__), "_bundled", "pip-*.whl")))
    if not wheels:
        sys.exit("get_pip stand-in: no pip wheel bundled with ensurepip for " + sys.executable)
    return wheels[-1]


def main() -> int:
    sys.path.insert(0, bundled_pip_wheel())
    from pip._internal.cli.main import main as pip_main

    pip_args = [arg for arg in sys.argv[1:] if arg not in GET_PIP_ONLY_OPTIONS]
    return pip_main(["install", "--upgrade", "--force-reinstall", *pip_args])


if __name__ == "__main__":
    sys.exit(main())
