/*
** atomic_file.h — replace a file all at once: write to a temporary file in
** the target's directory, then fsync and rename() it over the target. A
** reader sees either the old file or the complete new one, never a partial
** write; on failure (or SIGINT/SIGTERM) the temporary file is removed and
** whatever was at the target before stays untouched.
**
** One atomic file may be open at a time per process: the signal handler
** that removes the temporary file needs its path in static storage.
*/
#ifndef WP_ATOMIC_FILE_H
#define WP_ATOMIC_FILE_H

#define WP_ATOMIC_PATH_MAX 4096

typedef struct {
    char target[WP_ATOMIC_PATH_MAX];
    char tmp[WP_ATOMIC_PATH_MAX];   /* ".<name>.tmp.<pid>.gpkg" beside target */
    int active;                     /* begun and neither committed nor aborted */
} wp_atomic_file;

/* Choose the temporary path for target (its extension is kept last so
** format drivers that check it stay quiet), check that the target's
** directory exists, remove a stale temporary of the same name, and arm the
** signal cleanup. Returns 0, or -1 with a message in err (directory
** missing, path too long, another atomic file already active). Nothing is
** created on disk: the caller creates af->tmp itself. */
int wp_atomic_begin(wp_atomic_file *af, const char *target,
                    char *err, int errlen);

/* The temporary file is complete and closed: fsync it, rename it over the
** target, fsync the directory. Returns 0, or -1 with a message in err; on
** failure the temporary file has been removed (as by wp_atomic_abort). */
int wp_atomic_commit(wp_atomic_file *af, char *err, int errlen);

/* Remove the temporary file and the SQLite side files that may sit beside
** it (-journal, -wal, -shm); disarm the signal cleanup. Safe to call on an
** inactive or already committed af. */
void wp_atomic_abort(wp_atomic_file *af);

#endif
