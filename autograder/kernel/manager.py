"""The kit's Jupyter kernel manager: jupyter_client's, but it notices at once that a killed kernel has ended.

jupyter_client kills a kernel, then looks whether it has ended every 0.1 s; the first look comes too early, so
every submission's worker sat idle for about 0.1 s after its kernel was gone (the kernel itself ends within a few
milliseconds of SIGKILL). Here the end is awaited a few milliseconds at a time instead.
"""
import asyncio
import time

from jupyter_client.manager import AsyncKernelManager

LOOK_EVERY = 0.002  # seconds between looks at a killed kernel
GIVE_UP_AFTER = 5.0  # seconds; jupyter_client's own wait then takes over, as it does for every kernel


class QuickStopKernelManager(AsyncKernelManager):

    async def _async_kill_kernel(self, restart=False):
        if self.has_kernel:
            await self.provisioner.kill(restart=restart)
            await ended(self.provisioner.process)
        await super()._async_kill_kernel(restart=restart)  # finds it ended, and cleans up after it as always


async def ended(process, seconds=GIVE_UP_AFTER):
    """Return once `process` (a Popen, or None) has ended, or after `seconds`."""
    deadline = time.monotonic() + seconds
    while process is not None and process.poll() is None and time.monotonic() < deadline:
        await asyncio.sleep(LOOK_EVERY)
