#!/usr/bin/env bash
# deploy/install.sh: turn a fresh Debian 12 or Raspberry Pi OS box into a kiosk, or upgrade
# one. Run as root from the checkout (README.md, "Deployment on a kiosk box"):
#
#   sudo deploy/install.sh                   kiosk server + kiosk screen (its own X session on tty1)
#   sudo SESSION=desktop deploy/install.sh   ... on a box that already has a desktop (autologin kiosk-ui)
#   sudo SESSION=none deploy/install.sh      server only, no screen
#   sudo HUB=1 deploy/install.sh             also run the hub (port 8090) on this box
#
# Run it again from a newer checkout to upgrade in place: the database, the secrets and
# /etc/kiosk are kept, and the database is backed up before it migrates.
#
# Every path is an environment variable (defaults shown):
#   PREFIX=/opt/kiosk  DATA_DIR=/var/lib/kiosk  ETC_DIR=/etc/kiosk
#   SYSTEMD_DIR=/etc/systemd/system  USER_UNIT_DIR=/etc/systemd/user  SBIN_DIR=/usr/local/sbin
#   UI_HOME=/home/$UI_USER  CHROMIUM_POLICY_DIR=/etc/chromium/policies/managed
#   KIOSK_USER=kiosk  UI_USER=kiosk-ui  PYTHON=python3  BROWSER_PKG=chromium  APT=1
# ROOT=/some/dir puts every file under that directory (with DRY=1 only: tests).
# DRY=1 writes the commands that change the system itself (apt-get, useradd, usermod,
# chown, systemctl, runuser) to DRY_LOG (default $ROOT/install-commands.log) instead of
# running them; the files are still laid out, the venv made, and the app run once (as the
# calling user) to migrate the database.
set -euo pipefail

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROOT=${ROOT:-}
DRY=${DRY:-0}
DRY_LOG=${DRY_LOG:-${ROOT:-.}/install-commands.log}
PREFIX=${PREFIX:-/opt/kiosk}
DATA_DIR=${DATA_DIR:-/var/lib/kiosk}
ETC_DIR=${ETC_DIR:-/etc/kiosk}
SYSTEMD_DIR=${SYSTEMD_DIR:-/etc/systemd/system}
USER_UNIT_DIR=${USER_UNIT_DIR:-/etc/systemd/user}
SBIN_DIR=${SBIN_DIR:-/usr/local/sbin}
KIOSK_USER=${KIOSK_USER:-kiosk}
UI_USER=${UI_USER:-kiosk-ui}
UI_HOME=${UI_HOME:-/home/$UI_USER}
CHROMIUM_POLICY_DIR=${CHROMIUM_POLICY_DIR:-/etc/chromium/policies/managed}
SESSION=${SESSION:-x11}
HUB=${HUB:-0}
PYTHON=${PYTHON:-python3}
BROWSER_PKG=${BROWSER_PKG:-chromium}
APT=${APT:-1}
PORT=8080

VENV=$PREFIX/.venv
BACKUP_DIR=$DATA_DIR/backups
SYSTEM_UNITS=(kiosk.service kiosk-hub.service kiosk-watchdog.service kiosk-watchdog.timer
              kiosk-backup.service kiosk-backup.timer)
USER_UNITS=(kiosk-browser.service kiosk-browser-check.service kiosk-browser-check.timer
            kiosk-browser-refresh.service kiosk-browser-refresh.timer)

