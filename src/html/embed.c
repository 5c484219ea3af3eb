/* embed.c - build tool: turns the page's sources (page.html, page.css,
 * page.js) into build/gen/html_page.inc, the C arrays html.c writes.
 *
 *     embed page.html page.css page.js > html_page.inc
 *
 * page.html is the template: @CSS@ and @JS@ are replaced by the two files'
 * text, @CSP@ by the Content-Security-Policy allowing exactly that script
 * and style (their SHA-256 hashes, computed here so that an edit of the
 * sources cannot leave a stale hash), and the page is cut at @TITLE@, @DATA@
 * and @EDGES@, where html.c puts the profile's title and data.  A source that
 * could end its own element early (</script in the script, </style in the
 * style) is refused.  Runs on the build machine only; no library code.
 *
 *     embed --svg-script NAME flame.js > flame_js.inc
 *
 * makes one array NAME of a script for an SVG's CDATA section (refused if
 * it holds "]]>", which would end the section). */
#include <strings.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- SHA-256 (FIPS 180-4) ---------------------------------------------------- */

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void sha256_block(uint32_t h[8], const unsigned char *p)
{
    uint32_t w[64];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 |
               p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = hh + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
        uint32_t t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        hh = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += hh;
}

static void sha256(const unsigned char *data, size_t n, unsigned char out[32])
{
    uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                     0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    size_t i = 0;
    for (; i + 64 <= n; i += 64)
        sha256_block(h, data + i);
    unsigned char last[128] = {0};
    size_t rest = n - i;
    memcpy(last, data + i, rest);
    last[rest] = 0x80;
    size_t blocks = rest + 9 <= 64 ? 1 : 2;
    uint64_t bits = (uint64_t)n * 8;
    for (int k = 0; k < 8; k++)
        last[blocks * 64 - 1 - k] = (unsigned char)(bits >> (8 * k));
    for (size_t k = 0; k < blocks; k++)
        sha256_block(h, last + 64 * k);
    for (int k = 0; k < 8; k++)
        for (int j = 0; j < 4; j++)
            out[4 * k + j] = (unsigned char)(h[k] >> (24 - 8 * j));
}

static void base64(const unsigned char *in, size_t n, char *out)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t o = 0;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16 | (i + 1 < n ? (uint32_t)in[i + 1] << 8 : 0) |
                     (i + 2 < n ? in[i + 2] : 0);
        out[o++] = tab[v >> 18];
        out[o++] = tab[(v >> 12) & 63];
        out[o++] = i + 1 < n ? tab[(v >> 6) & 63] : '=';
        out[o++] = i + 2 < n ? tab[v & 63] : '=';
    }
    out[o] = '\0';
}

/* ---- the template ------------------------------------------------------------- */

