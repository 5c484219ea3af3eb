/* dot_theme.c - gprof2dot's colour themes: weight -> HSL -> RGB with gamma,
 * font sizes, pen widths and arrow sizes. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "pstats/graph.h"

static const pg_theme THEMES[PG_NTHEMES] = {
    {"color", {2.0 / 3.0, 0.80, 0.25}, {0.0, 1.0, 0.5}, 1.0, 10.0, 10.0, 0.5, 4.0, "filled", "white"},
    {"pink", {0.0, 1.0, 0.90}, {0.0, 1.0, 0.5}, 2.2, 10.0, 10.0, 0.5, 4.0, "filled", "white"},
    {"gray", {0.0, 0.0, 0.85}, {0.0, 0.0, 0.0}, 2.2, 10.0, 10.0, 0.5, 4.0, "filled", "white"},
    {"bw", {0.0, 0.0, 0.0}, {0.0, 0.0, 0.0}, 2.2, 8.0, 24.0, 0.1, 8.0, "filled", "white"},
    {"print", {0.0, 0.0, 0.0}, {0.0, 0.0, 0.0}, 2.2, 18.0, 30.0, 0.1, 8.0, "solid", "black"},
};

const pg_theme *ps_pg_theme_get(int which)
{
    return which >= 0 && which < PG_NTHEMES ? &THEMES[which] : NULL;
}

const pg_theme *ps_pg_theme_find(const char *name)
{
    for (int i = 0; i < PG_NTHEMES; i++)
        if (strcmp(THEMES[i].name, name) == 0)
            return &THEMES[i];
    return NULL;
}

/* Python's float modulo: the result takes the divisor's sign. */
static double py_fmod(double x, double y)
{
    double m = fmod(x, y);
    if (m != 0.0) {
        if ((y < 0) != (m < 0))
            m += y;
    } else {
        m = copysign(0.0, y);
    }
    return m;
}

static double clamp01(double x)
{
    return x < 0.0 ? 0.0 : x > 1.0 ? 1.0 : x;
}

/* The CSS3 helper: one channel from the hue offset h. */
static double hue_channel(double m1, double m2, double h)
{
    if (h < 0.0)
        h += 1.0;
    else if (h > 1.0)
        h -= 1.0;
    if (h * 6 < 1.0)
        return m1 + (m2 - m1) * h * 6.0;
    if (h * 2 < 1.0)
        return m2;
    if (h * 3 < 2.0)
        return m1 + (m2 - m1) * (2.0 / 3.0 - h) * 6.0;
    return m1;
}

void ps_pg_hsl_to_rgb(const pg_theme *t, double h, double s, double l, double rgb[3])
{
    h = py_fmod(h, 1.0);
    s = clamp01(s);
    l = clamp01(l);
    double m2 = l <= 0.5 ? l * (s + 1.0) : l + s - l * s;
    double m1 = l * 2.0 - m2;
    rgb[0] = hue_channel(m1, m2, h + 1.0 / 3.0);
    rgb[1] = hue_channel(m1, m2, h);
    rgb[2] = hue_channel(m1, m2, h - 1.0 / 3.0);
    if (t->gamma != 1.0)          /* x ** 1.0 is x */
        for (int i = 0; i < 3; i++)
            rgb[i] = pow(rgb[i], t->gamma);
}

void ps_pg_color_rgb(const pg_theme *t, double skew, double w, double rgb[3])
{
    w = ps_unit_clamp(w);   /* NaN and hostile weights (stats.h) */
    double hsl[3];
    for (int i = 0; i < 3; i++) {
        double lo = t->mincolor[i], hi = t->maxcolor[i];
        if (skew == 1.0)
            hsl[i] = lo + w * (hi - lo);
        else
            hsl[i] = lo + ((hi - lo) * (-1.0 + pow(skew, w)) / (skew - 1.0));
    }
    ps_pg_hsl_to_rgb(t, hsl[0], hsl[1], hsl[2], rgb);
}

static int channel_byte(double c)
{
    if (c <= 0.0)
        return 0;
    if (c >= 1.0)
        return 255;
    return (int)(255.0 * c + 0.5);
}

void ps_pg_rgb_hex(const double rgb[3], char out[8])
{
    static const char hex[] = "0123456789abcdef";
    out[0] = '#';
    for (int i = 0; i < 3; i++) {
        int v = isnan(rgb[i]) ? 0 : channel_byte(rgb[i]);
        out[1 + 2 * i] = hex[v >> 4];
        out[2 + 2 * i] = hex[v & 15];
    }
    out[7] = '\0';
}

void ps_pg_color_hex(const pg_theme *t, double skew, double w, char out[8])
{
    double rgb[3];
    ps_pg_color_rgb(t, skew, w, rgb);
    ps_pg_rgb_hex(rgb, out);
}

static double py_max(double a, double b)
{
    return b > a ? b : a;
}

double ps_pg_fontsize(const pg_theme *t, double w)
{
    return py_max(pow(w, 2.0) * t->maxfontsize, t->minfontsize);
}

double ps_pg_penwidth(const pg_theme *t, double w)
{
    return py_max(w * t->maxpenwidth, t->minpenwidth);
}

double ps_pg_arrowsize(const pg_theme *t, double w)
{
    return 0.5 * sqrt(ps_pg_penwidth(t, w));
}
