"""Mode COPIL: the sequence of screens projected in a steering committee — full screen, no sidebar, large
figures, one message per screen, next / previous with buttons, arrow keys or a presentation clicker
(Page Down / Page Up), the period and territories of the meeting stamped on every screen.
"""

from __future__ import annotations

import streamlit as st

import data_access
from exports import settings
from figures import screens
from figures.formats import fmt_date
from ui import components, filters, router

router.through_entry_point()

components.require_data()
scope = filters.current()

st.html("""
<style>
  section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
  [data-testid="stSidebarNav"] {display: none !important;}
  .block-container {padding-top: 1.2rem !important; max-width: 100% !important;}
  [data-testid="stMetricValue"] {font-size: 4.2rem !important;}
  [data-testid="stMetricLabel"] p {font-size: 1.5rem !important;}
  [data-testid="stMetricDelta"] {font-size: 1.2rem !important;}
  .copil-title {font-size: 2.8rem; font-weight: 700; color: #1f4e8c; line-height: 1.15; margin: 0.2rem 0 0.4rem;}
  .copil-message {font-size: 1.8rem; line-height: 1.35; margin-bottom: 1rem;}
  .copil-stamp {font-size: 1rem; color: #4a4f55;}
  .st-key-suivant_page, .st-key-precedent_page {display: none;}
</style>""")

labels = screens.available()
saved = settings.saved_sequence(data_access.warehouse_path())
in_url = [s for s in st.query_params.get("ecrans", "").split(",") if s in labels]
sequence = tuple(in_url) or saved

if st.session_state.get("_copil_sequence") != sequence:
    st.session_state["_copil_sequence"] = sequence
    st.session_state["copil_ecran"] = 0
position = min(st.session_state.get("copil_ecran", 0), len(sequence) - 1)


def move(step: int) -> None:
    st.session_state["copil_ecran"] = max(0, min(len(sequence) - 1, position + step))


bar = st.columns([1.2, 1.2, 6, 1.5, 1.3], vertical_alignment="center")
bar[0].button("◀ Précédent", on_click=move, args=(-1,), shortcut="Left", disabled=position == 0, width="stretch")
bar[1].button("Suivant ▶", on_click=move, args=(1,), shortcut="Right", disabled=position == len(sequence) - 1,
              width="stretch", type="primary")
# Presentation clickers send Page Down / Page Up: invisible twins of the two buttons.
st.button("suivant", key="suivant_page", on_click=move, args=(1,), shortcut="PageDown")
st.button("précédent", key="precedent_page", on_click=move, args=(-1,), shortcut="PageUp")
bar[2].markdown(f"<div class='copil-stamp'>Écran {position + 1} / {len(sequence)} — {scope.legende}</div>",
                unsafe_allow_html=True)
with bar[3].popover("Séquence", icon=":material/tune:", width="stretch"):
    chosen = st.multiselect("Écrans, dans l'ordre de présentation", list(labels), default=list(sequence),
                            format_func=labels.get, key="copil_choix")
    if st.button("Enregistrer cette séquence", type="primary", disabled=not chosen):
        settings.save_sequence(data_access.warehouse_path(), chosen)
        st.session_state.pop("_copil_sequence", None)
        st.query_params.pop("ecrans", None)
        st.rerun()
    st.caption("La séquence enregistrée sert aussi au support PowerPoint.")
bar[4].page_link("pages/synthese.py", label="Quitter", icon=":material/close:")

screen = screens.build(sequence[position], data_access, scope)
st.markdown(f"<div class='copil-title'>{screen.title}</div><div class='copil-message'>{screen.message}</div>",
            unsafe_allow_html=True)

figures = screen.figures[: 3 if screen.chart is not None else 6]
if screen.chart is not None and figures:
    left, right = st.columns([3, 1.1], gap="large")
    with left:
        components.chart(screen.chart.update_layout(height=600), key=f"copil_{screen.id}", export=False)
    with right:
        for figure in figures:
            components.key_figure(st, figure)
elif screen.chart is not None:
    components.chart(screen.chart.update_layout(height=640), key=f"copil_{screen.id}", export=False)
else:
    for start in range(0, len(figures), 3):
        for column, figure in zip(st.columns(3, gap="large"), figures[start:start + 3], strict=False):
            with column:
                components.key_figure(st, figure)
                if figure.detail:
                    st.caption(figure.detail)
if screen.table is not None and not screen.table.is_empty() and screen.chart is None:
    components.table(screen.table, title=screen.title, subtitle=scope.legende)

st.markdown(f"<div class='copil-stamp'>{scope.legende} — données au {fmt_date(scope.fin)} — "
            f"{components.confidentiality_caption()}</div>", unsafe_allow_html=True)
