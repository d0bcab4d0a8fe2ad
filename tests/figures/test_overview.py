"""Formatting of the Synthèse tables (figures.overview)."""

import polars as pl

from figures import overview


def targets(rows: list[tuple]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema={
        "indicateur": pl.Utf8, "plateforme": pl.Utf8, "valeur_cible": pl.Float64, "titre": pl.Utf8,
        "colonne": pl.Utf8, "valeur": pl.Float64, "valeur_masquee": pl.Boolean, "statut": pl.Utf8,
    }, orient="row")


def test_targets_read_in_the_unit_of_their_indicator():
    table = overview.targets_table(targets([
        ("bilans_a_jour", "ensemble", 0.9, "Bilans à jour", "taux_bilans_a_jour", 0.608, False, "en retard"),
        ("maintien_12m", "Artois", 0.855, "Maintien à 12 mois", "taux_maintien_12m", 0.9, False, "atteint"),
        ("delai_decision", "ensemble", 30.0, "Délai de décision", "nb_jours_decision_median", 12.5, False, "atteint"),
        ("saisines_pour_10000_habitants", "ensemble", 3.0, "Saisines pour 10 000 hab.",
         "nb_saisines_pour_10000_hab", 3.04, False, "atteint"),
        ("cout_par_menage", "ensemble", 4500.0, "Coût par ménage", "montant_par_menage", 4321.5, False, "atteint"),
        ("saisines", "Lens-Hénin", 60.0, "Saisines", "nb_saisines", 3.0, True, "en retard"),
        ("inconnu", "ensemble", 12.0, "inconnu", None, None, False, None),
    ]))
    assert table.rows() == [
        ("Bilans à jour", "Ensemble", "90\u00a0%", "60,8\u00a0%", "en retard"),
        ("Maintien à 12 mois", "Artois", "85,5\u00a0%", "90\u00a0%", "atteint"),
        ("Délai de décision", "Ensemble", "30\u00a0jours", "12,5\u00a0jours", "atteint"),
        ("Saisines pour 10 000 hab.", "Ensemble", "3,0", "3,0", "atteint"),
        ("Coût par ménage", "Ensemble", "4\u202f500\u00a0€", "4\u202f322\u00a0€", "atteint"),
        ("Saisines", "Lens-Hénin", "60", "< 5", "en retard"),
        ("inconnu", "Ensemble", "12", "—", "—"),
    ]
