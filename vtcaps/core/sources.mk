# The decoder core's source files, shared by vtcaps/Makefile (CLI, tests) and
# the module's Kbuild, e.g.  vtcaps-y += $(addprefix ../core/,$(VTC_CORE_OBJS))
VTC_CORE_OBJS := tables.o decode.o report.o linux_flags.o dump.o fmt.o
