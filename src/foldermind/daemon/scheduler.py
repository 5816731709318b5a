"""The nightly training schedule: APScheduler with its job store in the data folder.

A night missed while the machine was off runs once at the next start (coalesced, no grace limit), never
twice at a time (max_instances=1), and the training itself runs in a child process at low priority.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime
from typing import Any

from foldermind.config import Config
from foldermind.errors import ConfigError
from foldermind.trainer.runs import REJECTED_EXIT_CODE, shares_the_cpu

log = logging.getLogger(__name__)
JOB_ID = "nightly-training"
_current: dict[str, Any] = {}  # the running training child, for status and shutdown
_guard = threading.Lock()


def cron_trigger(schedule: str) -> Any:
    from apscheduler.triggers.cron import CronTrigger

    fields = schedule.split()
    try:
        if len(fields) == 5:
            return CronTrigger.from_crontab(schedule)
        if len(fields) == 6:
            second, minute, hour, day, month, weekday = fields
            return CronTrigger(second=second, minute=minute, hour=hour, day=day, month=month, day_of_week=weekday)
    except ValueError as exc:
        raise ConfigError(f"[trainer] schedule '{schedule}' is not valid cron: {exc}") from exc
    raise ConfigError(
        f"[trainer] schedule '{schedule}' needs 5 fields (minute hour day month weekday), or 6 with seconds"
    )


def _die_with_parent() -> None:
    """In the child: get SIGTERM if the daemon dies (even by kill -9), so no training runs unattended."""
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def nightly_training(home: str) -> int:
    """The job: `foldermind train` in a child process (it lowers its own priority). Module-level so the
    persistent job store can name it."""
    with _guard:
        if _current.get("process") is not None:
            log.info("A training is already running; this one is skipped")
            return -1
        log.info("Nightly training started")
        process = subprocess.Popen(
            [sys.executable, "-m", "foldermind", "--home", home, "train"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=_die_with_parent,
            start_new_session=True,  # its own process group, so a pause reaches the converter it may run too
        )
        _current.update(process=process, started=time.time())
    try:
        _, errors = process.communicate()
    finally:
        with _guard:
            _current.clear()
    if process.returncode not in (0, REJECTED_EXIT_CODE):
        log.error("Training failed (exit %s): %s", process.returncode, errors.strip()[-500:])
    else:
        log.info("Nightly training finished")
    return process.returncode


def training_running_since() -> float | None:
    return _current.get("started")


def _signal_training(signum: int) -> bool:
    process = _current.get("process")
    if process is None or process.poll() is not None:
        return False
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signum)
    return True


def pause_training(paused: bool, config: Config) -> None:
    """Stop the training's processes while a chat is answered, and let them go on after. On 2 cores a chat
    and a training that share the CPU both crawl (spinning OpenMP threads); a chat takes a second or two,
    so the training waits for it instead (bench/contention_bench.py measures both). A training stage running
    on a GPU shares no processor with the chat and goes on."""
    if paused and not shares_the_cpu(config):
        return
    if _signal_training(signal.SIGSTOP if paused else signal.SIGCONT):
        log.debug("Training %s for a chat", "paused" if paused else "resumed")


def stop_training() -> None:
    """A stopped run resumes from its checkpoint next time."""
    if _signal_training(signal.SIGTERM):
        _signal_training(signal.SIGCONT)  # a paused process acts on SIGTERM only once it runs again


class NightlyScheduler:
    def __init__(self, config: Config) -> None:
        from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
        from apscheduler.schedulers.background import BackgroundScheduler

        self.config = config
        self.trigger = cron_trigger(config.trainer.schedule)
        store = SQLAlchemyJobStore(url=f"sqlite:///{config.data_dir / 'scheduler.sqlite'}")
        self.scheduler = BackgroundScheduler(jobstores={"default": store})

    def start(self, resume_interrupted: bool) -> None:
        """Keep a stored job whose schedule is unchanged, so a missed night still runs once."""
        self.scheduler.start(paused=True)
        job = self.scheduler.get_job(JOB_ID)
        if job is None or str(job.trigger) != str(self.trigger) or job.args != (str(self.config.home),):
            self.scheduler.add_job(
                nightly_training,
                self.trigger,
                id=JOB_ID,
                args=[str(self.config.home)],
                replace_existing=True,
                coalesce=True,
                max_instances=1,
                misfire_grace_time=None,
            )
        elif job.next_run_time and job.next_run_time < datetime.now(job.next_run_time.tzinfo):
            log.info("A scheduled training was missed while foldermind was off; it runs now, once")
        if resume_interrupted:
            log.info("A training was interrupted; resuming it now")
            self.scheduler.add_job(
                nightly_training,
                args=[str(self.config.home)],
                id="resume-training",
                replace_existing=True,
                jobstore="default",
            )
        self.scheduler.resume()

    def train_now(self) -> bool:
        """Start a training now (the page's "train now"); False when one is running already."""
        if training_running_since() is not None:
            return False
        self.scheduler.add_job(nightly_training, args=[str(self.config.home)], id="train-now", replace_existing=True)
        return True

    def next_run(self) -> str | None:
        job = self.scheduler.get_job(JOB_ID)
        return job.next_run_time.isoformat(timespec="seconds") if job and job.next_run_time else None

    def shutdown(self) -> None:
        stop_training()
        self.scheduler.shutdown(wait=False)
