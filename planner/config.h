/*
** config.h — the parameters in force for one run: "section.key" -> value
** text, each remembering where it came from (file and line, or --set), so
** error messages can point there and the output can record every value.
** Plain data, no file I/O: cli/scenario.c fills it from the scenario file.
*/
#ifndef WP_CONFIG_H
#define WP_CONFIG_H

typedef struct {
    char *key;       /* "section.key", section lower-cased */
    char *value;     /* trimmed text */
    char *origin;    /* "jiaozuo.ini:12" or "--set" */
    int used;        /* set when a getter read it (unused keys are reported) */
} wp_config_entry;

typedef struct {
    int count, cap;
    wp_config_entry *e;
    char *base_dir;  /* directory of the scenario file: relative paths resolve here */
    char *path;      /* the scenario file itself */
} wp_config;

void wp_config_init(wp_config *c);
void wp_config_free(wp_config *c);

/* Set key to value (replacing an earlier value). Returns 0 or -1 on OOM. */
int wp_config_set(wp_config *c, const char *key, const char *value,
                  const char *origin);

/* Lookups; each marks the entry used. get returns NULL when absent. */
const char *wp_config_get(wp_config *c, const char *key);
const wp_config_entry *wp_config_entry_of(wp_config *c, const char *key);

/* Typed getters: return 0 and store the value (or def when absent); return
** -1 with a message naming key and origin in err when the text does not
** parse or lies outside [lo, hi]. */
int wp_config_get_double(wp_config *c, const char *key, double def,
                         double lo, double hi, double *out,
                         char *err, int errlen);
int wp_config_get_bool(wp_config *c, const char *key, int def, int *out,
                       char *err, int errlen);

/* Resolve a path from the scenario relative to base_dir; returns a malloc'd
** string (absolute paths are copied as they are), NULL on OOM. */
char *wp_config_path(const wp_config *c, const char *rel);

/* Sections present, in first-appearance order: for each distinct section
** name calls fn(section, ud). Returns the number of sections. */
int wp_config_sections(const wp_config *c,
                       void (*fn)(const char *section, void *ud), void *ud);

#endif
