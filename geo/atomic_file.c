/*
** atomic_file.c — temp-file-then-rename replacement of an output file. See
** atomic_file.h.
**
** Why a process-wide signal handler: an interrupted run must not leave a
** half-written ".tmp" file beside the user's output. The handler only
** unlink()s paths prepared in advance (async-signal-safe), restores the
** disposition that was in force before, and re-raises the signal so the
** process ends exactly as it would have without us. It is armed only while
** a temporary file exists, which is why one atomic file at a time suffices.
*/
#include "atomic_file.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The temporary file and SQLite's side files next to it. */
#define N_SIDE 4
static const char *const side_suffix[N_SIDE] = {"", "-journal", "-wal", "-shm"};

static char sig_paths[N_SIDE][WP_ATOMIC_PATH_MAX + 16];
static volatile sig_atomic_t sig_armed;
static struct sigaction old_int, old_term;

/* Remove the temporary files, put back the previous handler, re-raise. */
static void on_signal(int sig) {
    if (sig_armed) {
        for (int i = 0; i < N_SIDE; i++) unlink(sig_paths[i]);
        sig_armed = 0;
    }
    sigaction(sig, sig == SIGINT ? &old_int : &old_term, NULL);
    raise(sig);
}

/* Install the handler for SIGINT and SIGTERM, remembering the old ones. */
static int arm(const char *tmp) {
    for (int i = 0; i < N_SIDE; i++)
        snprintf(sig_paths[i], sizeof sig_paths[i], "%s%s", tmp, side_suffix[i]);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGINT, &sa, &old_int) != 0) return -1;
    if (sigaction(SIGTERM, &sa, &old_term) != 0) {
        sigaction(SIGINT, &old_int, NULL);
        return -1;
    }
    sig_armed = 1;
    return 0;
}

/* Restore the handlers that were in force before arm(). */
static void disarm(void) {
    if (!sig_armed) return;
    sig_armed = 0;
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
}

/* Remove tmp and its side files; errors other than "not there" are
** ignored because there is nothing better to do with them on a failure path. */
static void remove_tmp(const char *tmp) {
    char p[WP_ATOMIC_PATH_MAX + 16];
    for (int i = 0; i < N_SIDE; i++) {
        snprintf(p, sizeof p, "%s%s", tmp, side_suffix[i]);
        unlink(p);
    }
}

/* Split target into its directory (without trailing slash, "." when none,
** "/" for the root) and its last component. Returns -1 when too long. */
static int split_path(const char *target, char *dir, size_t dirlen,
                      const char **base) {
    const char *slash = strrchr(target, '/');
    if (!slash) {
        *base = target;
        return snprintf(dir, dirlen, ".") >= (int)dirlen ? -1 : 0;
    }
    *base = slash + 1;
    size_t n = (size_t)(slash - target);
    if (n == 0) n = 1;               /* "/file" lives in "/" */
    if (n >= dirlen) return -1;
    memcpy(dir, target, n);
    dir[n] = '\0';
    return 0;
}

int wp_atomic_begin(wp_atomic_file *af, const char *target,
                    char *err, int errlen) {
    memset(af, 0, sizeof *af);
    if (sig_armed) {
        snprintf(err, (size_t)errlen,
                 "%s: another output file is still being written", target);
        return -1;
    }
    if (!target || !*target) {
        snprintf(err, (size_t)errlen, "no output path given");
        return -1;
    }
    if (strlen(target) >= sizeof af->target) {
        snprintf(err, (size_t)errlen, "output path is too long: %.80s...", target);
        return -1;
    }
    char dir[WP_ATOMIC_PATH_MAX];
    const char *base;
    if (split_path(target, dir, sizeof dir, &base) < 0 || !*base) {
        snprintf(err, (size_t)errlen, "%s: not a file name (ends in '/')", target);
        return -1;
    }
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(err, (size_t)errlen,
                 "%s: output directory %s does not exist; create it first",
                 target, dir);
        return -1;
    }
    if (stat(target, &st) == 0 && S_ISDIR(st.st_mode)) {
        snprintf(err, (size_t)errlen,
                 "%s: is a directory; give a file name for the output", target);
        return -1;
    }
    /* Keep the extension last: ".out.gpkg.tmp.123.gpkg". */
    const char *ext = strrchr(base, '.');
    if (!ext || ext == base) ext = "";
    int n = snprintf(af->tmp, sizeof af->tmp, "%s/.%s.tmp.%ld%s", dir, base,
                     (long)getpid(), ext);
    if (n < 0 || (size_t)n >= sizeof af->tmp) {
        snprintf(err, (size_t)errlen, "output path is too long: %.80s...", target);
        return -1;
    }
    memcpy(af->target, target, strlen(target) + 1);
    /* The name carries our pid, so an existing file is a leftover of ours. */
    remove_tmp(af->tmp);
    if (arm(af->tmp) != 0) {
        snprintf(err, (size_t)errlen, "cannot install signal handlers: %s",
                 strerror(errno));
        return -1;
    }
    af->active = 1;
    return 0;
}

/* fsync a path opened read-only; EINVAL (fs without fsync for that kind
** of file, e.g. some directories) is not an error. */
static int fsync_path(const char *path, int flags) {
    int fd = open(path, O_RDONLY | flags);
    if (fd < 0) return -1;
    int rc = fsync(fd);
    int saved = errno;
    close(fd);
    if (rc != 0 && saved != EINVAL) {
        errno = saved;
        return -1;
    }
    return 0;
}

int wp_atomic_commit(wp_atomic_file *af, char *err, int errlen) {
    if (!af->active) {
        snprintf(err, (size_t)errlen, "internal error: commit without begin");
        return -1;
    }
    if (fsync_path(af->tmp, 0) != 0) {
        snprintf(err, (size_t)errlen, "%s: cannot sync the temporary file %s: %s",
                 af->target, af->tmp, strerror(errno));
        wp_atomic_abort(af);
        return -1;
    }
    if (rename(af->tmp, af->target) != 0) {
        snprintf(err, (size_t)errlen, "%s: cannot rename %s into place: %s",
                 af->target, af->tmp, strerror(errno));
        wp_atomic_abort(af);
        return -1;
    }
    /* The rename is durable only once the directory entry is on disk. */
    char dir[WP_ATOMIC_PATH_MAX];
    const char *base;
    if (split_path(af->target, dir, sizeof dir, &base) == 0)
        fsync_path(dir, O_DIRECTORY);
    remove_tmp(af->tmp);     /* only stale side files can be left now */
    disarm();
    af->active = 0;
    return 0;
}

void wp_atomic_abort(wp_atomic_file *af) {
    if (!af->active) return;
    remove_tmp(af->tmp);
    disarm();
    af->active = 0;
}
