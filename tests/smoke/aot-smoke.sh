#!/usr/bin/env bash
# Smoke test of the shipped binary (the NativeAOT `marcel` by default): the things a user does first, on loopback.
#   tests/smoke/aot-smoke.sh [path/to/marcel]
# Prints one "ok"/"not ok"/"skip" line per check and a final "smoke: N passed, N failed, N skipped"; exits 1 on a failure.
# Every wait is bounded (timeout); every process started here is stopped on exit.
set -uo pipefail

marcel=${1:-"$(dirname "$0")/../../src/Marcel.Cli/bin/Release/net10.0/linux-x64/publish/marcel"}
marcel=$(realpath "$marcel")
work=$(mktemp -d)
pids=()
passed=0 failed=0 skipped=0

cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  wait 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

ok()      { echo "ok - $1"; passed=$((passed + 1)); }
not_ok()  { echo "not ok - $1"; shift; printf '%s\n' "$@" | sed 's/^/    /'; failed=$((failed + 1)); }
skip()    { echo "skip - $1"; skipped=$((skipped + 1)); }

# Waits (at most 15 s) until FILE contains text matching REGEX; prints the first match.
await_match() {
  local file=$1 regex=$2
  for _ in $(seq 150); do
    if grep -qE "$regex" "$file" 2>/dev/null; then grep -oE "$regex" "$file" | head -n 1; return 0; fi
    sleep 0.1
  done
  return 1
}

# English, and no proxy between us and 127.0.0.1.
export LANG=C.UTF-8
unset LC_ALL http_proxy HTTP_PROXY https_proxy HTTPS_PROXY all_proxy ALL_PROXY

[ -x "$marcel" ] || { echo "not ok - no executable at $marcel"; echo "smoke: 0 passed, 1 failed, 0 skipped"; exit 1; }

# 1. --version names the build and says it is the NativeAOT binary.
version=$(timeout 10 "$marcel" --version 2>&1)
if [[ "$version" =~ ^marcel\ [0-9]+\.[0-9]+\.[0-9]+ ]] && [[ "$version" == *"(NativeAOT, "* ]]; then
  ok "--version: $(tr '\n' ' ' <<<"$version")"
else
  not_ok "--version prints the version and NativeAOT" "$version"
fi

# 2. The French resources are compiled into the binary: LANG picks them (and --lang too).
french=$(LANG=fr_FR.UTF-8 timeout 10 "$marcel" serve --help 2>&1)
if grep -q "Lancer le serveur de dialogue" <<<"$french" && grep -q "Afficher l'aide" <<<"$french"; then
  ok "LANG=fr_FR.UTF-8 serve --help is in French"
else
  not_ok "LANG=fr_FR.UTF-8 serve --help is in French" "$french"
fi

