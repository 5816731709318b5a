"""The home folder: one visible place holding the context folder, config.toml and data/."""

from __future__ import annotations

import os
from pathlib import Path

from foldermind.config import CONFIG_FILE, Config, default_config_text, load_config
from foldermind.errors import HomeError

HOME_ENV = "FOLDERMIND_HOME"

CONTEXT_README = """\
# Your context folder

Drop anything you want foldermind to know into this folder: notes, PDFs, Word files, web pages,
CSV or JSON exports, source code. While `foldermind run` runs, it is indexed within a second and searchable
from `foldermind search`, the chat page and the API; with no daemon running, `ask`, `chat` and `search`
read what changed first. Every night a small model is fine-tuned on it.

How to organise it:
- Subfolders are categories: `research/`, `recipes/`, `work/`. Search can filter by them
  (`foldermind search "query" --where category=research`).
- Markdown notes can carry front matter; every key becomes metadata you can filter on:

      ---
      title: Sourdough starter
      tags: [baking, fermentation]
      train: false   # search it, but never train the model on it
      ---

- `#tags` and `[[wikilinks]]` in Markdown are recognised.
- To leave files out entirely, list patterns in a `.foldermindignore` file (gitignore syntax).
  Hidden files, `.git` and editors' temporary files are always left out.
"""


def resolve_home(option: Path | None = None) -> Path:
    """--home, else $FOLDERMIND_HOME, else ~/foldermind: every command finds its home the same way."""
    if option is not None:
        return option.expanduser().resolve()
    if os.environ.get(HOME_ENV):
        return Path(os.environ[HOME_ENV]).expanduser().resolve()
    return (Path.home() / "foldermind").resolve()


def init_home(home: Path) -> list[Path]:
    """Create what is missing and never overwrite what the user already has; returns what was created."""
    created: list[Path] = []
    config_path = home / CONFIG_FILE
    home.mkdir(parents=True, exist_ok=True)
    if not config_path.exists():
        config_path.write_text(default_config_text(), encoding="utf-8")
        created.append(config_path)
    config = load_config(home)
    for folder in (config.context_dir, config.data_dir):
        if not folder.exists():
            folder.mkdir(parents=True)
            created.append(folder)
    readme = config.context_dir / "README.md"
    if config.context_dir in created:
        readme.write_text(CONTEXT_README, encoding="utf-8")
        created.append(readme)
    return created


def open_home(home: Path) -> Config:
    """Load the config of an initialised home, or say how to create one."""
    if not (home / CONFIG_FILE).exists():
        raise HomeError(f"{home} is not a foldermind home yet. Run `foldermind init --home {home}` first.")
    config = load_config(home)
    if not config.context_dir.is_dir():
        raise HomeError(f"The context folder {config.context_dir} is missing. Create it or fix [paths] context.")
    config.data_dir.mkdir(parents=True, exist_ok=True)
    return config
