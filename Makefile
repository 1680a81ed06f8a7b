# wasteplan — build, test, benchmark. See README.md for the two commands.
CC      ?= cc
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Wshadow -Wno-unused-parameter -pthread
PKGS     = gdal proj geos sqlite3 spatialite cbc
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
# planner/ may use the CBC MIP solver (siting), never GDAL/GEOS/PROJ
CBC_CFLAGS := $(shell pkg-config --cflags cbc 2>/dev/null)
GEOS_LIBS  := $(shell geos-config --clibs 2>/dev/null)
VERSION  := $(shell cat VERSION 2>/dev/null || echo 0.0.0)
BUILD    := build

PLANNER_SRC := $(sort $(wildcard planner/*.c))
GEO_SRC     := $(sort $(wildcard geo/*.c))
CLI_SRC     := $(sort $(wildcard cli/*.c))
PLANNER_OBJ := $(PLANNER_SRC:%.c=$(BUILD)/%.o)
GEO_OBJ     := $(GEO_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ     := $(CLI_SRC:%.c=$(BUILD)/%.o)
LIBPLANNER  := $(BUILD)/libplanner.a
LIBGEO      := $(BUILD)/libgeo.a
LIBCLI      := $(BUILD)/libcli.a
WASTEPLAN   := $(BUILD)/wasteplan

# unit tests: tests/test_*.c, each its own cmocka binary
TEST_SRC := $(sort $(wildcard tests/test_*.c))
TEST_BIN := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
# test helper programs: tests/tool_*.c (drivers the oracle scripts call)
TOOL_SRC := $(sort $(wildcard tests/tool_*.c))
TOOL_BIN := $(TOOL_SRC:tests/%.c=$(BUILD)/tests/%)

PY ?= /usr/bin/python3

.PHONY: all check demo bench clean deps unit oracle e2e sanitize
all: $(WASTEPLAN)

$(BUILD)/planner/%.o: planner/%.c $(wildcard planner/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(CBC_CFLAGS) -c $< -o $@

$(BUILD)/geo/%.o: geo/%.c $(wildcard geo/*.h planner/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -c $< -o $@

$(BUILD)/cli/%.o: cli/%.c $(wildcard cli/*.h geo/*.h planner/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -DWP_VERSION='"$(VERSION)"' -c $< -o $@

$(LIBPLANNER): $(PLANNER_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^
$(LIBGEO): $(GEO_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^
$(LIBCLI): $(filter-out $(BUILD)/cli/main.o,$(CLI_OBJ))
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

LIBS_ALL = $(LIBCLI) $(LIBGEO) $(LIBPLANNER) $(PKG_LIBS) $(GEOS_LIBS) -lm -pthread

$(WASTEPLAN): $(BUILD)/cli/main.o $(LIBCLI) $(LIBGEO) $(LIBPLANNER)
	$(CC) $(CFLAGS) -o $@ $< $(LIBS_ALL)

$(BUILD)/tests/%: tests/%.c $(LIBCLI) $(LIBGEO) $(LIBPLANNER) $(wildcard tests/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -o $@ $< $(LIBS_ALL) -lcmocka

# Install what a fresh Debian 12 machine lacks (needs root or sudo).
deps:
	sh tools/install-deps.sh

unit: $(TEST_BIN)
	@set -e; for t in $(TEST_BIN); do echo "== $$t"; $$t; done

oracle: $(TOOL_BIN) $(WASTEPLAN)
	@set -e; for t in $(sort $(wildcard tests/oracle_*.py)); do echo "== $$t"; $(PY) $$t $(BUILD); done

e2e: $(WASTEPLAN) $(TOOL_BIN)
	@set -e; for t in $(sort $(wildcard tests/e2e_*.sh tests/e2e_*.py)); do echo "== $$t"; \
	  case $$t in *.py) $(PY) $$t $(BUILD);; *) bash $$t $(BUILD);; esac; done

# Every test: unit tests, oracle cross-checks, end-to-end runs, then the unit
# tests again under AddressSanitizer/UBSan.
check: all unit oracle e2e sanitize
	@echo "check: all tests passed"

# Leaks inside CoinUtils itself are listed in tests/lsan.supp.
sanitize:
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	$(MAKE) BUILD=build-asan CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" unit

demo: $(WASTEPLAN)
	sh samples/jiaozuo/run.sh $(WASTEPLAN)

-include bench/bench.mk

clean:
	rm -rf build build-asan
