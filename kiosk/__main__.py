from kiosk.cli import main

main(prog_name="python -m kiosk")
