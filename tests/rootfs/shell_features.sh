# A dash script exercising what a shell user relies on; its output must equal dash's on Linux.
cd /tmp
echo "pipeline: $(printf 'b\na\nc\n' | sort | tr 'a-c' 'A-C' | head -2 | tr '\n' ' ')"
printf 'one\ntwo\n' > out.txt
echo three >> out.txt
wc -l < out.txt
cat out.txt | grep -c o
cat /no/such/file > err.txt 2>&1; echo "cat rc=$? lines=$(wc -l < err.txt)"
{ echo to-stderr 1>&2; } 2>&1 | sed 's/^/captured: /'
true && echo and-ok; false || echo or-ok; false && echo never; true || echo never
( cd /; echo "subshell pwd: $(pwd)"; exit 3 ); echo "after subshell: $? $(pwd)"
count() { n=0; for word in "$@"; do n=$((n + 1)); done; echo "$n words"; }
count a 'b c' d
cat <<END
here-doc $((2 + 3)) $(echo nested)
END
cat <<'END'
quoted $HOME stays
END
trap 'echo trapped USR1' USR1
kill -USR1 $$
( sleep 1; echo background one ) &
first=$!
( echo background two ) &
wait $first; echo "waited first: $?"
wait; echo "all waited"
for f in out.txt err.txt; do [ -f "$f" ] && rm "$f" && echo "removed $f"; done
x=0; while [ $x -lt 3 ]; do x=$((x + 1)); done; echo "loop $x"
case "$(uname -s)" in *) echo "uname ran" ;; esac
: > /dev/shm/shell_features_a; echo shared > /dev/shm/shell_features_b
echo "/dev/shm: $(ls /dev/shm | grep shell_features_ | tr '\n' ' ')$(cat /dev/shm/shell_features_b)"
rm /dev/shm/shell_features_a /dev/shm/shell_features_b; echo "left: $(ls /dev/shm | grep -c shell_features_)"
( ulimit -n 50; echo "ulimit -n: $(ulimit -n)"; ulimit -c 0; echo "ulimit -c: $(ulimit -c)" )
set -e; false || echo "set -e tolerated ||"
trap 'echo exit trap' EXIT
echo done
