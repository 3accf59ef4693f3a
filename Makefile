# Thin wrapper over scripts/ for those who prefer make. The scripts are the
# source of truth (a fresh Debian machine may not have make installed).
.PHONY: all deps build demo test asan fuzz bench format clean
all: build
deps:
	scripts/install-deps
build:
	scripts/build release
demo:
	scripts/demo
test:
	scripts/test
asan:
	scripts/build asan
fuzz:
	scripts/build fuzz
bench:
	bench/run
format:
	git ls-files '*.cc' '*.h' | xargs clang-format -i
clean:
	rm -rf build build-asan build-fuzz
