#!/usr/bin/env bash
# Make sure graphviz's `dot` program is there: it renders the graph pictures.
# Without it everything still runs, and pictures fall back to their DOT text.
set -u
if command -v dot >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "graphviz's dot is missing: installing it with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  if apt-get update -qq && apt-get install -y -qq --no-install-recommends graphviz >/dev/null; then
    command -v dot >/dev/null 2>&1 && exit 0
  fi
  echo "warning: apt-get could not install graphviz; graphs will be saved as DOT text only" >&2
  exit 0
fi
cat >&2 <<'MSG'
warning: graphviz's `dot` program is missing, so graphs are saved as DOT text only.
         Install it to get SVG/PNG pictures:
           Debian/Ubuntu: sudo apt-get install graphviz
           macOS:         brew install graphviz
           conda:         conda install -c conda-forge graphviz
MSG
exit 0
