// SPDX-License-Identifier: GPL-2.0
/* exitstat: the guest-side reader of the KVM exit statistics leaves. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"

static int run_and_wait(void *ctx, char *const argv[], bool stdout_to_stderr,
			char *err, size_t errlen)
{
	struct sigaction ignore = { .sa_handler = SIG_IGN }, old_int, old_quit;
	int status, exec_errno = 0, pipefd[2];
	pid_t pid;

	(void)ctx;
	/* A pipe closed on exec tells the parent whether exec worked. */
	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return 127;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		return 127;
	}
	if (pid == 0) {
		close(pipefd[0]);
		if (!stdout_to_stderr || dup2(STDERR_FILENO, STDOUT_FILENO) >= 0)
			execvp(argv[0], argv);
		exec_errno = errno;
		(void)!write(pipefd[1], &exec_errno, sizeof(exec_errno));
		_exit(127);
	}
	close(pipefd[1]);
	/* Like perf stat: ^C goes to the command, exitstat still reports. */
	sigaction(SIGINT, &ignore, &old_int);
	sigaction(SIGQUIT, &ignore, &old_quit);
	if (read(pipefd[0], &exec_errno, sizeof(exec_errno)) !=
	    sizeof(exec_errno))
		exec_errno = 0;
	close(pipefd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	if (exec_errno) {
		snprintf(err, errlen, "cannot run %s: %s", argv[0],
			 strerror(exec_errno));
		return exec_errno == ENOENT ? 127 : 126;
	}
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

static void sleep_seconds(void *ctx, double seconds)
{
	struct timespec ts = {
		.tv_sec = (time_t)seconds,
		.tv_nsec = (long)((seconds - (double)(time_t)seconds) * 1e9),
	};

	(void)ctx;
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static double monotonic_seconds(void *ctx)
{
	struct timespec ts;

	(void)ctx;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	const struct es_env env = {
		.cpuid = es_cpuid_hw,
		.run = run_and_wait,
		.sleep = sleep_seconds,
		.now = monotonic_seconds,
		.out = stdout,
		.err = stderr,
	};

	return exitstat_main(argc, argv, &env);
}
