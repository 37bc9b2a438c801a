# vtlab top-level Makefile.  The two commands a newcomer runs:
#   make demo   - the main job (see README); KERNEL=6.12 or 7.2 for another kernel
#   make test   - every test (unit + lab); "make check" runs the unit tier only
#   make install [PREFIX=/usr/local] [DESTDIR=]: the vtcaps and exitstat
#                commands and their man pages only (builds them; no apt)
.PHONY: all deps demo test check bench clean install install-strip uninstall

all: deps
	$(MAKE) -C vtcaps
	$(MAKE) -C exitstat

deps:
	@./scripts/deps.sh

demo: all
	$(if $(KERNEL),DEMO_KERNEL='$(KERNEL)') ./scripts/demo

test: all
	./tests/run-all --tier all

check: all
	./tests/run-all --tier unit

install install-strip uninstall:
	$(MAKE) -C vtcaps $@
	$(MAKE) -C exitstat $@

bench: all
	./scripts/bench

clean:
	$(MAKE) -C vtcaps clean
	$(MAKE) -C exitstat clean
	rm -rf build
