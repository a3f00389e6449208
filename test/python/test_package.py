import importlib.util
import json
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("package", ROOT / "scripts/package.py")
assert spec and spec.loader
package = importlib.util.module_from_spec(spec)
spec.loader.exec_module(package)


def fake_web(tmp: Path) -> Path:
    web = tmp / "web"
    (web / "assets").mkdir(parents=True)
    (web / "index.html").write_text("<html></html>")
    (web / "assets" / "index.js").write_text("console.log(1)")
    (web / "assets" / "index.js.map").write_text("{}")
    return web


def test_same_sources_give_the_same_zip(tmp_path: Path) -> None:
    web = fake_web(tmp_path)
    package.build(tmp_path / "a.ankiaddon", web)
    package.build(tmp_path / "b.ankiaddon", web)
    assert (tmp_path / "a.ankiaddon").read_bytes() == (tmp_path / "b.ankiaddon").read_bytes()


def test_zip_holds_the_addon_flat_and_nothing_else(tmp_path: Path) -> None:
    package.build(tmp_path / "x.ankiaddon", fake_web(tmp_path))
    with zipfile.ZipFile(tmp_path / "x.ankiaddon") as z:
        names = z.namelist()
        manifest = json.loads(z.read("manifest.json"))
    for required in ("__init__.py", "manifest.json", "config.json", "config.md", "protocol.json", "web/index.html"):
        assert required in names
    assert not [n for n in names if n.endswith((".map", ".pyc")) or "node_modules" in n or "test" in n.split("/")[0]]
    assert not [n for n in names if n.startswith(("user_files", "__pycache__"))]
    for key in ("package", "name", "mod", "min_point_version", "max_point_version", "human_version", "homepage"):
        assert key in manifest
    assert manifest["package"] == "flipnem_sync"


def test_manifest_opens_the_supported_range(tmp_path: Path) -> None:
    """Anki 24.06 is the oldest supported; the newest is the one the suite ran ("tested up to")."""
    package.build(tmp_path / "x.ankiaddon", fake_web(tmp_path))
    with zipfile.ZipFile(tmp_path / "x.ankiaddon") as z:
        manifest = json.loads(z.read("manifest.json"))
    assert manifest["min_point_version"] == 240600
    newest = next(line for line in (ROOT / "requirements.txt").read_text().splitlines() if line.startswith("aqt"))
    major, minor, patch = (int(p) for p in newest.split("==")[1].split("."))
    assert manifest["max_point_version"] == major * 10000 + minor * 100 + patch
