"""Real servers in subprocesses: kiosk, hub, sync, deploy, backup, robustness."""
