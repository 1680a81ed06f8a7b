/*
** message.h — error messages into a caller's buffer, the way every module
** reports a problem: printf-style, truncated safely on a UTF-8 character
** boundary (messages quote Chinese names and values).
*/
#ifndef WP_MESSAGE_H
#define WP_MESSAGE_H

/* Format into err (errlen bytes). Does nothing when err is NULL or errlen
** is not positive. A message that does not fit is cut before the first
** UTF-8 sequence that would be split. */
void wp_set_err(char *err, int errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
