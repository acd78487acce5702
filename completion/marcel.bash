# Bash completion for marcel, straight from its System.CommandLine [suggest] directive (no dotnet-suggest needed).
#   . completion/marcel.bash          (or copy it to ~/.local/share/bash-completion/completions/marcel)
_marcel() {
  # System.CommandLine expects the line to start with the command's own name, whatever path was typed.
  local typed=${COMP_WORDS[0]}
  local rest=${COMP_LINE#*"$typed"}
  local point=$((COMP_POINT - (${#COMP_LINE} - ${#rest}) + 6))
  local IFS=$'\n' suggestions
  suggestions=$(command "${typed/#\~/$HOME}" "[suggest:$point]" "marcel$rest" 2>/dev/null)
  # Its matches are by substring ("se" also gives --verbose); the shell wants those that start with the word.
  # shellcheck disable=SC2207
  COMPREPLY=($(compgen -W "$suggestions" -- "${COMP_WORDS[COMP_CWORD]}"))
}
complete -o default -F _marcel marcel
