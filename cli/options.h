/*
** options.h — uniform option parsing for every subcommand (in the manner of
** git's parse-options): each command declares a table of options with their
** help text, and the same code parses argv and prints usage from it.
*/
#ifndef WP_OPTIONS_H
#define WP_OPTIONS_H

#include <stdio.h>

typedef enum { WP_OPT_FLAG, WP_OPT_STRING, WP_OPT_LIST, WP_OPT_INT, WP_OPT_DOUBLE } wp_opt_type;

/* A list option (--set k=v, repeatable) collects its values here. */
typedef struct {
    int count;
    const char **v;
} wp_opt_list;

typedef struct {
    char short_name;        /* 0 for none */
    const char *long_name;  /* without the dashes */
    wp_opt_type type;
    void *value;            /* int*, const char**, wp_opt_list*, long*, double* */
    const char *arg_name;   /* "FILE" for the help text */
    const char *help;
} wp_option;

/* Parse argv[1..] (argv[0] is the subcommand name) against opts (terminated
** by an entry with long_name NULL). Non-option arguments are moved to the
** front of argv in order and their count is returned; -1 on an error, after
** printing "wasteplan CMD: ..." to stderr. "--help"/"-h" prints the usage
** and returns -2. */
int wp_parse_options(int argc, char **argv, const wp_option *opts,
                     const char *usage, const char *description);

void wp_print_usage(FILE *f, const char *usage, const char *description,
                    const wp_option *opts);

void wp_opt_list_free(wp_opt_list *l);

#endif
