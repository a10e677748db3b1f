"""Routers. Each domain owns its module (pprl, text, tabular, dp); create_app includes them all."""
