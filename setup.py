"""Package discovery for setuptools; everything else is in pyproject.toml.

A `[tool.setuptools.packages.find]` directive only finds packages under their parent's folder, but
the artwork lives in the top-level `resources/` folder and must install as `blooio_desktop.resources`
(pyproject maps that package to the folder), for wheels and editable installs alike.
"""

from setuptools import find_namespace_packages, setup

# Namespace discovery, as pyproject's own find directive does: a folder without __init__.py still ships.
PACKAGES = [
    *find_namespace_packages(include=["blooio_desktop", "blooio_desktop.*"]),
    "blooio_desktop.resources",
    *(f"blooio_desktop.resources.{name}" for name in find_namespace_packages(where="resources")),
]

setup(packages=PACKAGES)
