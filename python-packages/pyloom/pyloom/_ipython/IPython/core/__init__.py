"""``IPython.core`` for Pyloom: only the display modules older code imports from."""
