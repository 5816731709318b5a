"""A night over several processes (`accelerate launch`: several GPUs, or several machines), data-parallel.

The main process does the night as one process would (dataset, merge, export, evaluation, promotion) and
tells the others, once, the training to join: the packed sequences and settings, or nothing. Every process
then runs the same Trainer, which shards the batches and averages the gradients (DDP); the Trainer writes
the checkpoints from the main process. Launched as one process, none of this applies.
"""

from __future__ import annotations

import datetime
import os
from typing import Any


class ProcessGroup:
    """The processes of one `accelerate launch` run (WORLD_SIZE of them), as accelerate's PartialState sees
    them: NCCL between GPUs, gloo between CPU processes."""

    def __init__(self) -> None:
        import torch
        from accelerate import PartialState

        # the others wait while the main process builds the night's examples (minutes on a big folder): longer
        # than the collectives' default timeout (10 to 30 minutes) is allowed
        self.state = PartialState(cpu=not torch.cuda.is_available(), timeout=datetime.timedelta(hours=2))

    @property
    def main(self) -> bool:
        return self.state.is_main_process

    @property
    def size(self) -> int:
        return self.state.num_processes

    @property
    def index(self) -> int:
        return self.state.process_index

    def share(self, value: Any) -> Any:
        """The main process's `value`, in every process (what the others pass is ignored)."""
        from accelerate.utils import broadcast_object_list

        box = [value]
        broadcast_object_list(box, from_process=0)
        return box[0]

    def any(self, flag: bool) -> bool:
        """True in every process when it is True in any: decisions that must stop them all at the same step."""
        import torch
        import torch.distributed as dist

        tensor = torch.tensor([int(flag)], device=self.state.device)
        dist.all_reduce(tensor, op=dist.ReduceOp.MAX)
        return bool(tensor.item())

    def smallest(self, value: int) -> int:
        """The smallest of the processes' values, in every process."""
        import torch
        import torch.distributed as dist

        tensor = torch.tensor([value], device=self.state.device)
        dist.all_reduce(tensor, op=dist.ReduceOp.MIN)
        return int(tensor.item())


def process_group() -> ProcessGroup | None:
    """The group when launched as more than one process (accelerate sets WORLD_SIZE), else None."""
    return ProcessGroup() if int(os.environ.get("WORLD_SIZE", "1")) > 1 else None
