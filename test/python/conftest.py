import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# the add-on is imported as a package, as Anki does; importing it outside Anki starts nothing
sys.path.insert(0, str(ROOT))
