/*
** sha256.h — SHA-256 (FIPS 180-4) of a byte stream or a whole file, so the
** output can record exactly which input data a plan was computed from.
*/
#ifndef WP_SHA256_H
#define WP_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint32_t h[8];        /* chaining state */
    uint64_t bytes;       /* message length so far */
    unsigned char buf[64];/* pending partial block */
    size_t fill;          /* bytes used in buf, < 64 */
} wp_sha256;

void wp_sha256_init(wp_sha256 *s);
void wp_sha256_update(wp_sha256 *s, const void *data, size_t n);
/* Finish and write the digest as 64 lower-case hex digits plus NUL. */
void wp_sha256_final(wp_sha256 *s, char hex[65]);

/* Digest of the file at path into hex. Returns 0, or -1 with a message
** naming the file in err when it cannot be opened or read. */
int wp_sha256_file(const char *path, char hex[65], char *err, int errlen);

/* One SHA-256 over the files in order, as if concatenated (a shapefile's
** .shp, .shx, .dbf, .prj, .cpg: every file that carries its data). */
int wp_sha256_files(const char *const *paths, int n, char hex[65], char *err, int errlen);

#endif
