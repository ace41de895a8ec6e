#ifndef CRISISCUE_CPOCKETSPHINX_H
#define CRISISCUE_CPOCKETSPHINX_H
#include <pocketsphinx.h>
#include <sphinxbase/err.h>
#include <sphinxbase/cmd_ln.h>
#include <sphinxbase/feat.h>
#include <sphinxbase/cmn.h>
#include <sphinxbase/fe.h>
#include <string.h>

/*
 * A word lattice over the utterance still in progress, for partial hypotheses rescored
 * the way the final one is (the language model over the lattice's best path).
 *
 * PocketSphinx 5prealpha can build one mid-utterance (ps_get_lattice), except that its
 * search of the lattice's end reads the backpointer-table index of the frame after the
 * last one searched, which the forward search writes only when that next frame starts:
 * mid-utterance it is stale, and reading through it crashes. The library's own
 * ngram_search_mark_bptable writes exactly that entry (the forward search writes the same
 * value again when the frame starts). It is exported but not in the public headers, and
 * it takes the search object, which no public function returns: the search is read from
 * the decoder's leading fields, declared below as the 5prealpha sources lay them out, and
 * used only when every field that a public function also returns agrees with it.
 */
int ngram_search_mark_bptable(void *ngs, int frame_idx);
/* Also exported, not in the headers: the stream frame the utterance began at (lattice
 * frames count from the utterance's start, ps_seg_frames' from the stream's). */
int acmod_stream_offset(void *acmod);

struct crisiscue_acmod_prefix {
    cmd_ln_t *config;
    logmath_t *lmath;
    void *strings;
    fe_t *fe;
    feat_t *fcb;
};

struct crisiscue_ps_search_prefix {
    void *vt;
    char *type;
    char *name;
    void *pls;
    cmd_ln_t *config;
};

struct crisiscue_ps_decoder_prefix {
    cmd_ln_t *config;
    int refcount;
    void *acmod;
    void *dict;
    void *d2p;
    logmath_t *lmath;
    void *searches;
    struct crisiscue_ps_search_prefix *search;
    void *phone_loop;
    int pl_window;
};

/* The n-gram search of `ps`, or NULL where the decoder's layout is not the one expected
 * (another library version) or the active search is not an n-gram one. */
static inline void *crisiscue_ngram_search(ps_decoder_t *ps) {
    struct crisiscue_ps_decoder_prefix *d = (struct crisiscue_ps_decoder_prefix *)ps;
    cmd_ln_t *config = ps_get_config(ps);
    if (d->config != config || d->lmath != ps_get_logmath(ps) || d->search == NULL) return NULL;
    if (d->search->name == NULL || d->search->name != ps_get_search(ps) || d->search->config != config) return NULL;
    if (d->search->type == NULL || strcmp(d->search->type, "ngram") != 0) return NULL;
    if (d->pl_window != (int)cmd_ln_int_r(config, "-pl_window")) return NULL;
    struct crisiscue_acmod_prefix *a = (struct crisiscue_acmod_prefix *)d->acmod;
    if (a == NULL || a->config != config || a->lmath != d->lmath || a->fe != ps_get_fe(ps) || a->fcb != ps_get_feat(ps)) return NULL;
    return d->search;
}

/* The lattice of the utterance so far (owned by the decoder, valid until the next call or
 * the utterance's end), or NULL where none can be built yet. `frames` receives the number
 * of frames the search has seen, computed from the public frame count: the caller checks
 * it against ps_lattice_n_frames. */
static inline ps_lattice_t *crisiscue_partial_lattice(ps_decoder_t *ps, void *ngs, int *frames, int *offset) {
    struct crisiscue_ps_decoder_prefix *d = (struct crisiscue_ps_decoder_prefix *)ps;
    /* The main search runs pl_window frames behind the acoustic model. */
    int searched = ps_get_n_frames(ps) - 1 - d->pl_window;
    *frames = searched;
    *offset = acmod_stream_offset(d->acmod);
    if (searched < 2) return NULL;
    ngram_search_mark_bptable(ngs, searched);
    return ps_get_lattice(ps);
}
#endif