static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        perror(path);
        exit(1);
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    size_t k;
    while (buf && (k = fread(buf + n, 1, cap - n, fp)) > 0) {
        n += k;
        if (n == cap)
            buf = realloc(buf, (cap *= 2) + 1);
    }
    fclose(fp);
    if (!buf) {
        fputs("embed: out of memory\n", stderr);
        exit(1);
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* Does s hold needle, ignoring ASCII case (the HTML parser does)? */
static int has_ci(const char *s, const char *needle)
{
    size_t m = strlen(needle);
    for (; *s; s++)
        if (strncasecmp(s, needle, m) == 0)
            return 1;
    return 0;
}

static void hash_of(const char *text, size_t n, char out[64])
{
    unsigned char d[32];
    sha256((const unsigned char *)text, n, d);
    base64(d, 32, out);
}

static void emit_array(const char *name, const char *p, size_t n)
{
    printf("static const unsigned char %s[%zu] = {", name, n);
    for (size_t i = 0; i < n; i++)
        printf("%s%u,", i % 24 ? "" : "\n    ", (unsigned char)p[i]);
    printf("\n};\n");
}

int main(int argc, char **argv)
{
    if (argc == 4 && !strcmp(argv[1], "--svg-script")) {
        size_t n;
        char *js = slurp(argv[3], &n);
        if (strstr(js, "]]>")) {
            fprintf(stderr, "embed: %s must not contain ]]>\n", argv[3]);
            return 1;
        }
        printf("/* generated by src/html/embed.c from %s; do not edit. */\n", argv[3]);
        emit_array(argv[2], js, n);
        free(js);
        return ferror(stdout) ? 1 : 0;
    }
    if (argc != 4) {
        fputs("usage: embed page.html page.css page.js > html_page.inc\n"
              "       embed --svg-script NAME script.js > script.inc\n", stderr);
        return 2;
    }
    size_t hn, cn, jn;
    char *html = slurp(argv[1], &hn), *css = slurp(argv[2], &cn), *js = slurp(argv[3], &jn);
    if (has_ci(js, "</script") || has_ci(js, "<!--")) {
        fprintf(stderr, "embed: %s must not contain </script or <!--\n", argv[3]);
        return 1;
    }
    if (has_ci(css, "</style")) {
        fprintf(stderr, "embed: %s must not contain </style\n", argv[2]);
        return 1;
    }
    char hj[64], hc[64];
    hash_of(js, jn, hj);
    hash_of(css, cn, hc);
    char csp[512];
    snprintf(csp, sizeof csp,
             "default-src 'none'; script-src 'sha256-%s'; style-src 'sha256-%s'; "
             "img-src data:; connect-src 'none'; font-src 'none'; object-src 'none'; "
             "media-src 'none'; frame-src 'none'; worker-src 'none'; manifest-src 'none'; "
             "base-uri 'none'; form-action 'none'",
             hj, hc);
    /* expand into one buffer, noting where @TITLE@ and @DATA@ were */
    size_t cap = hn + cn + jn + strlen(csp) + 1;
    char *out = malloc(cap);
    size_t n = 0, cut[3] = {0, 0, 0};
    int ncut = 0, seen_css = 0, seen_js = 0, seen_csp = 0;
    for (size_t i = 0; i < hn;) {
        const char *p = html + i;
        if (!strncmp(p, "@CSS@", 5)) {
            memcpy(out + n, css, cn), n += cn, i += 5, seen_css++;
        } else if (!strncmp(p, "@JS@", 4)) {
            memcpy(out + n, js, jn), n += jn, i += 4, seen_js++;
        } else if (!strncmp(p, "@CSP@", 5)) {
            memcpy(out + n, csp, strlen(csp)), n += strlen(csp), i += 5, seen_csp++;
        } else if (!strncmp(p, "@TITLE@", 7) && ncut == 0) {
            cut[ncut++] = n, i += 7;
        } else if (!strncmp(p, "@DATA@", 6) && ncut == 1) {
            cut[ncut++] = n, i += 6;
        } else if (!strncmp(p, "@EDGES@", 7) && ncut == 2) {
            cut[ncut++] = n, i += 7;
        } else {
            out[n++] = html[i++];
        }
    }
    if (seen_css != 1 || seen_js != 1 || seen_csp != 1 || ncut != 3) {
        fprintf(stderr, "embed: %s needs @CSP@, @TITLE@, @CSS@, @DATA@, @JS@ and @EDGES@ once "
                        "each, @TITLE@, @DATA@ and @EDGES@ in that order\n", argv[1]);
        return 1;
    }
    printf("/* html_page.inc - generated by src/html/embed.c from %s, %s and %s; do not edit. */\n",
           argv[1], argv[2], argv[3]);
    emit_array("html_head", out, cut[0]);
    emit_array("html_mid", out + cut[0], cut[1] - cut[0]);
    emit_array("html_script", out + cut[1], cut[2] - cut[1]);
    emit_array("html_tail", out + cut[2], n - cut[2]);
    free(out);
    free(html);
    free(css);
    free(js);
    return ferror(stdout) ? 1 : 0;
}