say() {
    local message="$*"
    [ -z "$ROOT" ] || message=${message//"$ROOT"/}
    printf '==> %s\n' "$message"
}
die() { printf 'install.sh: %s\n' "$*" >&2; exit 1; }
# $ROOT in front of a path on the box: where this run reads and writes it.
r() { printf '%s%s' "$ROOT" "$1"; }

# A command that changes the system itself: run it, or (DRY=1) write it down.
run() {
    if [ "$DRY" = 1 ]; then
        # Written as it would run on the box: without the ROOT in front of the paths.
        local line
        line=$(printf '%q ' "$@")
        line=${line% }
        [ -z "$ROOT" ] || line=${line//"$ROOT"/}
        printf '%s\n' "$line" >>"$DRY_LOG"
        return 0
    fi
    "$@"
}

# A command run as the kiosk user, in the app's directory, with /etc/kiosk/env.
as_kiosk() {
    (
        cd "$(r "$PREFIX")"
        umask 0077
        if [ -r "$(r "$ETC_DIR")/env" ]; then
            set -a
            # shellcheck source=/dev/null
            . "$(r "$ETC_DIR")/env"
            set +a
        fi
        if [ "$DRY" = 1 ]; then
            run runuser -u "$KIOSK_USER" -- "$@"
            "$@"
        else
            runuser -u "$KIOSK_USER" -- "$@"
        fi
    )
}

user_exists() { [ "$DRY" != 1 ] && getent passwd "$1" >/dev/null; }
group_exists() { [ "$DRY" = 1 ] || getent group "$1" >/dev/null; }
unit_active() { [ "$DRY" != 1 ] && systemctl is-active --quiet "$1"; }

# Copy a file from deploy/ with this install's paths and users written in.
render() {
    local src=$1 dest=$2 mode=${3:-0644} tmp
    mkdir -p "$(dirname "$dest")"
    tmp=$(mktemp "$dest.XXXXXX")
    sed -e "s#/opt/kiosk#$PREFIX#g" \
        -e "s#/var/lib/kiosk\\([/ ]\\|\$\\)#$DATA_DIR\\1#g" \
        -e "s#^StateDirectory=kiosk\$#StateDirectory=${DATA_DIR#/var/lib/}#" \
        -e "s#/etc/kiosk#$ETC_DIR#g" \
        -e "s#^User=kiosk\$#User=$KIOSK_USER#; s#^Group=kiosk\$#Group=$KIOSK_USER#" \
        -e "s#^KIOSK_USER=kiosk\$#KIOSK_USER=$KIOSK_USER#; s#^UI_USER=kiosk-ui\$#UI_USER=$UI_USER#" \
        -e "s#^ConditionUser=kiosk-ui\$#ConditionUser=$UI_USER#" \
        -e "s#--autologin kiosk-ui #--autologin $UI_USER #" \
        "$src" >"$tmp"
    chmod "$mode" "$tmp"
    mv -f "$tmp" "$dest"
}

# Copy a file only where there is none yet (settings the station has edited stay).
install_once() {
    local src=$1 dest=$2 mode=$3 owner=$4
    if [ -e "$dest" ]; then
        say "keeping $dest"
        return
    fi
    render "$src" "$dest" "$mode"
    run chown "$owner" "$dest"
    say "created $dest"
}

check() {
    if [ ! -f "$SRC/kiosk/__init__.py" ] || [ ! -f "$SRC/requirements.txt" ]; then
        die "run me from the kiosk's checkout ($SRC has no kiosk/)"
    fi
    case $SESSION in x11 | desktop | none) ;; *) die "SESSION must be x11, desktop or none (got $SESSION)" ;; esac
    case $DATA_DIR in /var/lib/?*) ;; *) die "DATA_DIR must be under /var/lib (systemd's StateDirectory)" ;; esac
    if [ "$DRY" != 1 ]; then
        [ -z "$ROOT" ] || die "ROOT is only for a dry run (DRY=1)"
        [ "$(id -u)" = 0 ] || die "run me as root: sudo $0"
    fi
    if [ -n "$ROOT" ]; then
        mkdir -p "$ROOT"
    fi
}

install_packages() {
    [ "$APT" = 1 ] || { say "APT=0: not installing packages"; return; }
    local packages=(python3 python3-venv libfribidi0 sqlite3 ca-certificates)
    case $SESSION in
    x11) packages+=("$BROWSER_PKG" xserver-xorg xinit x11-xserver-utils matchbox-window-manager
                    unclutter dbus-user-session) ;;
    desktop) packages+=("$BROWSER_PKG" x11-xserver-utils unclutter dbus-user-session) ;;
    esac
    say "installing packages: ${packages[*]}"
    run apt-get update -qq
    run env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}"
}

