#ifndef CRISISCUE_CALSA_H
#define CRISISCUE_CALSA_H
#include <alsa/asoundlib.h>
#endif
