"""The compiled parts: one C extension per stage that needs one, ``pipeline/<stage>/_kernel.c``
(each is held bit for bit to the numpy/Python definition of its results by a unit test).

Everything else is declared in pyproject.toml. A C compiler and the Python headers are
needed at install time (gcc is on every supported machine; the Dockerfile installs it).
"""

from pathlib import Path

from setuptools import Extension, setup

KERNELS = sorted(Path("pipeline").glob("*/_kernel.c"))

setup(ext_modules=[Extension(f"pipeline.{src.parent.name}._kernel", [str(src)],
                             depends=[str(h) for h in sorted(src.parent.glob("_*.h"))],  # included parts
                             extra_compile_args=["-O2", "-Wall", "-Werror=implicit-function-declaration"])
                   for src in KERNELS])