create_users() {
    if user_exists "$KIOSK_USER"; then
        say "user $KIOSK_USER exists"
    else
        say "creating the system user $KIOSK_USER (runs the server, cannot log in)"
        run useradd --system --user-group --home-dir "$DATA_DIR" --no-create-home \
            --shell /usr/sbin/nologin --comment "One Stop Service kiosk" "$KIOSK_USER"
    fi
    [ "$SESSION" != none ] || return 0
    if user_exists "$UI_USER"; then
        say "user $UI_USER exists"
    else
        say "creating the user $UI_USER (shows the kiosk screen)"
        run useradd --create-home --home-dir "$UI_HOME" --user-group --shell /bin/bash \
            --comment "Kiosk screen" "$UI_USER"
    fi
    local groups=() group
    for group in video input render audio; do
        if group_exists "$group"; then groups+=("$group"); fi
    done
    if [ ${#groups[@]} -gt 0 ]; then
        run usermod -a -G "$(IFS=,; echo "${groups[*]}")" "$UI_USER"
    fi
}

stop_services() {
    local unit
    for unit in kiosk-watchdog.timer kiosk.service kiosk-hub.service; do
        if unit_active "$unit"; then
            say "stopping $unit for the upgrade"
            run systemctl stop "$unit"
            # A hub installed earlier with HUB=1 is upgraded and started again too.
            [ "$unit" != kiosk-hub.service ] || HUB=1
        fi
    done
}

install_app() {
    local dest stage old
    dest=$(r "$PREFIX")
    if [ -d "$dest" ] && [ "$(realpath "$SRC")" = "$(realpath "$dest")" ]; then
        say "running from $PREFIX itself: the app files stay as they are"
        return
    fi
    say "copying the app from $SRC to $PREFIX"
    stage=$dest.new
    old=$dest.old
    rm -rf "$stage" "$old"
    mkdir -p "$stage"
    tar -C "$SRC" \
        --exclude=./.git --exclude=./.venv --exclude=./instance --exclude=./.pytest_cache \
        --exclude=./node_modules --exclude=./test-results --exclude=./out --exclude=./bench-out \
        --exclude=__pycache__ --exclude='*.pyc' --exclude='*.mo' \
        -cf - . | tar -C "$stage" --no-same-owner -xf -
    chmod -R u+rwX,go+rX,go-w "$stage"
    # The venv moves over to the new tree; the old tree goes (no stale modules left).
    if [ -d "$dest/.venv" ]; then
        mv "$dest/.venv" "$stage/.venv"
    fi
    if [ -e "$dest" ]; then
        mv "$dest" "$old"
    fi
    mv "$stage" "$dest"
    rm -rf "$old"
}

install_venv() {
    local venv
    venv=$(r "$VENV")
    if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c 'import sys' 2>/dev/null; then
        say "upgrading the virtual environment $VENV"
    else
        say "creating the virtual environment $VENV"
        rm -rf "$venv"
        "$PYTHON" -m venv "$venv"
    fi
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$(r "$PREFIX")/requirements.txt"
    # Compiled once here: the service cannot write to /opt/kiosk.
    "$venv/bin/python" -m compileall -q "$(r "$PREFIX")/kiosk" >/dev/null
}

install_dirs() {
    local etc data
    etc=$(r "$ETC_DIR")
    data=$(r "$DATA_DIR")
    mkdir -p "$etc" "$data" "$data/backups"
    chmod 0755 "$etc"
    chmod 0750 "$data"
    chmod 0700 "$data/backups"
    run chown "$KIOSK_USER:$KIOSK_USER" "$DATA_DIR" "$DATA_DIR/backups"
    install_once "$SRC/deploy/kiosk.toml.sample" "$etc/kiosk.toml" 0640 "root:$KIOSK_USER"
    install_once "$SRC/deploy/kiosk.env.sample" "$etc/env" 0600 root:root
    if [ "$SESSION" != none ]; then
        install_once "$SRC/deploy/browser.env" "$etc/browser.env" 0644 root:root
    fi
    if [ "$HUB" = 1 ] && [ ! -e "$etc/hub.toml" ]; then
        printf '# The hub'\''s settings (python -m kiosk hub --config %s/hub.toml).\n' "$ETC_DIR" >"$etc/hub.toml"
        chmod 0640 "$etc/hub.toml"
        run chown "root:$KIOSK_USER" "$ETC_DIR/hub.toml"
    fi
    # The port the watchdog and the installer check: the one the station chose.
    PORT=$(sed -n 's/^KIOSK_PORT=\([0-9][0-9]*\)$/\1/p' "$etc/env" | tail -n 1)
    PORT=${PORT:-8080}
}

install_units() {
    local unit
    say "installing the systemd units in $SYSTEMD_DIR and $USER_UNIT_DIR"
    render "$SRC/kiosk.service" "$(r "$SYSTEMD_DIR")/kiosk.service"
    for unit in "${SYSTEM_UNITS[@]}"; do
        [ "$unit" = kiosk.service ] || render "$SRC/deploy/$unit" "$(r "$SYSTEMD_DIR")/$unit"
    done
    for unit in "${USER_UNITS[@]}"; do
        render "$SRC/deploy/user/$unit" "$(r "$USER_UNIT_DIR")/$unit"
    done
    # The deploy scripts run from the app's copy with the paths of this install.
    render "$SRC/deploy/kiosk-browser" "$(r "$PREFIX")/deploy/kiosk-browser" 0755
    render "$SRC/deploy/kiosk_watchdog.py" "$(r "$PREFIX")/deploy/kiosk_watchdog.py" 0755
    render "$SRC/deploy/kioskctl" "$(r "$SBIN_DIR")/kioskctl" 0755
}

install_session() {
    local home
    home=$(r "$UI_HOME")
    case $SESSION in
    none)
        return
        ;;
    x11)
        say "kiosk screen: automatic login of $UI_USER on tty1, X without cursor, Chromium"
        render "$SRC/deploy/session/getty-autologin.conf" \
            "$(r "$SYSTEMD_DIR")/getty@tty1.service.d/kiosk-autologin.conf"
        mkdir -p "$home"
        render "$SRC/deploy/session/xinitrc" "$home/.xinitrc" 0755
        # Our block in ~/.bash_profile, replaced on every run, the rest left alone.
        touch "$home/.bash_profile"
        sed -i '/^# kiosk: start the kiosk screen/,/^# kiosk: end$/d' "$home/.bash_profile"
        cat "$SRC/deploy/session/bash_profile" >>"$home/.bash_profile"
        run chown "$UI_USER:$UI_USER" "$UI_HOME/.xinitrc" "$UI_HOME/.bash_profile"
        ;;
    desktop)
        say "kiosk screen: XDG autostart entry for $UI_USER's desktop session"
        render "$SRC/deploy/session/kiosk-browser.desktop" "$home/.config/autostart/kiosk-browser.desktop"
        run chown -R "$UI_USER:$UI_USER" "$UI_HOME/.config"
        ;;
    esac
    render "$SRC/deploy/chromium-policy.json" "$(r "$CHROMIUM_POLICY_DIR")/kiosk.json"
}

