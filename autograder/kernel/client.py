"""The kit's kernel client: jupyter_client's, with a wait for the kernel that costs no fixed 0.2 s and that tells its
manager when the kernel first answered (SandboxedKernelManager seals the sandbox then)."""
import contextlib
import queue
import time

from jupyter_client.asynchronous import AsyncKernelClient

WELCOME_SECONDS = 5  # for ipykernel's welcome on IOPub; a kernel that sends none is then asked as jupyter_client asks
WELCOME_LOOK = 0.02  # seconds between looks at the kernel while its welcome is awaited


class ReadyTellingClient(AsyncKernelClient):
    """jupyter_client's client, whose wait for the kernel tells its manager when the kernel first answered (so it
    seals the sandbox), and costs no fixed 0.2 s: jupyter_client's ends by waiting 0.2 s for IOPub to fall quiet,
    and lost its first try when the kernel's status messages came before this client's subscription reached it."""

    async def wait_for_ready(self, timeout=None):
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        await self._welcome(min(timeout or WELCOME_SECONDS, WELCOME_SECONDS))
        while not await self._kernel_info_answered():
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")
        with contextlib.suppress(queue.Empty):  # what IOPub holds already; later status messages have other
            while True:                         # parents than the cells', which nbclient alone waits for
                await self.iopub_channel.get_msg(timeout=0)
        kernel_ready = getattr(self.parent, "kernel_ready", None)
        if kernel_ready is not None:
            kernel_ready()

    async def _welcome(self, seconds):
        """Return once an IOPub message came (ipykernel's welcome: this client's subscription reached the kernel),
        or the kernel ended, or after `seconds`."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                await self.iopub_channel.get_msg(timeout=WELCOME_LOOK)
                return
            except queue.Empty:
                if not await self._async_is_alive():
                    return

    async def _kernel_info_answered(self):
        """Ask for the kernel's info: True once it replied and its IOPub works, as jupyter_client checks."""
        self.kernel_info()
        try:
            reply = await self.shell_channel.get_msg(timeout=1)
            if reply["msg_type"] != "kernel_info_reply":
                return False
            await self.iopub_channel.get_msg(timeout=0.2)
        except queue.Empty:
            return False
        self._handle_kernel_info_reply(reply)
        return True
