# Relais — the two commands that matter are `make run` and `make test`.
.PHONY: run test assets build release bench clean

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

clean:
	cargo clean
