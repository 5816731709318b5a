"""The README's first ten minutes, as a user would do them, through the real CLI and HTTP API:
init, drop mixed files, run the daemon, ask with the right citation, train, see the new model answer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.helpers import free_port, make_docx, make_pdf, wait_until

pytestmark = pytest.mark.slow


def foldermind(home: Path, env: dict[str, str], *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "foldermind", "--home", str(home), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_the_first_ten_minutes(tmp_path: Path) -> None:
    home = tmp_path / "foldermind"
    port = free_port()
    env = {
        **os.environ,
        "FOLDERMIND_SERVER__PORT": str(port),
        "FOLDERMIND_TRAINER__MAX_STEPS": "16",
        "FOLDERMIND_TRAINER__SEQ_LEN": "256",
        "FOLDERMIND_TRAINER__BATCH_SIZE": "2",
        "FOLDERMIND_TRAINER__LEARNING_RATE": "0.0005",
        "FOLDERMIND_TRAINER__MIN_ACCURACY_GAIN": "-1",  # a tiny night's few questions cannot show a gain
        "FOLDERMIND_TRAINER__MIN_GAIN": "-1",  # nor can its 16 steps be sure to lower perplexity
    }
    url = f"http://127.0.0.1:{port}"

    # 1. init
    assert foldermind(home, env, "init").returncode == 0
    context = home / "context"
    assert (context / "README.md").is_file() and (home / "config.toml").is_file()

    # 2. drop mixed files
    (context / "boat").mkdir()
    (context / "boat" / "mooring.md").write_text(
        "---\ntitle: Mooring\n---\n# Mooring\n\nThe sailboat Larkspur is moored at pontoon C, berth 14, in Lowhaven.\n"
    )
    (context / "boat" / "engine.pdf").write_bytes(make_pdf(["The outboard engine takes 2-stroke oil mixed 1:50."]))
    (context / "boat" / "insurance.docx").write_bytes(
        make_docx("Insurance", {"Policy": "The boat insurance policy number is MAR-55-2190, renewed each April."})
    )
    (context / "boat" / "club.html").write_text(
        "<html><body><nav>Menu</nav><main><h1>Sailing club</h1><p>The sailing club meets on Wednesdays at 18:30 "
        "in the harbour master's hut.</p></main></body></html>"
    )

    # 3. run the daemon
    daemon = subprocess.Popen(
        [sys.executable, "-m", "foldermind", "--home", str(home), "run"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until(lambda: httpx.get(f"{url}/status").json()["documents"] == 5, 120, "the files to be indexed")

        # 4. ask, and see the answer with the right citation
        asked = foldermind(home, env, "ask", "Where is the sailboat Larkspur moored?")
        assert asked.returncode == 0, asked.stderr
        sources = [line for line in asked.stdout.splitlines() if line.lstrip(" *").startswith("[")]
        assert "boat/mooring.md" in sources[0]
        reply = httpx.post(
            f"{url}/v1/chat/completions",
            timeout=120,
            json={
                "messages": [{"role": "user", "content": "What is the boat insurance policy number?"}],
                "max_tokens": 30,
            },
        )
        assert reply.json()["sources"][0]["path"] == "boat/insurance.docx"

        # 5. a tiny training: a new model is promoted, and the running server answers with it
        trained = foldermind(home, env, "train")
        assert trained.returncode == 0 and "Promoted v0001" in trained.stdout, trained.stdout + trained.stderr
        wait_until(lambda: httpx.get(f"{url}/status").json()["live_model"] == "v0001", 60, "the new model")
        reply = httpx.post(
            f"{url}/v1/chat/completions",
            timeout=120,
            json={"messages": [{"role": "user", "content": "When does the sailing club meet?"}], "max_tokens": 30},
        )
        assert reply.json()["system_fingerprint"] == "v0001"
        assert reply.json()["sources"][0]["path"] == "boat/club.html"
        assert reply.json()["choices"][0]["message"]["content"].strip()

        # 6. the status and models list say so
        status = json.loads(foldermind(home, env, "status", "--json").stdout)
        assert status["live_model"] == "v0001" and status["last_training"]["status"] == "promoted"
        listed = json.loads(foldermind(home, env, "models", "list", "--json").stdout)
        assert [row["name"] for row in listed if row["live"]] == ["v0001"]
    finally:
        daemon.terminate()
        daemon.wait(20)
