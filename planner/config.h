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
    int n_sections, cap_sections;
    char **sections; /* section names, lower-cased, first-appearance order */
} wp_config;

void wp_config_init(wp_config *c);
void wp_config_free(wp_config *c);

/* Set key to value (replacing an earlier value, which keeps its place).
** The key is ASCII lower-cased; the value is kept as given. The key's
** section is recorded too, taken from the key itself: the part before
** ".field." when the key has one ("plants.cement.field.name" -> section
** "plants.cement"), otherwise everything before the last '.'
** ("material.red_mud.density" -> "material.red_mud"). Returns 0 or -1 on
** OOM. */
int wp_config_set(wp_config *c, const char *key, const char *value,
                  const char *origin);

/* Set section.key to value, recording section exactly as given (lower-
** cased): what an INI reader uses, as it knows where the section ends.
** Returns 0 or -1 on OOM. */
int wp_config_set_in(wp_config *c, const char *section, const char *key,
                     const char *value, const char *origin);

/* Declare a section (lower-cased) even when it holds no key yet, e.g. an
** INI header. Declaring it again is a no-op. Returns 0 or -1 on OOM. */
int wp_config_add_section(wp_config *c, const char *section);

/* Lookups; each marks the entry used. get returns NULL when absent. */
const char *wp_config_get(wp_config *c, const char *key);
const wp_config_entry *wp_config_entry_of(wp_config *c, const char *key);

/* Typed getters: return 0 and store the value (or def when absent); return
** -1 with a message naming key and origin in err when the text does not
** parse or lies outside [lo, hi] ("jiaozuo.ini:12: scenario.detour = 'abc'
** is not a number (expected 1.0–3.0)"). Numbers follow wp_number_parse;
** booleans are true/false, yes/no, on/off, 1/0 in any ASCII case. */
int wp_config_get_double(wp_config *c, const char *key, double def,
                         double lo, double hi, double *out,
                         char *err, int errlen);
int wp_config_get_bool(wp_config *c, const char *key, int def, int *out,
                       char *err, int errlen);

/* Resolve a path from the scenario relative to base_dir; returns a malloc'd
** string (absolute paths are copied as they are), NULL on OOM. */
char *wp_config_path(const wp_config *c, const char *rel);

/* Sections present, in first-appearance order: for each distinct section
** name calls fn(section, ud) (fn may be NULL to only count). Returns the
** number of sections. */
int wp_config_sections(const wp_config *c,
                       void (*fn)(const char *section, void *ud), void *ud);

#endif
