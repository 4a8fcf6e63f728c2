# Shared by the ops/ scripts: repo paths and "install it if we are root".
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# Keys, demo logins, simulators and (unless DCASSETS_DB is set) the database: .data/, or DCASSETS_DATA.
DATA="${DCASSETS_DATA:-$ROOT/.data}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

die() { echo "error: $*" >&2; exit 1; }

# need_pkgs CMD PKG... : make sure CMD (a command, or an absolute path: a program, a font) exists, installing
# Debian PKGs when we are root.
need_pkgs() {
  local cmd="$1"; shift
  if command -v "$cmd" >/dev/null 2>&1 || { [[ "$cmd" == /* ]] && [ -e "$cmd" ]; }; then return 0; fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing $* ..." >&2
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1; then
      apt-get update -qq >/dev/null 2>&1
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null || die "apt-get install $* failed"
    fi
  else
    die "'$cmd' is missing: install the Debian package(s) $* (e.g. sudo apt-get install $*)"
  fi
}

# The seal key signs the history's checkpoints. It must not live in the database: keep it in a
# file (mode 600) under .data/ unless DCASSETS_SEAL_KEY(_FILE) already names one.
ensure_seal_key() {
  [ -n "${DCASSETS_SEAL_KEY:-}${DCASSETS_SEAL_KEY_FILE:-}" ] && return 0
  local key="$DATA/seal.key"
  if [ ! -s "$key" ]; then
    mkdir -p "$DATA"
    (umask 077; head -c 48 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$key")
  fi
  export DCASSETS_SEAL_KEY_FILE="$key"
}

# SNMPv3 passwords are sealed with the credential key before they enter an event; like the seal key
# it stays out of the database: .data/credential.key (mode 600) unless DCASSETS_CREDENTIAL_KEY(_FILE)
# already names one. Exported, so the web host's poller can open what the CLI sealed.
ensure_credential_key() {
  [ -n "${DCASSETS_CREDENTIAL_KEY:-}${DCASSETS_CREDENTIAL_KEY_FILE:-}" ] && return 0
  local key="$DATA/credential.key"
  if [ ! -s "$key" ]; then
    mkdir -p "$DATA"
    (umask 077; head -c 48 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$key")
  fi
  export DCASSETS_CREDENTIAL_KEY_FILE="$key"
}
