/*
** commands.h — the subcommands of wasteplan, one file each (cmd_*.c).
** Each takes argv with argv[0] = the subcommand name and returns an exit
** code from pipeline.h.
*/
#ifndef WP_COMMANDS_H
#define WP_COMMANDS_H

int wp_cmd_solve(int argc, char **argv);
int wp_cmd_check(int argc, char **argv);
int wp_cmd_gen(int argc, char **argv);
int wp_cmd_plan(int argc, char **argv);
int wp_cmd_matrix(int argc, char **argv);
int wp_cmd_sweep(int argc, char **argv);
int wp_cmd_compare(int argc, char **argv);
int wp_cmd_site(int argc, char **argv);

#endif
