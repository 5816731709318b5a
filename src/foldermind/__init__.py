"""foldermind: drop files into one folder; search them, chat with them, and get a model tuned on them."""

__version__ = "0.1.0"
