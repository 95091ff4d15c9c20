"""`pip install .` ships the artwork and the `blooio-desktop` GUI launcher; the PNGs match the SVG."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from blooio_desktop import __version__

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("pyproject.toml", "setup.py", "README.md", "blooio_desktop", "resources")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What a wheel would hold: setuptools' build_py and egg_info, run on a copy of the checkout
    (no network, no build/ left in the tree)."""
    root = tmp_path_factory.mktemp("build")
    src = root / "src"
    src.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(ROOT / name, src / name)
    subprocess.run(
        [
            sys.executable,
            "setup.py",
            "-q",
            "egg_info",
            "--egg-base",
            str(root),
            "build_py",
            "--build-lib",
            str(root / "lib"),
        ],
        cwd=src,
        check=True,
        capture_output=True,
    )
    return root


def test_the_artwork_installs_as_blooio_desktop_resources(built: Path) -> None:
    shipped = built / "lib" / "blooio_desktop" / "resources"
    assert (shipped / "__init__.py").is_file()
    assert (shipped / "app" / "icon.svg").is_file()
    assert sorted(p.name for p in (shipped / "app").glob("*.png")) == sorted(
        f"icon-{size}.png" for size in (16, 32, 48, 64, 128, 256, 512)
    )
    assert {p.name for p in (shipped / "icons").glob("*.svg")} == {
        p.name for p in (ROOT / "resources" / "icons").glob("*.svg")
    }


def test_every_subpackage_ships(built: Path) -> None:
    expected = {p.parent.relative_to(ROOT) for p in (ROOT / "blooio_desktop").rglob("*.py")}
    shipped = {
        p.parent.relative_to(built / "lib")
        for p in (built / "lib" / "blooio_desktop").rglob("*.py")
    }
    assert expected <= shipped


def test_the_gui_launcher_and_the_cli_launcher_are_declared(built: Path) -> None:
    entry_points = next(built.glob("*.egg-info")) / "entry_points.txt"
    text = entry_points.read_text()
    assert re.search(r"\[gui_scripts\]\s+blooio-desktop = blooio_desktop\.cli:main", text)
    assert "blooio-desktop-cli = blooio_desktop.cli:main" in text


def test_version_prints_without_a_display() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "blooio_desktop", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"blooio-desktop {__version__}"


def test_the_committed_pngs_match_the_svg() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "resources" / "generate_icons.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def test_a_stale_png_is_detected(tmp_path: Path) -> None:
    for png in (ROOT / "resources" / "app").glob("icon-*.png"):
        shutil.copy2(png, tmp_path / png.name)
    shutil.copy2(tmp_path / "icon-16.png", tmp_path / "icon-32.png")  # wrong size and wrong picture
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "resources" / "generate_icons.py"),
            "--check",
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "[32]" in result.stderr


@pytest.mark.parametrize(
    "svg", sorted((ROOT / "resources" / "icons").glob("*.svg")), ids=lambda p: p.stem
)
def test_ui_icons_are_monochrome_so_they_can_follow_the_theme(svg: Path) -> None:
    text = svg.read_text()
    assert "currentColor" in text
    assert not re.search(r"#[0-9a-fA-F]{3,8}\b|rgb\(", text), (
        "a fixed colour would not follow light/dark"
    )
