/* shell_util.c - what the browser's commands share (shell_int.h): the
 * error lines and Python's whitespace. */
#include <string.h>
#include "shell/shell_int.h"

const char ps_sh_no_stats[] = "No statistics object is loaded.\n";

/* One clear line on err where CPython would have crashed. */
void ps_sh_report_error(shell *sh, const char *file, const ps_error *e)
{
    char line[1024];
    fflush(sh->out);
    fprintf(sh->err, "%s: %s\n", sh->progname, ps_error_line(e, file, line, sizeof line));
    fflush(sh->err);
    sh->errors++;
}

/* Python's str.split()/strip() whitespace, ASCII part. */
int ps_sh_is_py_space(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
}

/* Split in place on whitespace; returns the number of words. */
size_t ps_sh_split_words(char *s, char **words, size_t max)
{
    size_t n = 0;
    for (;;) {
        while (ps_sh_is_py_space((unsigned char)*s))
            s++;
        if (!*s || n == max)
            return n;
        words[n++] = s;
        while (*s && !ps_sh_is_py_space((unsigned char)*s))
            s++;
        if (*s)
            *s++ = '\0';
    }
}

/* A usage line on err, counted as an error; 0: the command goes on. */
int ps_sh_usage(shell *sh, const char *text)
{
    fprintf(sh->err, "%s: %s\n", sh->progname, text);
    sh->errors++;
    return 0;
}
