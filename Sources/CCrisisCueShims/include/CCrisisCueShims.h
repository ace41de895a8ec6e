#ifndef CRISISCUE_SHIMS_H
#define CRISISCUE_SHIMS_H

/// Replaces ALSA's library-wide error handler (which prints to stderr and corrupts a
/// full-screen UI) with one that discards messages. `snd_lib_error_set_handler` takes a
/// variadic callback, which Swift cannot write. Process-global; call before opening PCMs.
void ccq_alsa_silence_errors(void);

/// Restores ALSA's default handler (messages to stderr), for `--verbose`.
void ccq_alsa_default_errors(void);

#endif
