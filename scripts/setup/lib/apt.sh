# Sourced by the setup steps that need Debian packages (not a step itself: the
# steps are scripts/setup/[0-9]*.sh).
#
# apt_install NAME PACKAGE...: install whatever of the packages is missing
# (refreshing the package lists once, with sudo -n when not root), then check
# that each is installed. Returns at once when all are. Sets APT_INSTALLED to 1
# when it installed anything, 0 otherwise.

apt_installed() {
  dpkg-query -W -f='${Status}\n' "$1" 2>/dev/null | grep -q '^install ok installed$'
}

apt_sudo() {
  if [ "$(id -u)" -ne 0 ]; then
    sudo -n "$@"
  else
    "$@"
  fi
}

apt_install() {
  local name=$1 p
  shift
  local missing=()
  for p in "$@"; do
    apt_installed "$p" || missing+=("$p")
  done
  APT_INSTALLED=0
  if [ ${#missing[@]} -eq 0 ]; then
    return 0
  fi
  echo "installing ${missing[*]}" >&2
  apt_sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  apt_sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >&2
  for p in "$@"; do
    apt_installed "$p" || { echo "$name: $p did not install" >&2; return 1; }
  done
  APT_INSTALLED=1
}
