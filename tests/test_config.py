"""config.toml is the documented defaults; unknown keys and bad values fail with a message that says where."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from foldermind.config import Config, default_config_text, load_config
from foldermind.errors import ConfigError, HomeError
from foldermind.home import init_home, open_home, resolve_home


def test_shipped_config_equals_the_model_defaults() -> None:
    shipped = tomllib.loads(default_config_text())
    defaults = Config().model_dump(mode="json", exclude={"home"})
    assert shipped == defaults


def test_every_option_in_config_toml_has_a_comment_above_it() -> None:
    lines = default_config_text().splitlines()
    for number, line in enumerate(lines):
        if re.match(r"^[a-z_]+ = ", line):
            assert lines[number - 1].startswith("#"), f"option without a comment: {line}"


def test_root_config_toml_is_the_shipped_one() -> None:
    root = Path(__file__).parent.parent / "config.toml"
    assert root.read_text(encoding="utf-8") == default_config_text()


def test_unknown_option_names_the_option(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text("[indexer]\nchunk_tokenz = 100\n")
    with pytest.raises(ConfigError, match=r"indexer\.chunk_tokenz: unknown option"):
        load_config(tmp_path, environ={})


def test_bad_value_names_the_option_and_the_value(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text("[indexer]\nchunk_tokens = 'many'\n")
    with pytest.raises(ConfigError, match=r"indexer\.chunk_tokens.*'many'"):
        load_config(tmp_path, environ={})


def test_invalid_toml_is_reported_as_such(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text("[indexer\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(tmp_path, environ={})


def test_environment_overrides_the_file(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text("[search]\nk = 3\n")
    config = load_config(tmp_path, environ={"FOLDERMIND_SEARCH__K": "9", "FOLDERMIND_INDEXER__IGNORE": '["*.log"]'})
    assert config.search.k == 9
    assert config.indexer.ignore == ["*.log"]


def test_environment_with_a_bad_value_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"search\.mode"):
        load_config(tmp_path, environ={"FOLDERMIND_SEARCH__MODE": "psychic"})


def test_init_creates_the_home_layout_and_keeps_existing_files(tmp_path: Path) -> None:
    home = tmp_path / "fm"
    init_home(home)
    assert (home / "context" / "README.md").read_text().startswith("# Your context folder")
    assert (home / "data").is_dir()
    (home / "config.toml").write_text("[search]\nk = 7\n")
    assert init_home(home) == []
    assert open_home(home).search.k == 7


def test_home_comes_from_the_option_then_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FOLDERMIND_HOME", str(tmp_path / "env-home"))
    assert resolve_home() == tmp_path / "env-home"
    assert resolve_home(tmp_path / "opt") == tmp_path / "opt"


def test_a_folder_that_is_not_a_home_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(HomeError, match="foldermind init"):
        open_home(tmp_path)
