// sl_status.h: status codes and error reports, shared by every module.
//
// They are part of the public API, so they are declared in the public header (the one installed
// header must not include internal ones); library files include this name for them.
#ifndef SL_STATUS_H
#define SL_STATUS_H

#include "spineload.h"

#endif
