/*
** encoding.h — text encodings of input layers. Chinese shapefiles are often
** GBK/GB18030 with no .cpg, or with an LDID byte that only says "the
** system code page"; CSV files saved by Excel on Chinese Windows are GBK.
** These helpers decide which encoding a layer uses and turn its raw bytes
** into UTF-8, reporting bytes that are not valid in that encoding instead
** of silently dropping them (GDAL's own recoder warns once per process).
*/
#ifndef WP_ENCODING_H
#define WP_ENCODING_H

#include <stddef.h>

/* A converter from one encoding to UTF-8. */
typedef struct {
    char name[32];       /* as recorded: "UTF-8", "GBK", "GB18030", "CP936" */
    int is_utf8;         /* 1: input is UTF-8 already, only validated */
    void *cd;            /* iconv_t when !is_utf8, else NULL */
} wp_decoder;

/* 1 when s[0..n) is well-formed UTF-8 (no overlongs, surrogates or code
** points beyond U+10FFFF), else 0. */
int wp_utf8_valid(const char *s, size_t n);

/* 1 when every byte of the NUL-terminated s is < 0x80. */
int wp_is_ascii(const char *s);

/* Prepare a decoder for encoding (case-insensitive; "UTF8", "65001" and
** "UTF-8" are UTF-8; GBK, GB2312 and CP936 are read as GB18030, their
** superset, but keep their name). Returns 0, or -1 with a message in err
** when iconv does not know the encoding. */
int wp_decoder_open(wp_decoder *d, const char *encoding, char *err, int errlen);
void wp_decoder_close(wp_decoder *d);

/* Decode NUL-terminated raw text into a malloc'd UTF-8 string. Returns NULL
** when the bytes are not valid in the decoder's encoding (*bad set to 1) or
** on OOM (*bad set to 0). */
char *wp_decode(wp_decoder *d, const char *raw, int *bad);

/* Map the text of a shapefile .cpg ("GBK", "936", "ANSI 936", "UTF-8",
** "65001", "88591") to an encoding name iconv understands, written into out.
** Returns 0, or -1 when the text is empty. */
int wp_cpg_encoding(const char *cpg, char *out, size_t outlen);

/* Read the .cpg beside a .shp/.dbf path into out (trimmed). Returns 1 when
** a non-empty .cpg exists, 0 when there is none. */
int wp_cpg_read(const char *shp_path, char *out, size_t outlen);

/* The language driver id byte of the .dbf beside a .shp path (0 when none
** or unreadable). */
int wp_dbf_ldid(const char *shp_path);

/* Encoding of an LDID byte when it names a definite code page (CJK ones,
** UTF-8-free Latin ones...); NULL for 0 and for 0x57 "ANSI", which only
** means "the writer's system code page" and so must be detected. */
const char *wp_ldid_encoding(int ldid);

#endif
