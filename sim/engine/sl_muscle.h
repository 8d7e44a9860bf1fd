// sl_muscle.h: stage 2's workspace (sl_muscle.c), sized from the model for sl_data.c.
#ifndef SL_MUSCLE_H
#define SL_MUSCLE_H

#include <stddef.h>

#include "spineload.h"

// doubles of d->geo that sl_muscle_geometry needs for model m
size_t sl_muscle_scratch(const slModel* m);

#endif
