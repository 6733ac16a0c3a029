#!/usr/bin/env sh
# Installs Relais: its user, folders, binary, systemd unit and a configuration
# skeleton (docs/OPERATIONS.md, "Install"). The container file runs it too, and
# scripts/operations.sh runs it in a throwaway folder (--prefix) without root.
# Never overwrites a configuration or a key file that exists.
#
#   deploy/install.sh [--prefix DIR] [--binary FILE] [--user NAME] [--no-key] [--no-unit]
#
#   --prefix DIR   install under DIR instead of / (paths in the unit follow)
#   --binary FILE  the relais binary [default: target/release/relais]
#   --user NAME    the account Relais runs as [default: relais]; created (system
#                  account, no login, no home) when missing and run as root
#   --no-key       do not generate a key file (the container's comes as a secret)
#   --no-unit      do not install the systemd unit (containers)
set -eu

prefix=
binary=target/release/relais
user=relais
make_key=yes
make_unit=yes
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix=${2%/}; shift 2 ;;
    --binary) binary=$2; shift 2 ;;
    --user) user=$2; shift 2 ;;
    --no-key) make_key=no; shift ;;
    --no-unit) make_unit=no; shift ;;
    *) echo "install.sh: unknown option $1 (see the header of this file)" >&2; exit 2 ;;
  esac
done
here=$(cd "$(dirname "$0")" && pwd)
[ -x "$binary" ] || { echo "install.sh: $binary is not an executable (build it: cargo build --release -p relais)" >&2; exit 2; }

bin_dir=$prefix/usr/local/bin
etc_dir=$prefix/etc/relais
state_dir=$prefix/var/lib/relais
unit_dir=$prefix/etc/systemd/system

# 1. The account: a system user without login shell or home.
if ! id "$user" >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then
    echo "install.sh: user $user does not exist and only root can create it (or pass --user $(id -un))" >&2
    exit 2
  fi
  useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$user"
fi
group=$(id -gn "$user")
as_root=no
[ "$(id -u)" = 0 ] && as_root=yes

# 2. Folders: the configuration readable by the service's group only, the state
#    folder by the service's user only.
install -d -m 0755 "$bin_dir"
install -d -m 0750 "$etc_dir"
install -d -m 0700 "$state_dir"
if [ "$as_root" = yes ]; then
  chown "root:$group" "$etc_dir"
  chown "$user:$group" "$state_dir"
fi

# 3. The binary.
install -m 0755 "$binary" "$bin_dir/relais"

# 4. The configuration skeleton (docs/OPERATIONS.md lists every key).
config=$etc_dir/relais.toml
if [ ! -e "$config" ]; then
  umask 027
  cat > "$config" <<TOML
# Relais configuration: every key is described in docs/OPERATIONS.md.
# Check it with: relais doctor --config $config
database_url = "postgres://relais@127.0.0.1:5432/relais"
key_file = "$etc_dir/secret.key"
listen = "127.0.0.1:8080"
public_url = "https://relais.example.gouv.fr"
# The reverse proxy in front of Relais (its address, as a CIDR block).
trusted_proxies = ["127.0.0.1/32"]
# smtp_url = "smtp://mail.example.gouv.fr:587?tls=required"
# mail_from = "Relais <no-reply@relais.example.gouv.fr>"
# metrics_token = "a long random token shared with Prometheus"
publisher = "Ministère (à remplacer)"
publisher_contact = "contact@example.gouv.fr"
hosting = "Hébergeur (à remplacer)"
TOML
  [ "$as_root" = yes ] && chown "root:$group" "$config"
  chmod 0640 "$config"
  echo "wrote $config (edit it, then: relais doctor)"
fi

# 5. The key ring: 32 random bytes as hexadecimal, one key, readable by the
#    service's user only. Back it up apart from the database backups.
key=$etc_dir/secret.key
if [ "$make_key" = yes ] && [ ! -e "$key" ]; then
  umask 077
  hex=$(od -An -vtx1 -N32 /dev/urandom | tr -d ' \n')
  printf 'k0=%s\n' "$hex" > "$key"
  [ "$as_root" = yes ] && chown "$user:$group" "$key"
  chmod 0600 "$key"
  echo "wrote $key (back it up apart from the database)"
fi

# 6. The systemd unit, its paths under the prefix.
if [ "$make_unit" = yes ]; then
  install -d -m 0755 "$unit_dir"
  sed -e "s|/usr/local/bin/relais|$bin_dir/relais|g" \
      -e "s|/etc/relais/|$etc_dir/|g" \
      -e "s|/var/lib/relais|$state_dir|g" \
      -e "s|^User=relais|User=$user|" \
      -e "s|^Group=relais|Group=$group|" \
      "$here/relais.service" > "$unit_dir/relais.service"
  chmod 0644 "$unit_dir/relais.service"
  echo "wrote $unit_dir/relais.service"
  if [ -z "$prefix" ] && command -v systemctl >/dev/null 2>&1; then
    systemctl daemon-reload || true
    echo "then: systemctl enable --now relais"
  fi
fi
echo "installed $bin_dir/relais ($("$bin_dir/relais" --version))"
