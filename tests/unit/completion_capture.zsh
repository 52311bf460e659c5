#!/usr/bin/env zsh
# Run zsh's real completion on a command line and print the candidates it offers.
# usage: zsh completion_capture.zsh SCRIPT 'command line'
# An interactive zsh in a pseudo-terminal (zpty) loads compinit and SCRIPT; compadd is
# wrapped to print every candidate it is given; a TAB on the line runs the completion
# once the line editor reads the line.
zmodload zsh/zpty
zpty capture zsh -f -i
zpty -w capture "PROMPT=''; RPROMPT=''"
zpty -w capture "autoload -U compinit && compinit -u -D"
zpty -w capture "source ${(q)1}"
zpty -w capture "bindkey '^I' complete-word"
zpty -w capture "zstyle ':completion:*' list-grouped false"
zpty -w capture "zstyle ':completion:*' insert-tab false"
zpty -w capture 'compadd () {
  if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return $?; fi
  typeset -a __hits
  builtin compadd -A __hits "$@"
  local h; for h in $__hits; do echo -E - "<<$IPREFIX$h>>"; done
}'
# The line editor says when it reads a line: until then the terminal is in cooked
# mode, where the kernel would take the ^U below as "erase the line", TAB included.
zpty -w capture 'zle-line-init() { print -n "<<<LINE""-EDITOR>>>" }; zle -N zle-line-init'
zpty -w capture "echo BEGIN-CAPTURE"
zpty -r capture line '*BEGIN-CAPTURE*'
zpty -r capture line '*BEGIN-CAPTURE*'
zpty -r capture line '*<<<LINE-EDITOR>>>*'
zpty -w -n capture "$2"$'\t'
zpty -w capture $'\C-u'"echo END""-CAPTURE"
out=''
integer deadline=$(( SECONDS + 20 ))
while (( SECONDS < deadline )) && [[ $out != *END-CAPTURE* ]]; do
  zpty -rt capture chunk && out+=$chunk || sleep 0.05
done
zpty -d capture
[[ $out == *END-CAPTURE* ]] || { print -u2 "no answer from zsh within 20 s"; exit 1; }
print -r -- "$out" | tr -d '\r' | grep -o '<<[^>]*>>' | sed 's/^<<//; s/>>$//' | sort -u
