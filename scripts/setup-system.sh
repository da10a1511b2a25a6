#!/usr/bin/env bash
# Debian packages jixiao can use. All optional at run time; the tests use them when present.
#   poppler-utils            pdftoppm: rasterise PDFs (OCR tests)
#   tesseract-ocr(-chi-sim)  the second OCR engine for scanned PDFs (jixiao run --ocr-engine tesseract)
#   libreoffice-*-nogui      convert legacy .doc/.wps/.xls, rebuild samples/ (scripts/build_samples.py)
#   fonts-noto-cjk           Chinese glyphs when LibreOffice renders PDFs
#   libgl1 libglib2.0-0      what the opencv-python wheel links against (OCR of scanned pages)
#   chromium                 headless browser: the tests load report.html in it (tests/test_browser.py)
set -u
PKGS="poppler-utils tesseract-ocr tesseract-ocr-chi-sim libreoffice-writer-nogui libreoffice-calc-nogui fonts-noto-cjk libgl1 libglib2.0-0 chromium"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && { echo "setup-system: all Debian packages present"; exit 0; }
SUDO=""
[ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null && SUDO="sudo -n"
if ! command -v apt-get >/dev/null; then
  echo "setup-system: no apt-get; install by hand:$missing (optional: OCR and legacy formats need them)"; exit 0
fi
echo "setup-system: installing$missing"
$SUDO apt-get update -qq >/dev/null 2>&1
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null 2>&1 \
  || echo "setup-system: could not install$missing (continuing; OCR/.doc features will report needs_ocr/needs_converter)"
exit 0
