"""The command line's implementation; the entry point is :func:`tiktok.cli.main`."""
