# bench/bench.mk — `make bench`: build the solver benchmark drivers into
# $(BUILD)/bench/, generate the allocation instances there (cached by size
# and seed) and run bench/run.py, which times wasteplan's min-cost flow
# against LEMON, CLP and GLPK and checks that they agree. Included by the
# top Makefile. `make bench BENCH_QUICK=1` runs only the 1,000-source
# instance; BENCH_ARGS passes further options to run.py (see run.py --help).

BENCH_DIR  := $(BUILD)/bench
CXX        ?= c++
BENCH_CXXFLAGS := -O2 -g -std=c++14 -Wall -Wextra -Wshadow
# LEMON's own headers trip GCC 12's -Wmaybe-uninitialized through inlining
BENCH_CXXFLAGS += -Wno-maybe-uninitialized
CLP_CFLAGS := $(shell pkg-config --cflags clp 2>/dev/null)
CLP_LIBS   := $(shell pkg-config --libs clp 2>/dev/null || echo -lClp -lCoinUtils)
BENCH_HDR  := bench/dimacs.h
BENCH_COMMON := $(BENCH_DIR)/dimacs.o

BENCH_DRIVERS := $(BENCH_DIR)/peer_lemon $(BENCH_DIR)/peer_clp $(BENCH_DIR)/peer_glpk
# wasteplan's own solver joins as soon as its source exists; it is compiled
# straight from planner/mincostflow.c so that a half-finished file elsewhere
# in planner/ cannot stop the benchmark.
ifneq ($(wildcard planner/mincostflow.c),)
BENCH_DRIVERS += $(BENCH_DIR)/wp_mcf
endif

.PHONY: bench bench-drivers
bench: bench-drivers $(WASTEPLAN) $(BUILD)/tests/tool_siting
	$(PY) bench/run.py --build $(BUILD) $(if $(BENCH_QUICK),--quick) $(BENCH_ARGS)
	$(PY) bench/bench_network.py $(BUILD) $(if $(BENCH_QUICK),--quick)
	$(PY) bench/bench_multiperiod.py $(BUILD) $(if $(BENCH_QUICK),--quick)
	$(if $(wildcard bench/bench_siting.py),$(PY) bench/bench_siting.py $(BUILD) $(if $(BENCH_QUICK),--quick))

bench-drivers: $(BENCH_DRIVERS)

$(BENCH_DIR)/dimacs.o: bench/dimacs.c $(BENCH_HDR)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(BENCH_DIR)/mincostflow.o: planner/mincostflow.c planner/mincostflow.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(BENCH_DIR)/wp_mcf: bench/wp_mcf.c $(BENCH_DIR)/mincostflow.o $(BENCH_COMMON) $(BENCH_HDR)
	$(CC) $(CFLAGS) -o $@ $< $(BENCH_DIR)/mincostflow.o $(BENCH_COMMON) -lm

$(BENCH_DIR)/peer_lemon: bench/peer_lemon.cpp $(BENCH_COMMON) $(BENCH_HDR)
	@mkdir -p $(dir $@)
	$(CXX) $(BENCH_CXXFLAGS) -o $@ $< $(BENCH_COMMON)

$(BENCH_DIR)/peer_clp: bench/peer_clp.c $(BENCH_COMMON) $(BENCH_HDR)
	$(CC) $(CFLAGS) $(CLP_CFLAGS) -o $@ $< $(BENCH_COMMON) $(CLP_LIBS) -lm

$(BENCH_DIR)/peer_glpk: bench/peer_glpk.c $(BENCH_COMMON) $(BENCH_HDR)
	$(CC) $(CFLAGS) -o $@ $< $(BENCH_COMMON) -lglpk -lm
