#!/usr/bin/env bash
# Renders the Limelight watermark (a transparent PNG) with ffmpeg; the result is committed as
# providers/media/assets/watermark.png, so this only runs again when the mark changes.
#   bash scripts/make-watermark.sh [output.png]
set -euo pipefail

FFMPEG="${FFMPEG_PATH:-ffmpeg}"
OUT="${1:-$(cd "$(dirname "$0")/.." && pwd)/providers/media/assets/watermark.png}"
FONT="${WATERMARK_FONT:-/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf}"
W=420
H=100

mkdir -p "$(dirname "$OUT")"
FILTERS="$("$FFMPEG" -hide_banner -filters 2>/dev/null || true)"
if [[ "$FILTERS" == *" drawtext "* ]] && [ -f "$FONT" ]; then
  # A spotlight disc and the word "Limelight": white with a dark outline and shadow, legible on any picture.
  "$FFMPEG" -hide_banner -loglevel error -y \
    -f lavfi -i "color=c=black@0.0:s=${W}x${H},format=rgba" \
    -vf "geq=r='255':g='235':b='80':a='if(lte(hypot(X-50,Y-50),38),255*(1-0.35*hypot(X-50,Y-50)/38),0)',drawtext=fontfile=${FONT}:text=Limelight:fontsize=58:fontcolor=white:borderw=4:bordercolor=black@0.85:shadowx=2:shadowy=2:shadowcolor=black@0.6:x=100:y=(h-text_h)/2" \
    -frames:v 1 -pix_fmt rgba "$OUT"
else
  # No drawtext here: a lime spotlight disc and a white bar with a dark frame.
  "$FFMPEG" -hide_banner -loglevel error -y \
    -f lavfi -i "color=c=black@0.0:s=${W}x${H},format=rgba" \
    -vf "geq=r='255':g='if(lte(hypot(X-50,Y-50),38),235,255)':b='if(lte(hypot(X-50,Y-50),38),80,255)':a='if(lte(hypot(X-50,Y-50),38),255,if(between(X,100,390)*between(Y,30,70),255,0))',drawbox=x=98:y=28:w=294:h=44:color=black@0.85:t=4" \
    -frames:v 1 -pix_fmt rgba "$OUT"
fi
echo "$OUT ($(wc -c <"$OUT") bytes)"
