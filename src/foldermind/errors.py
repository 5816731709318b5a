"""One exception family for everything a user can see: each message says what to do next."""


class FoldermindError(Exception):
    """Base of every error foldermind reports to a person rather than as a traceback."""


class ConfigError(FoldermindError):
    """config.toml or a FOLDERMIND_* variable holds something foldermind cannot use."""


class HomeError(FoldermindError):
    """The home folder is missing or not usable."""


class ExtractionError(FoldermindError):
    """One file could not be read into text; the file is skipped and listed by `status`."""


# Why a file of no text (or only blanks) is skipped: listed apart from the files that could not be read, as
# there is nothing to fix (a placeholder a user made)
EMPTY_FILE = "the file is empty"


class IndexStateError(FoldermindError):
    """The index on disk cannot be used as it is."""


class ModelError(FoldermindError):
    """A model could not be found or loaded."""
