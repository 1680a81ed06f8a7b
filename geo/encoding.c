/*
** encoding.c — decide a layer's text encoding and decode its raw bytes to
** UTF-8 with iconv (glibc ships GB18030, GBK and the DOS/Windows code
** pages). Conversion errors are reported to the caller, never papered over
** with '?' or dropped bytes: a wrong company name in a plan is worse than a
** clear message.
*/
#include "encoding.h"

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* UTF-8 well-formedness per RFC 3629: the lead byte gives the length, every
** continuation byte is 10xxxxxx, and the second byte's range excludes
** overlong forms (E0, F0), surrogates (ED) and code points past U+10FFFF
** (F4). */
int wp_utf8_valid(const char *str, size_t n) {
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        size_t len, k;
        unsigned lo = 0x80, hi = 0xBF;
        if (c < 0x80) { i++; continue; }
        if (c >= 0xC2 && c <= 0xDF) len = 2;
        else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            if (c == 0xE0) lo = 0xA0;
            if (c == 0xED) hi = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            if (c == 0xF0) lo = 0x90;
            if (c == 0xF4) hi = 0x8F;
        } else return 0;
        if (i + len > n) return 0;
        if (s[i + 1] < lo || s[i + 1] > hi) return 0;
        for (k = 2; k < len; k++)
            if ((s[i + k] & 0xC0) != 0x80) return 0;
        i += len;
    }
    return 1;
}

int wp_is_ascii(const char *s) {
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80) return 0;
    return 1;
}

/* Case-insensitive comparison ignoring '-' and '_', so "utf8", "UTF-8" and
** "utf_8" are one name. */
static int enc_eq(const char *a, const char *b) {
    for (;;) {
        while (*a == '-' || *a == '_') a++;
        while (*b == '-' || *b == '_') b++;
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b)) return 0;
        if (!*a) return 1;
        a++;
        b++;
    }
}

static int is_utf8_name(const char *e) {
    return enc_eq(e, "UTF-8") || enc_eq(e, "65001");
}

/* GBK, GB2312 and CP936 are subsets of GB18030 (up to the odd euro sign at
** 0x80, which GB18030 lacks and CP936 maps): decoding them as GB18030
** accepts everything real files contain. */
static int is_gb_family(const char *e) {
    return enc_eq(e, "GBK") || enc_eq(e, "GB2312") || enc_eq(e, "CP936") ||
           enc_eq(e, "936") || enc_eq(e, "GB18030") || enc_eq(e, "EUC-CN");
}

/* See encoding.h. The decoder keeps the name it was given (normalised for
** UTF-8) so the layer record shows what the data declared. */
int wp_decoder_open(wp_decoder *d, const char *encoding, char *err, int errlen) {
    const char *from;
    iconv_t cd;

    memset(d, 0, sizeof *d);
    if (!encoding || !*encoding || is_utf8_name(encoding)) {
        snprintf(d->name, sizeof d->name, "UTF-8");
        d->is_utf8 = 1;
        return 0;
    }
    snprintf(d->name, sizeof d->name, "%s", encoding);
    from = is_gb_family(encoding) ? "GB18030" : encoding;
    cd = iconv_open("UTF-8", from);
    if (cd == (iconv_t)-1) {
        if (err)
            snprintf(err, (size_t)errlen, "unknown text encoding '%s' "
                     "(use e.g. GBK, GB18030 or UTF-8)", encoding);
        return -1;
    }
    d->cd = (void *)cd;
    return 0;
}

void wp_decoder_close(wp_decoder *d) {
    if (d->cd) iconv_close((iconv_t)d->cd);
    d->cd = NULL;
}

/* Convert with iconv, growing the output buffer on E2BIG. Any EILSEQ or
** EINVAL (a truncated multi-byte sequence) makes the text undecodable. */
char *wp_decode(wp_decoder *d, const char *raw, int *bad) {
    size_t inlen = strlen(raw), cap, outleft, inleft;
    char *out, *in, *op;

    *bad = 0;
    if (d->is_utf8 || wp_is_ascii(raw)) {
        if (!wp_utf8_valid(raw, inlen)) {
            *bad = 1;
            return NULL;
        }
        return strdup(raw);
    }
    cap = inlen * 2 + 8;
    out = malloc(cap);
    if (!out) return NULL;
    iconv((iconv_t)d->cd, NULL, NULL, NULL, NULL);  /* reset shift state */
    in = (char *)raw;
    inleft = inlen;
    op = out;
    outleft = cap - 1;
    while (inleft > 0) {
        if (iconv((iconv_t)d->cd, &in, &inleft, &op, &outleft) != (size_t)-1)
            break;
        if (errno == E2BIG) {
            size_t used = (size_t)(op - out);
            char *bigger = realloc(out, cap * 2);
            if (!bigger) {
                free(out);
                return NULL;
            }
            out = bigger;
            cap *= 2;
            op = out + used;
            outleft = cap - 1 - used;
            continue;
        }
        free(out);
        *bad = 1;
        return NULL;
    }
    *op = '\0';
    /* A NUL decoded from the input would silently cut the text short. */
    if (strlen(out) != (size_t)(op - out) || !wp_utf8_valid(out, strlen(out))) {
        free(out);
        *bad = 1;
        return NULL;
    }
    return out;
}

