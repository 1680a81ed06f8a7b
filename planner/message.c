/*
** message.c — wp_set_err (see message.h).
*/
#include "message.h"

#include <stdarg.h>
#include <stdio.h>

void wp_set_err(char *err, int errlen, const char *fmt, ...) {
    va_list ap;
    int n;
    if (!err || errlen <= 0) return;
    va_start(ap, fmt);
    n = vsnprintf(err, (size_t)errlen, fmt, ap);
    va_end(ap);
    if (n >= errlen) {
        /* Truncated: drop a trailing partial multi-byte sequence. */
        int end = errlen - 1, i = end;
        while (i > 0 && ((unsigned char)err[i - 1] & 0xC0) == 0x80) i--;
        if (i > 0 && ((unsigned char)err[i - 1] & 0x80)) {
            unsigned char lead = (unsigned char)err[i - 1];
            int need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
            if (end - (i - 1) < need) err[i - 1] = '\0';
        }
    }
}
