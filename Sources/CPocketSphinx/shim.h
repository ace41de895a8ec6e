#ifndef CRISISCUE_CPOCKETSPHINX_H
#define CRISISCUE_CPOCKETSPHINX_H
#include <pocketsphinx.h>
#include <sphinxbase/err.h>
#include <sphinxbase/cmd_ln.h>
#include <sphinxbase/feat.h>
#include <sphinxbase/cmn.h>
#endif
