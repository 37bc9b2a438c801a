# exitstat's sources except main.c and the CPUID instruction: the tool and
# its unit tests (tests/exitstat/Makefile) both link these.
ES_LIB_SRCS := reasons.c snapshot.c report.c cli.c host.c text.c
