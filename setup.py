"""The compiled part of cpstrust (ADR 0033), built by Cython: the OT decode + detect
path. Everything else about the package is declared in pyproject.toml."""

from Cython.Build import cythonize
from setuptools import Extension, setup

_COMPILED = [
    # written for Cython: C integers and doubles where every packet or message passes
    "ot/decoder.pyx", "formats/pcap_loop.pyx", "formats/modbus_reads.pyx", "ot/rules.pyx",
    "ot/features.pyx", "ot/forest.pyx", "formats/bacnet.pyx", "ot/alerts.pyx",
    # compiled as written (Python, checked by mypy and ruff like the rest)
    "formats/pcap.py", "formats/modbus.py", "ot/tcp.py", "ot/detect.py",
]

setup(ext_modules=cythonize(
    [Extension("cpstrust." + source.rsplit(".", 1)[0].replace("/", "."),
               [f"src/cpstrust/{source}"]) for source in _COMPILED],
    # annotations are not C types: the compiled modules behave as their source does
    compiler_directives={"language_level": "3", "annotation_typing": False},
    include_path=["src"],  # where a .pyx finds the .pxd it cimports (modbus_reads.pxd)
))
