# Two commands on a fresh machine: `make demo` (set up, screen the bundled fixtures, score the extraction) and
# `make test`. Everything else here is what those two are made of.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
APT_PACKAGES := fonts-dejavu-core tesseract-ocr tesseract-ocr-rus tesseract-ocr-kaz ghostscript chromium
STAMP := $(VENV)/.installed

.PHONY: setup apt fixtures scans demo test bench bench-bulk bench-letters bench-draws screenshot lint clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# System packages: DejaVu fonts to render the fixture PDFs; Tesseract with Russian, Kazakh (and English, which
# tesseract-ocr brings) and Ghostscript for OCR of scanned pages; Chromium for the review workspace's browser test
# (Playwright drives it; nothing is downloaded). Installed only when missing.
apt:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq $$missing; \
	fi

setup: apt $(STAMP)

SETS := fixtures/verdicts fixtures/verdicts/heldout fixtures/verdicts/blind fixtures/verdicts/blind2 fixtures/verdicts/blind3 fixtures/verdicts/blind4 \
	fixtures/verdicts/kk fixtures/verdicts/kk-blind fixtures/verdicts/en fixtures/verdicts/en-blind

fixtures: setup
	for set in $(SETS); do $(BIN)/python -m extractor.fixtures $$set build/$$set; done

scans: setup
	for set in $(SETS); do $(BIN)/python -m extractor.fixtures --scans $$set build/scans/$$set; done

# The main job on the bundled verdicts: screened into a store (a re-run resumes; --force reads all again), exported
# as JSON Lines and CSV, a one-page HTML report, then the scores against the gold files.
demo: fixtures
	$(BIN)/verdicts screen $(SETS:%=build/%/pdf) \
		--db build/demo.sqlite --jsonl build/demo.jsonl --csv build/demo.csv
	$(BIN)/verdicts report --db build/demo.sqlite --html build/demo-report.html
	for set in $(SETS); do $(BIN)/verdicts evaluate --gold $$set --pred build/demo.jsonl; done

test: setup
	$(BIN)/python -m pytest

bench: fixtures
	test -d build/scans/fixtures/verdicts/scans || \
		$(BIN)/python -m extractor.fixtures --scans fixtures/verdicts build/scans/fixtures/verdicts
	$(BIN)/python -m extractor.bench build/fixtures/verdicts/pdf
	$(BIN)/python -m extractor.bench --scans build/scans/fixtures/verdicts/scans --limit 10

# Bulk screening as a clerk runs it: 1,000 varied verdicts and a zoo of 21 bad files, one `verdicts screen`,
# peak memory of the process tree, decisions checked against the corpus manifest (about 5 minutes on 2 cores).
BULK_COUNT ?= 1000
bench-bulk: setup
	test -f build/bulk/manifest.json || $(BIN)/python -m extractor.corpus build/bulk --count $(BULK_COUNT) --zoo
	$(BIN)/python -m extractor.bench --bulk build/bulk

# How OCR reads the Kazakh letters (ә ғ қ ң ө ұ ү һ і) of the Kazakh scans, with and without Tesseract's kaz model.
bench-letters: scans
	$(BIN)/python -m extractor.bench --letters build/scans/fixtures/verdicts/kk/scans --text fixtures/verdicts/kk
	$(BIN)/python -m extractor.bench --letters build/scans/fixtures/verdicts/kk-blind/scans --text fixtures/verdicts/kk-blind

# Every gold set on DRAWS other photocopies (noise and skew drawn again): how much the scanned figures owe to the
# one draw `make scans` makes (about 4 minutes a draw on 2 cores).
DRAWS ?= 3
bench-draws: setup
	$(BIN)/python -m extractor.bench --draws $(DRAWS) build/draws $(SETS:%=--gold %)

# The case view of the review workspace as docs/review-case.png (the browser test takes it).
screenshot: setup
	VERDICTS_SCREENSHOT=$(CURDIR)/docs/review-case.png $(BIN)/python -m pytest -q tests/test_browser.py

lint: setup
	$(BIN)/ruff check .

clean:
	rm -rf build $(VENV)
