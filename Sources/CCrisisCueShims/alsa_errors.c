#include "CCrisisCueShims.h"
#include <alsa/asoundlib.h>
#include <stdarg.h>

static void ccq_discard(const char *file, int line, const char *function, int err,
                        const char *fmt, ...) {
    (void)file; (void)line; (void)function; (void)err; (void)fmt;
}

void ccq_alsa_silence_errors(void) { snd_lib_error_set_handler(ccq_discard); }

void ccq_alsa_default_errors(void) { snd_lib_error_set_handler(NULL); }
