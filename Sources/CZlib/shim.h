#ifndef TRIAGE_CZLIB_SHIM_H
#define TRIAGE_CZLIB_SHIM_H
#include <zlib.h>
#endif
