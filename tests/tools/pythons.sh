# shellcheck shell=bash
# find_python VERSION...: print the path of the first Python of these versions (newest first as
# given) found on this machine: on PATH, under pyenv, under /usr/local. When none is found and apt
# offers one (python3.13 on Debian 13, python3.12 on Ubuntu 24.04), install it with its venv module.
# Returns 1 when none can be had.
find_python() {
    local version candidate
    for version in "$@"; do
        for candidate in "$(command -v "python$version" 2>/dev/null)" \
                         "${PYENV_ROOT:-$HOME/.pyenv}"/versions/"$version".*/bin/python"$version" \
                         /usr/local/bin/python"$version" /usr/bin/python"$version"; do
            # The interpreter itself, not a virtual environment's link to it (the test runner puts
            # .venv/bin first on PATH, and a line's environment must not hang off the main one).
            if [ -n "$candidate" ] && [ -x "$candidate" ] &&
               "$candidate" -c 'import venv, ensurepip, sys, os; print(os.path.realpath(getattr(sys, "_base_executable", sys.executable)))' 2>/dev/null; then
                return 0
            fi
        done
    done
    [ "$(id -u)" -eq 0 ] && command -v apt-cache >/dev/null || return 1
    for version in "$@"; do
        if apt-cache show "python$version-venv" >/dev/null 2>&1; then
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
                "python$version" "python$version-venv" >/dev/null && echo "/usr/bin/python$version" && return 0
        fi
    done
    return 1
}
