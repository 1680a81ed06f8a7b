/*
** scenario.h — read a scenario file (INI) into a wp_config, apply
** --set overrides, and turn [scenario] and [material.*] sections into model
** parameters. docs/scenario.md is the user-facing reference.
*/
#ifndef WP_SCENARIO_H
#define WP_SCENARIO_H

#include "../planner/config.h"
#include "../planner/material.h"

/* Parse the INI file at path into cfg (cfg->path and cfg->base_dir set).
** Returns 0, or -1 with "file:line: what is wrong" in err (missing file,
** a line that is neither section, key=value nor comment, a key outside any
** section, text that is not valid UTF-8). */
int wp_scenario_read(const char *path, wp_config *cfg, char *err, int errlen);

/* Apply one "section.key=value" override (origin "--set"). Returns 0, or -1
** with a message when the text has no '=' or no section. */
int wp_scenario_set(wp_config *cfg, const char *assignment,
                    char *err, int errlen);

/* Apply every [material.<id>] section to ms (defining new materials where
** the id is not built in). Returns 0, or -1 with a message naming the key,
** its origin and what to fix. */
int wp_scenario_materials(wp_config *cfg, wp_materials *ms,
                          char *err, int errlen);

#endif
