/*
** report.h — the readable tables printed on stdout: the per-material
** summary of a solve, and text helpers that pad mixed Chinese/ASCII text
** by display width.
*/
#ifndef WP_REPORT_H
#define WP_REPORT_H

#include <stdio.h>
#include "../planner/allocate.h"
#include "../planner/model.h"

/* Terminal display width of UTF-8 text (CJK characters count 2). */
int wp_display_width(const char *s);

/* Print s padded with spaces to width columns (right-aligned if right). */
void wp_print_cell(FILE *f, const char *s, int width, int right);

/* The solve summary: one row per material present, then the total, then
** the stranded sources grouped by reason and the full sinks. */
void wp_report_summary(FILE *f, const wp_model *m, const wp_result *r);

#endif
