#!/bin/bash
# The reader's start as a user sees it, whole process, in tmux: from launch until the status
# bar shows the full count; a word typed right then, until the filter shows its results;
# and until nothing is loading any more. Each run is a next start (the first run of a new
# HOME builds the list cache and the index), then the peak memory of the last run.
#
#   cargo build --release
#   cargo run --release --example gen_corpus -- /tmp/c100000 100000
#   bash benches/reader_start.sh /tmp/c100000 100000 kiosquedix 10000 5
#
# The generator's marker word `kiosquedix` is in 10% of the articles.
set -u
dir=$1; count=$2; word=$3; expect=$4; runs=${5:-5}
bin=${KIOSQUE:-$(dirname "$0")/../target/release/kiosque}
export HOME=${BENCH_HOME:-/tmp/kiosque-reader-start}
mkdir -p "$HOME"
ms() { echo $(( ($2 - $1) / 1000000 )); }
for i in $(seq 1 "$runs"); do
  tmux kill-session -t rs 2>/dev/null
  start=$(date +%s%N)
  tmux new-session -d -s rs -x 120 -y 40 "env HOME=$HOME $bin $dir"
  until tmux capture-pane -p -t rs 2>/dev/null | grep -q "$count articles"; do sleep 0.005; done
  shown=$(date +%s%N)
  tmux send-keys -t rs /; tmux send-keys -t rs -l "$word"
  typed=$(date +%s%N)
  until tmux capture-pane -p -t rs | grep -q "$expect / $count"; do sleep 0.005; done
  found=$(date +%s%N)
  while tmux capture-pane -p -t rs | tail -1 | grep -qE "checking|indexing|reading"; do sleep 0.02; done
  settled=$(date +%s%N)
  pid=$(pgrep -f "^$bin $dir" | head -1)
  peak=$(awk '/VmHWM/ {print $2}' /proc/"$pid"/status)
  echo "run $i: count on screen $(ms "$start" "$shown") ms; results $(ms "$typed" "$found") ms after the last key; all checked and indexed $(ms "$start" "$settled") ms; peak RSS ${peak} kB"
  tmux send-keys -t rs Escape; sleep 0.1; tmux send-keys -t rs q; sleep 0.5
done
tmux kill-session -t rs 2>/dev/null
