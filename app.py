"""Streamlit entry: the shared sidebar (plan, jurisdiction, month, language) and st.navigation over pages/.

Every page file ends in ui.run_page, which hands a run that Streamlit's legacy pages/ directory started on its own back
to ui.run_app, so a deep link on a freshly started server opens the page with the shared sidebar and filters.
"""

import ui

ui.run_app()