# 3. serve + connect on loopback: a piped conversation ends with the server's goodbye.
timeout 60 "$marcel" serve --host 127.0.0.1 --port 0 --keep-open </dev/null >"$work/serve.out" 2>&1 &
serve_pid=$!; pids+=("$serve_pid")
if port=$(await_match "$work/serve.out" 'Listening on 127\.0\.0\.1:[0-9]+'); then
  port=${port##*:}
  talk=$(printf 'bonjour\nFIN\n' | timeout 20 "$marcel" connect 127.0.0.1 "$port" 2>&1); status=$?
  if [ "$status" -eq 0 ] && grep -q "Goodbye!" <<<"$talk" && await_match "$work/serve.out" 'C> bonjour' >/dev/null; then
    ok "serve --port 0 + connect 127.0.0.1 $port: bonjour, FIN, goodbye"
  else
    not_ok "serve + connect: bonjour, FIN, goodbye" "connect exited $status:" "$talk" "serve:" "$(cat "$work/serve.out")"
  fi
  # A server stopped by SIGTERM exits 0 after its graceful shutdown.
  kill -TERM "$serve_pid"
  if timeout 15 tail --pid="$serve_pid" -f /dev/null && wait "$serve_pid"; then
    ok "serve stops with exit code 0 on SIGTERM"
  else
    not_ok "serve stops with exit code 0 on SIGTERM" "$(cat "$work/serve.out")"
  fi
else
  not_ok "serve --port 0 prints its address" "$(cat "$work/serve.out")"
fi

# 3b. A refused connection is one line on stderr and exit code 3, in French too (resources and ICU at work).
closed=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
refused=$(timeout 10 "$marcel" --lang fr connect 127.0.0.1 "$closed" 2>&1 </dev/null); status=$?
if [ "$status" -eq 3 ] && grep -q "connexion refusée" <<<"$refused"; then
  ok "connect to a closed port: exit 3, \"$refused\""
else
  not_ok "connect to a closed port: exit 3 and a French message" "exit $status:" "$refused"
fi

# 4. fetch of a small local page, once `marcel fetch` exists (it is being built beside this script). An unknown
# command with --help still exits 0 (System.CommandLine shows the root help), so the usage line must name it too.
if fetch_help=$(timeout 10 "$marcel" fetch --help 2>&1) && grep -q '^  marcel fetch' <<<"$fetch_help"; then
  mkdir -p "$work/site"
  { echo '<!doctype html><title>Marcel smoke</title>'; for i in $(seq 20); do echo "<p>Ligne $i : bonjour, l'été à Orléans.</p>"; done; } >"$work/site/page.html"
  (cd "$work/site" && exec timeout 60 python3 -u -m http.server 0 --bind 127.0.0.1) >"$work/http.out" 2>&1 &
  pids+=("$!")
  if http_port=$(await_match "$work/http.out" 'port [0-9]+'); then
    http_port=${http_port##* }
    timeout 20 "$marcel" fetch "http://127.0.0.1:$http_port/page.html" >"$work/fetched" 2>"$work/fetch.err"; status=$?
    if [ "$status" -eq 0 ] && cmp -s "$work/site/page.html" "$work/fetched"; then
      ok "fetch http://127.0.0.1:$http_port/page.html > file: the page's bytes"
    else
      not_ok "fetch of a local page" "fetch exited $status; stderr:" "$(cat "$work/fetch.err")" "stdout:" "$(head -c 2000 "$work/fetched")"
    fi
  else
    not_ok "python3 -m http.server starts" "$(cat "$work/http.out")"
  fi
else
  skip "fetch (marcel fetch --help shows no fetch usage: the command is not in this build)"
fi

# 5. Shell completion through completion/marcel.bash, the way bash calls it.
completion=$(bash -c '
  . "$1"; line="$2 serve --e"
  COMP_LINE=$line COMP_POINT=${#line} COMP_WORDS=("$2" serve --e) COMP_CWORD=2
  _marcel; printf "%s\n" "${COMPREPLY[@]}"' _ "$(dirname "$0")/../../completion/marcel.bash" "$marcel" 2>&1)
if [ "$completion" = "--eol" ]; then
  ok "bash completion: marcel serve --e<TAB> gives --eol"
else
  not_ok "bash completion: marcel serve --e<TAB> gives --eol" "$completion"
fi

# 6. The browser room from the shipped binary (Kestrel, the embedded page, the WebSocket: all trimmed and compiled
# ahead of time): the page with its headers, one WebSocket round trip with wscat, and the goodbye on SIGTERM.
timeout 60 "$marcel" serve --chat --host 127.0.0.1 --port 0 --web 0 </dev/null >"$work/web.out" 2>&1 &
web_pid=$!; pids+=("$web_pid")
if page=$(await_match "$work/web.out" 'Page: http://127\.0\.0\.1:[0-9]+/'); then
  page=${page#Page: }
  web_port=${page##*:}; web_port=${web_port%/}
  if command -v curl >/dev/null; then
    curl -sS --max-time 10 -D "$work/web.headers" -o "$work/web.html" "$page" 2>"$work/curl.err"; status=$?
    headers=$(tr -d '\r' <"$work/web.headers" 2>/dev/null)
    if [ "$status" -eq 0 ] && head -n 1 <<<"$headers" | grep -q '^HTTP/[0-9.]* 200' \
      && grep -qi '^content-security-policy: ' <<<"$headers" && grep -qi '^x-content-type-options: nosniff' <<<"$headers" \
      && ! grep -qi '^server:' <<<"$headers" && grep -q '<script src="/app.js"' "$work/web.html"; then
      ok "serve --chat --web 0: GET $page is 200 with Content-Security-Policy, X-Content-Type-Options, no Server"
    else
      not_ok "serve --chat --web 0: GET $page" "curl exited $status: $(cat "$work/curl.err")" "$headers"
    fi
  else
    skip "the browser room's page (no curl)"
  fi

  wscat_ran=0
  if command -v wscat >/dev/null; then
    wscat_ran=1
    # wscat reads its stdin once connected and prints what it receives: fed through a FIFO held open here, so that it
    # answers when the room has greeted it rather than after a guessed delay.
    mkfifo "$work/ws.in"
    timeout 30 wscat -c "ws://127.0.0.1:$web_port/ws" -o "http://127.0.0.1:$web_port" <"$work/ws.in" >"$work/ws.out" 2>&1 &
    pids+=("$!")
    exec 9>"$work/ws.in"
    if await_match "$work/ws.out" 'Welcome' >/dev/null && echo "/who" >&9 && await_match "$work/ws.out" 'from 127\.0\.0\.1:[0-9]+ \(browser\)' >/dev/null; then
      ok "wscat ws://127.0.0.1:$web_port/ws: welcomed, /who answered with a browser member"
    else
      not_ok "wscat ws://127.0.0.1:$web_port/ws: welcome and /who" "$(cat "$work/ws.out")" "serve:" "$(cat "$work/web.out")"
    fi
  else
    skip "the browser room's WebSocket (no wscat: .ci/run installs it from npm)"
  fi

  kill -TERM "$web_pid"
  if timeout 15 tail --pid="$web_pid" -f /dev/null && wait "$web_pid"; then
    if [ "$wscat_ran" -eq 0 ] || await_match "$work/ws.out" 'Goodbye' >/dev/null; then
      ok "serve --chat --web stops with exit code 0 on SIGTERM, browser members told goodbye"
    else
      not_ok "browser members are told goodbye on SIGTERM" "$(cat "$work/ws.out")"
    fi
  else
    not_ok "serve --chat --web stops with exit code 0 on SIGTERM" "$(cat "$work/web.out")"
  fi
  [ "$wscat_ran" -eq 0 ] || exec 9>&-
else
  not_ok "serve --chat --web 0 prints its page's address" "$(cat "$work/web.out")"
fi

echo "smoke: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
