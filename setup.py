"""The build compiles the message catalogs: `pip install .` ships `casefile.mo`, not the `.po` it is made from.

pyproject.toml holds everything else.  A source checkout (and an editable install) reads the `.po` itself
(casefile.i18n), so nothing has to be compiled to work on casefile; an installed copy reads the `.mo`
with the standard library, which is what `pybabel compile` would write.
"""

from __future__ import annotations

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

LOCALE = Path(__file__).resolve().parent / "src" / "casefile" / "locale"


def compile_catalogs(target: Path) -> list[Path]:
    """Each `locale/<lang>/LC_MESSAGES/casefile.po` compiled to a `.mo` under `target`; fuzzy entries left out."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
        mo = target / po.relative_to(LOCALE).with_suffix(".mo")
        mo.parent.mkdir(parents=True, exist_ok=True)
        with po.open("rb") as source:
            catalog = read_po(source, locale=po.parts[-3])
        with mo.open("wb") as out:
            write_mo(out, catalog, use_fuzzy=False)
        written.append(mo)
    return written


class BuildWithCatalogs(build_py):
    def run(self) -> None:
        super().run()
        compile_catalogs(Path(self.build_lib) / "casefile" / "locale")


setup(cmdclass={"build_py": BuildWithCatalogs})