/* .cpg files hold whatever the writing program felt like: ArcGIS writes
** code page numbers ("936", "65001"), sometimes "ANSI 936"; others write
** iconv names. Numbers become CPnnn, with the ISO-8859 shorthands
** ("88591") spelled out. */
int wp_cpg_encoding(const char *cpg, char *out, size_t outlen) {
    char t[64];
    size_t n;
    const char *p = cpg;

    while (isspace((unsigned char)*p)) p++;
    if (strncasecmp(p, "ANSI", 4) == 0 && p[4] == ' ') p += 5;
    snprintf(t, sizeof t, "%s", p);
    n = strlen(t);
    while (n > 0 && isspace((unsigned char)t[n - 1])) t[--n] = '\0';
    if (n == 0) return -1;
    if (is_utf8_name(t)) {
        snprintf(out, outlen, "UTF-8");
    } else if (strspn(t, "0123456789") == n) {
        if (n == 5 && strncmp(t, "8859", 4) == 0)
            snprintf(out, outlen, "ISO-8859-%c", t[4]);
        else if (n == 6 && strncmp(t, "8859", 4) == 0)
            snprintf(out, outlen, "ISO-8859-%s", t + 4);
        else
            snprintf(out, outlen, "CP%s", t);
    } else if (strncmp(t, "8859_", 5) == 0) {
        snprintf(out, outlen, "ISO-8859-%s", t + 5);
    } else {
        snprintf(out, outlen, "%s", t);
    }
    return 0;
}

/* Try name.cpg and name.CPG beside the .shp (or .dbf). */
int wp_cpg_read(const char *shp_path, char *out, size_t outlen) {
    static const char *exts[] = {".cpg", ".CPG"};
    size_t n = strlen(shp_path), i;
    const char *dot = strrchr(shp_path, '.');
    const char *slash = strrchr(shp_path, '/');
    size_t stem = (dot && (!slash || dot > slash)) ? (size_t)(dot - shp_path) : n;
    char *path = malloc(stem + 5);

    if (!path) return 0;
    for (i = 0; i < 2; i++) {
        FILE *f;
        size_t got;
        memcpy(path, shp_path, stem);
        memcpy(path + stem, exts[i], 5);
        f = fopen(path, "rb");
        if (!f) continue;
        got = fread(out, 1, outlen - 1, f);
        fclose(f);
        out[got] = '\0';
        while (got > 0 && isspace((unsigned char)out[got - 1])) out[--got] = '\0';
        free(path);
        return got > 0;
    }
    free(path);
    return 0;
}

/* Byte 29 of the dBASE header. */
int wp_dbf_ldid(const char *shp_path) {
    static const char *exts[] = {".dbf", ".DBF"};
    size_t n = strlen(shp_path), i;
    const char *dot = strrchr(shp_path, '.');
    const char *slash = strrchr(shp_path, '/');
    size_t stem = (dot && (!slash || dot > slash)) ? (size_t)(dot - shp_path) : n;
    char *path = malloc(stem + 5);
    int ldid = 0;

    if (!path) return 0;
    for (i = 0; i < 2; i++) {
        unsigned char hdr[32];
        FILE *f;
        memcpy(path, shp_path, stem);
        memcpy(path + stem, exts[i], 5);
        f = fopen(path, "rb");
        if (!f) continue;
        if (fread(hdr, 1, sizeof hdr, f) == sizeof hdr) ldid = hdr[29];
        fclose(f);
        break;
    }
    free(path);
    return ldid;
}

/* The dBASE language driver ids that name a code page, after the table in
** shapelib/GDAL. 0x57 is left out on purpose (see encoding.h). */
const char *wp_ldid_encoding(int ldid) {
    static const struct { int id; const char *enc; } tab[] = {
        {0x01, "CP437"}, {0x02, "CP850"}, {0x03, "CP1252"},
        {0x08, "CP865"}, {0x09, "CP437"}, {0x0A, "CP850"}, {0x0B, "CP437"},
        {0x0D, "CP437"}, {0x0E, "CP850"}, {0x0F, "CP437"}, {0x10, "CP850"},
        {0x11, "CP437"}, {0x12, "CP850"}, {0x13, "CP932"}, {0x14, "CP850"},
        {0x15, "CP437"}, {0x16, "CP850"}, {0x17, "CP865"}, {0x18, "CP437"},
        {0x19, "CP437"}, {0x1A, "CP850"}, {0x1B, "CP437"}, {0x1C, "CP863"},
        {0x1D, "CP850"}, {0x1F, "CP852"}, {0x22, "CP852"}, {0x23, "CP852"},
        {0x24, "CP860"}, {0x25, "CP850"}, {0x26, "CP866"}, {0x37, "CP850"},
        {0x40, "CP852"}, {0x4D, "CP936"}, {0x4E, "CP949"}, {0x4F, "CP950"},
        {0x50, "CP874"}, {0x58, "CP1252"}, {0x59, "CP1252"}, {0x64, "CP852"},
        {0x65, "CP866"}, {0x66, "CP865"}, {0x67, "CP861"}, {0x6A, "CP737"},
        {0x6B, "CP857"}, {0x6C, "CP863"}, {0x78, "CP950"}, {0x79, "CP949"},
        {0x7A, "CP936"}, {0x7B, "CP932"}, {0x7C, "CP874"}, {0x86, "CP737"},
        {0x87, "CP852"}, {0x88, "CP857"}, {0xC8, "CP1250"}, {0xC9, "CP1251"},
        {0xCA, "CP1254"}, {0xCB, "CP1253"}, {0xCC, "CP1257"},
    };
    size_t i;
    for (i = 0; i < sizeof tab / sizeof tab[0]; i++)
        if (tab[i].id == ldid) return tab[i].enc;
    return NULL;
}
