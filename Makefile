# Relais — the two commands that matter are `make run` and `make test`.
.PHONY: run test assets build release bench fuzz soak clean

# Serve on SQLite in ./data with demonstration data, on http://127.0.0.1:8080.
run: assets
	cargo run -p relais -- serve --demo

# Everything CI checks: format, lints, tests on SQLite and PostgreSQL, browser tests.
test:
	scripts/test.sh

assets:
	scripts/assets.sh

build: assets
	cargo build -p relais

release: assets
	cargo build -p relais --release

# Statistics benchmarks; results are summarised in docs/PERFORMANCE.md.
bench:
	cargo bench -p relais-stats
	cargo bench -p relais-observatory

# Arbitrary input on every parser, importer and route: a million inputs per target (scripts/fuzz.sh).
fuzz:
	scripts/fuzz.sh

# Ten minutes of mixed traffic at 100 requests/s on the release build; errors and memory (scripts/soak.sh).
soak:
	scripts/soak.sh

clean:
	cargo clean