# Back up the database if its schema is behind, migrate it, and print the secrets that
# the very first start generates (only then: the database keeps hashes).
prepare_database() {
    say "preparing the database in $DATA_DIR"
    as_kiosk "$(r "$VENV")/bin/python" -c '
import sys
from pathlib import Path

from kiosk.app import create_app
from kiosk.store.backup import backup_before_migration

data_dir, config, backup_dir = sys.argv[1:4]
taken = backup_before_migration(Path(data_dir) / "kiosk.db", backup_dir)
if taken:
    print(f"==> the schema is behind: backup taken before the migration: {taken}")


def announce(text):
    rule = "=" * 72
    print(f"\n{rule}\n{text}\nWrite them down now: they are never shown again.\n{rule}\n")


try:
    app = create_app(config_file=config, data_dir=data_dir, announce=announce)
except Exception as exc:
    sys.exit(f"The kiosk does not start: {exc}")
from kiosk.store import db, migrations

conn = db.connect(Path(data_dir) / "kiosk.db")
print(f"==> database schema version {migrations.schema_version(conn)}")
conn.conn.close()
' "$(r "$DATA_DIR")" "$(r "$ETC_DIR")/kiosk.toml" "$(r "$BACKUP_DIR")"
}

# The hub makes its own secrets on its first start: here too, so that they are printed
# here once rather than into the journal.
prepare_hub() {
    [ "$HUB" = 1 ] || return 0
    local hub_data=/var/lib/kiosk-hub
    mkdir -p "$(r "$hub_data")"
    chmod 0750 "$(r "$hub_data")"
    run chown "$KIOSK_USER:$KIOSK_USER" "$hub_data"
    say "preparing the hub's database in $hub_data"
    as_kiosk "$(r "$VENV")/bin/python" -c '
import sys

from kiosk.app import create_app


def announce(text):
    rule = "=" * 72
    print(f"\n{rule}\n{text}\nWrite them down now: they are never shown again.\n{rule}\n")


try:
    create_app("hub", config_file=sys.argv[2], data_dir=sys.argv[1], announce=announce)
except Exception as exc:
    sys.exit(f"The hub does not start: {exc}")
' "$(r "$hub_data")" "$(r "$ETC_DIR")/hub.toml"
}

start_services() {
    say "enabling and starting the services"
    run systemctl enable kiosk.service kiosk-watchdog.timer kiosk-backup.timer
    run systemctl restart kiosk.service
    run systemctl start kiosk-watchdog.timer kiosk-backup.timer
    if [ "$HUB" = 1 ]; then
        run systemctl enable kiosk-hub.service
        run systemctl restart kiosk-hub.service
    fi
    [ "$DRY" != 1 ] || return 0
    if /usr/bin/python3 "$(r "$PREFIX")/deploy/kiosk_watchdog.py" wait \
        --url "http://127.0.0.1:$PORT/healthz" --timeout 60 --interval 1 >/dev/null &&
        /usr/bin/python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=5)' \
            "http://127.0.0.1:$PORT/healthz"; then
        say "the kiosk answers on http://127.0.0.1:$PORT/"
    else
        say "the kiosk does NOT answer yet; see: journalctl -u kiosk -n 50"
        return 1
    fi
}

main() {
    check
    install_packages
    create_users
    stop_services
    install_app
    install_venv
    install_dirs
    install_units
    install_session
    run systemctl daemon-reload
    prepare_database
    prepare_hub
    start_services
    say "done."
    case $SESSION in
    x11) say "restart the box to start the kiosk screen: sudo reboot" ;;
    desktop) say "set the desktop to log in $UI_USER automatically (raspi-config: System Options > Boot / Auto Login), then: sudo reboot" ;;
    esac
    say "daily backups go to $BACKUP_DIR; look after the kiosk with: sudo kioskctl"
}

main "$@"
