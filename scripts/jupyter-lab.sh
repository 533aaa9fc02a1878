#!/usr/bin/env bash
# Start JupyterLab on notebooks/ without opening a browser (safe on a machine with no screen),
# then say clearly which URL to open. Used by `make notebooks`:
#   bash scripts/jupyter-lab.sh BIN [IP] [PORT]
# BIN is the virtual environment's bin folder. IP defaults to 127.0.0.1 (this machine only);
# JUPYTER_TOKEN, if set, is the token to use (else a fresh random one).
set -u
BIN=${1:?usage: jupyter-lab.sh BIN [IP] [PORT]}
IP=${2:-127.0.0.1}
PORT=${3:-8888}
ROOT_DIR=${NOTEBOOK_DIR:-notebooks}
TOKEN=${JUPYTER_TOKEN:-$("$BIN/python" -c 'import secrets; print(secrets.token_hex(24))')}

case "$IP" in
  0.0.0.0 | "*" | "")
    shown_host=$(hostname 2>/dev/null || echo localhost); probe=127.0.0.1
    remote="Listening on every network interface: other computers can open it too." ;;
  *)
    shown_host=$IP; probe=$IP
    remote="From another computer: ssh -L $PORT:$IP:$PORT you@this-machine, then open the URL there." ;;
esac
URL="http://$shown_host:$PORT/lab?token=$TOKEN"

args=(lab --no-browser --ip="$IP" --port="$PORT" --ServerApp.port_retries=0
      --IdentityProvider.token="$TOKEN" --ServerApp.root_dir="$ROOT_DIR")
if [ "$(id -u)" = 0 ]; then
  args+=(--allow-root)   # Jupyter refuses root without it (containers, course VMs)
fi

# Once the server answers on its port, print the URL where nobody can miss it. This watcher
# runs beside the server; $$ is the server itself once `exec` below has replaced this shell.
server=$$
(
  for _ in $(seq 1 240); do
    kill -0 "$server" 2>/dev/null || exit 0
    if "$BIN/python" -c "import socket; socket.create_connection(('$probe', $PORT), 0.5).close()" \
        2>/dev/null; then
      cat <<BANNER

==============================================================================================
  JupyterLab is running on $ROOT_DIR/. Open this URL in your browser:

      $URL

  $remote
  Stop the server: Ctrl-C twice in this terminal.
==============================================================================================

BANNER
      exit 0
    fi
    sleep 0.5
  done
) &

exec "$BIN/jupyter" "${args[@]}"
