"""`foldermind models export`: a version's GGUF copied out, with an Ollama Modelfile when asked for."""

from __future__ import annotations

import shutil
from pathlib import Path

from foldermind.config import Config
from foldermind.errors import ModelError
from foldermind.models import live_version, versions

OLLAMA_CHATML = """TEMPLATE \"\"\"{{- range .Messages }}<|im_start|>{{ .Role }}
{{ .Content }}<|im_end|>
{{ end }}<|im_start|>assistant
\"\"\"
PARAMETER stop "<|im_end|>"
"""


def modelfile(gguf_name: str, chat_template: str) -> str:
    """An Ollama Modelfile; ChatML templates (SmolLM2, Qwen...) are written out, others left to Ollama,
    which reads the template from the GGUF."""
    lines = (
        f"# Made by `foldermind models export --ollama`. Use: ollama create my-notes -f Modelfile\nFROM ./{gguf_name}\n"
    )
    if "<|im_start|>" in chat_template:
        lines += OLLAMA_CHATML
    return lines + "PARAMETER temperature 0.2\n"


def export_model(config: Config, name: str | None, target: Path | None, ollama: bool) -> list[str]:
    known = {v.name: v for v in versions(config.data_dir, config.server.base_model)}
    version = known.get(name) if name else live_version(config.data_dir, config.server.base_model)
    if version is None:
        raise ModelError(f"There is no model version '{name}' (see `foldermind models list`).")
    folder = target or config.data_dir / "exports" / version.name
    folder.mkdir(parents=True, exist_ok=True)
    gguf = folder / f"foldermind-{version.name}.gguf"
    shutil.copy2(version.path, gguf)
    done = [f"wrote {gguf}"]
    if ollama:
        from gguf import GGUFReader

        field = GGUFReader(gguf).fields.get("tokenizer.chat_template")
        template = bytes(field.parts[field.data[0]]).decode("utf-8") if field else ""
        (folder / "Modelfile").write_text(modelfile(gguf.name, template), encoding="utf-8")
        done += [f"wrote {folder / 'Modelfile'}", f"then: cd {folder} && ollama create my-notes -f Modelfile"]
    return done
