# Sourced by the experiment scripts (run from the project's root, with $shared set to ../shared or its stand-in).
# enhancenet_model S DIR: EnhanceNet-PAT rebuilt for factor S into DIR unless it is there, from $ENHANCENET_CHECKPOINT,
# else ../shared's original weights, else the checkpoint `srtune build enhancenet` fetches into the model cache.
enhancenet_model() {
  local s="$1" dir="$2"
  [ -f "$dir/saved_model.pb" ] && return 0
  local ckpt="${ENHANCENET_CHECKPOINT:-$shared/models/enhancenet/weights}"
  if [ -f "$ckpt" ]; then
    scripts/srtune build enhancenet --checkpoint "$ckpt" --scale "$s" --out "$dir" >&2
  else
    scripts/srtune build enhancenet --scale "$s" --out "$dir" >&2
  fi
}
