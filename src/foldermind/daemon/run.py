"""`foldermind run`: the watcher, the indexing worker, the scheduler and the HTTP server in one process.

Order matters: the watcher starts before the first reconcile so no change slips between them, and the
server starts at once (answering from the index as it is) while the worker catches up.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import signal
import time
from typing import Any

import uvicorn

from foldermind.config import Config
from foldermind.daemon.scheduler import (
    NightlyScheduler,
    pause_training,
    training_running_since,
)
from foldermind.daemon.watcher import DirtyPaths, FolderWatch
from foldermind.daemon.worker import IndexWorker
from foldermind.errors import FoldermindError
from foldermind.indexer.extract.base import SLOW_WORK
from foldermind.indexer.index import Index
from foldermind.lock import DAEMON_LOCK, exclusive
from foldermind.logs import VisibleControls
from foldermind.trainer.runs import interrupted, last_training, progress

log = logging.getLogger(__name__)
SHUTDOWN_SECONDS = 5


def log_to_file(config: Config) -> logging.Handler:
    folder = config.data_dir / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        folder / "foldermind.log", maxBytes=int(config.daemon.log_max_mb * 1048576), backupCount=3, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.setLevel(logging.INFO)
    handler.addFilter(VisibleControls())  # a file name's escape sequence is not replayed by `tail`
    logging.getLogger().addHandler(handler)
    return handler


def ensure_port_free(config: Config) -> None:
    from foldermind.server.thread import port_taken

    if reason := port_taken(config.server.host, config.server.port):
        raise FoldermindError(
            f"Port {config.server.port} on {config.server.host} is in use ({reason}); stop what uses it "
            "or set [server] port in config.toml."
        )


def run_daemon(config: Config) -> None:
    with exclusive(config.data_dir / DAEMON_LOCK, "foldermind for this data folder"):
        ensure_port_free(config)
        handler = log_to_file(config)
        try:
            _run(config)
        finally:
            logging.getLogger().removeHandler(handler)


def _run(config: Config) -> None:
    from foldermind.server.app import create_app
    from foldermind.server.state import ServerState

    log.info("foldermind starting (pid %d): watching %s", os.getpid(), config.context_dir)
    writer = Index(config)
    worker: IndexWorker | None = None
    dirty = DirtyPaths(config.context_dir, lambda: worker.notify() if worker else None)
    watch = FolderWatch(config.context_dir, config.indexer.ignore, config.indexer.follow_symlinks, dirty)
    mode = watch.start(force_polling=config.daemon.polling)
    worker = IndexWorker(writer, dirty, config.daemon, replan=watch.replan)
    worker.start()
    scheduler = NightlyScheduler(config)
    scheduler.start(resume_interrupted=interrupted(config))
    state = ServerState(config, index=Index(config, embedder=None))
    if config.daemon.pause_training_for_chat:
        state.runner.on_busy = lambda busy: pause_training(busy, config)
    started = time.time()

    def daemon_status() -> dict[str, Any]:
        running = training_running_since()
        return {
            "daemon": {
                "pid": os.getpid(),
                "since": started,
                "watcher": mode,
                "queue": worker.queue_length(),
                "indexing": worker.status.indexing,
                "reading": dict(zip(("done", "total"), worker.status.reading, strict=True))
                if worker.status.reading
                else None,
                "slow_work": SLOW_WORK.lines(),
                "last_indexed": worker.status.last_indexed,
                "last_indexed_at": worker.status.last_indexed_at,
                "index_errors": worker.status.errors,
                "training_running_since": running,
                "training_progress": progress(config),
                "next_training": scheduler.next_run(),
                "last_training": last_training(config),
            }
        }

    state.extra_status = daemon_status
    state.reading = lambda: worker.status.reading
    state.start_training = scheduler.train_now
    state.watched = True
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(config, state, mcp_socket=True),
            host=config.server.host,
            port=config.server.port,
            log_level="warning",
            timeout_graceful_shutdown=SHUTDOWN_SECONDS,
        )
    )
    log.info(
        "Serving on http://%s:%d/ (watcher: %s, next training: %s)",
        config.server.host,
        config.server.port,
        mode,
        scheduler.next_run(),
    )
    stop = lambda signum, frame: setattr(server, "should_exit", True)  # noqa: E731
    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        server.run()  # returns on Ctrl-C or SIGTERM
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        log.info("foldermind stopping")
        watch.stop()
        scheduler.shutdown()
        worker.stop(SHUTDOWN_SECONDS)
        watch.join(2)
        state.close()
        writer.close()
        log.info("foldermind stopped")
