"""What a view is about: an inclusive period, the platforms in scope and the public.

Built by the shared filters in the app (`ui.filters`) or by the command line of the exports; read by the
figure builders, which stamp its period and territories on every chart and document.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import queries
from figures.theme import period_label


@dataclass(frozen=True)
class Scope:
    """The filters in force: an inclusive period, the platforms in scope and the public."""

    debut: date
    fin: date
    plateformes: tuple[str, ...]
    public: str = "tous"
    toutes_plateformes: bool = True

    def params(self, **extra) -> dict:
        """The parameters every indicator may take (callers drop those an indicator does not take)."""
        return {"debut": self.debut, "fin": self.fin, "plateformes": list(self.plateformes),
                "public": self.public, **extra}

    @property
    def periode(self) -> str:
        """`année 2025`, `du 01/01/2026 au 22/11/2026`."""
        return period_label(self.debut, self.fin)

    @property
    def pendant(self) -> str:
        """How a sentence says the period: `en 2025`, `du 01/01/2026 au 22/11/2026`."""
        label = self.periode
        return f"en {label.removeprefix('année ')}" if label.startswith("année ") else label

    @property
    def perimetre(self) -> str:
        """`toutes les plateformes` or the list of the chosen ones, and the public when filtered."""
        names = "toutes les plateformes" if self.toutes_plateformes else ", ".join(self.plateformes)
        public = "" if self.public == "tous" else f" — {queries.PUBLICS_FILTRE[self.public].lower()}"
        return names + public

    @property
    def legende(self) -> str:
        """The line stamped under every title: period and territories."""
        return f"{self.periode[:1].upper()}{self.periode[1:]} — {self.perimetre}"

    def precedente(self) -> Scope:
        """The same scope over the previous equivalent period."""
        debut, fin = queries.previous_period(self.debut, self.fin)
        return replace(self, debut=debut, fin=fin)
