"""CONTRIBUTING.md's map says where every module of the package and every test folder is."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "wrapper" / "pyopenfaas"
GENERATED = {"_generated", "_generated_builder", "_sync"}  # made by tools, never edited: named as folders
MAP = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")


def hand_written_modules() -> list[str]:
    modules = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if relative.parts[0] in GENERATED or relative.name in ("__init__.py", "__main__.py"):
            continue
        modules.append(relative.as_posix())
    return modules


@pytest.mark.parametrize("module", hand_written_modules())
def test_every_module_is_on_the_map(module: str) -> None:
    assert f"`{module}`" in MAP or f"/pyopenfaas/{module}`" in MAP, module


@pytest.mark.parametrize(
    "folder", sorted(path.name for path in (ROOT / "tests").iterdir() if path.is_dir() and path.name != "__pycache__")
)
def test_every_test_folder_is_on_the_map(folder: str) -> None:
    assert f"tests/{folder}" in MAP, folder


def test_the_generated_folders_are_named() -> None:
    for folder in GENERATED:
        assert f"{folder}/" in MAP, folder
