"""The users' indicator catalogue (docs/indicateurs.md), generated from the SQL headers."""

from __future__ import annotations

from pathlib import Path

from queries import PUBLIC_TOUS, PUBLICS_FILTRE, catalogue

DOC_PATH = Path(__file__).resolve().parents[1] / "docs" / "indicateurs.md"
SENS_LABELS = {"hausse_favorable": "une hausse est favorable", "baisse_favorable": "une baisse est favorable",
               "neutre": "ni hausse ni baisse n'est en soi favorable"}


def catalogue_markdown() -> str:
    """The catalogue as French Markdown, one section per indicator."""
    lines = [
        "# Catalogue des indicateurs de Copilote",
        "",
        "Ce fichier est généré à partir des en-têtes des requêtes (`queries/sql/*.sql`) par "
        "`python -m queries docs` : ne pas le modifier à la main.",
        "",
        "Paramètres communs : `debut` et `fin` (bornes incluses de la période), `plateformes` (périmètre visible), "
        "`maille` (ensemble, departement, plateforme, epci, commune) et `pas` (periode, mois, trimestre, annee). "
        "Les indicateurs qui comptent des ménages, des saisines, des mesures ou des entrées dans un logement "
        "prennent aussi `public` : " + ", ".join(f"`{k}` ({v.lower() if k != PUBLIC_TOUS else 'défaut'})"
                                                   for k, v in PUBLICS_FILTRE.items()) + ". "
        "Les effectifs de 1 à 4 sont masqués à l'affichage et dans les exports, ainsi que les cases qui "
        "permettraient de les retrouver et les taux calculés sur un effectif masqué ; les nombres de réunions, de "
        "logements captés et les montants ne décrivent pas des ménages et ne sont pas masqués.",
        "",
        "| indicateur | titre | unité |",
        "|---|---|---|",
    ]
    indicators = list(catalogue().values())
    lines += [f"| [`{i.id}`](#{i.id}) | {i.titre} | {i.unite} |" for i in indicators]
    for i in indicators:
        params = ", ".join(f"`{k}`" + (f" (défaut {v})" if v is not None else "") for k, v in i.parametres.items())
        lines += [
            "", f"## {i.id}", "", f"**{i.titre}**", "", i.definition_lisible, "",
            f"- Unité : {i.unite}",
            f"- Grain : {i.grain}",
            f"- Paramètres : {params}",
            f"- Sources : {i.sources}",
            f"- Lecture : {SENS_LABELS[i.sens]}",
            "- Secret statistique : " + ("effectifs de ménages masqués s'ils sont petits" if i.secret and i.comptes
                                         else "non concerné (activité, logements ou montants)"),
        ]
    return "\n".join(lines) + "\n"


def write_catalogue_doc(path: Path = DOC_PATH) -> Path:
    """Write the catalogue file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(catalogue_markdown(), encoding="utf-8")
    return path
