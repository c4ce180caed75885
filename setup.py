"""Which packages the wheel holds; everything else is in pyproject.toml.

The code is every package under generator/, found rather than listed, so a new subpackage cannot be
left out. The page templates stay at the top of the repository (templates/, where a project keeps its
own) and go into the wheel as the package data of `generator.templates`, by setuptools' package_dir
mapping: a trust that installs the wheel needs only its content/ folder. See generator/project.py.
"""

from setuptools import find_namespace_packages, find_packages, setup

CODE = find_packages(include=["generator", "generator.*"])
TEMPLATES = ["generator.templates"] + [f"generator.templates.{name}"
                                     for name in find_namespace_packages("templates")]

setup(
    packages=CODE + TEMPLATES,
    package_dir={"generator.templates": "templates"},
    package_data={name: ["*"] for name in TEMPLATES},
)
