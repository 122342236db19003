"""Run a server in the foreground until the test run that started it is gone, however it ends.

    python tests/crawl/_watchdog.py [--user NAME] [--stop-signal INT] [--remove DIR] -- CMD...

The test run starts this in a session of its own with a pipe as its standard
input, and keeps the other end. The pipe closes when the test run exits, is
killed (SIGKILL included) or closes it on purpose; then the server gets
``--stop-signal`` (then SIGKILL if it is still there after 30 s), ``--remove``
is deleted, and the watchdog exits. Its own session keeps it out of a kill
sent to the test run's process group, so it is still there to stop the server.
"""

from __future__ import annotations

import argparse
import shutil
import signal
import subprocess
import sys
import threading


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--user", help="run the server as this user")
    parser.add_argument("--stop-signal", default="TERM", help="how to stop it (default TERM)")
    parser.add_argument("--remove", help="a folder to delete once the server stopped")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    server = subprocess.Popen(command, stdin=subprocess.DEVNULL, user=args.user)
    # Wait for the pipe to close, or for the server to end on its own (it failed to start).
    over = threading.Event()
    for wait in (sys.stdin.buffer.read, server.wait):
        threading.Thread(target=lambda wait=wait: (wait(), over.set()), daemon=True).start()
    over.wait()
    if server.poll() is None:
        server.send_signal(signal.Signals[f"SIG{args.stop_signal}"])
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    if args.remove:
        shutil.rmtree(args.remove, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
