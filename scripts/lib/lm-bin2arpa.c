/* lm-bin2arpa: writes a PocketSphinx trie LM (.lm.bin) as ARPA, working around a bug in
 * Debian 12's sphinx_lm_convert (sphinxbase 5prealpha).
 *
 * The shipped en-us.lm.bin declares 2051547 bigrams in its header while its trie holds
 * 2051541 (six zero-padding slots; upstream cmusphinx/pocketsphinx#502, fixed by #501).
 * The 2016 ARPA writer asserts the header count equals the trie walk and aborts. Here the
 * model is loaded normally (the trie layout uses the header counts), then the in-memory
 * counts used by the writer are set to the real ones given on the command line.
 *
 * Usage: lm-bin2arpa IN.lm.bin OUT.arpa [ORDER=COUNT ...]   e.g. 2=2051541
 * Build: cc -O2 -o lm-bin2arpa lm-bin2arpa.c $(pkg-config --cflags --libs sphinxbase) */
#include <stdio.h>
#include <stdlib.h>
#include <sphinxbase/ngram_model.h>
#include <sphinxbase/logmath.h>
#include <sphinxbase/err.h>

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: %s IN.lm.bin OUT.arpa [ORDER=COUNT ...]\n", argv[0]); return 2; }
    err_set_logfp(NULL);
    logmath_t *lmath = logmath_init(1.0001, 0, 0);
    ngram_model_t *lm = ngram_model_read(NULL, argv[1], NGRAM_AUTO, lmath);
    if (!lm) { fprintf(stderr, "lm-bin2arpa: cannot read %s\n", argv[1]); return 1; }
    uint32 *counts = (uint32 *) ngram_model_get_counts(lm);
    for (int i = 3; i < argc; i++) {
        int order; unsigned long n;
        if (sscanf(argv[i], "%d=%lu", &order, &n) != 2 || order < 2 || order > ngram_model_get_size(lm)) {
            fprintf(stderr, "lm-bin2arpa: bad override %s\n", argv[i]); return 2;
        }
        fprintf(stderr, "lm-bin2arpa: %d-gram count %u -> %lu\n", order, counts[order - 1], n);
        counts[order - 1] = (uint32) n;
    }
    if (ngram_model_write(lm, argv[2], NGRAM_ARPA) != 0) { fprintf(stderr, "lm-bin2arpa: write failed\n"); return 1; }
    ngram_model_free(lm);
    logmath_free(lmath);
    return 0;
}
