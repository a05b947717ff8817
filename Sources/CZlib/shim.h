#ifndef TRIAGE_CZLIB_SHIM_H
#define TRIAGE_CZLIB_SHIM_H
#include <zlib.h>
/* glibc's mallopt (the system C library the module already links with): a scan of thousands
   of files fixes the mmap threshold, see ArchiveScan.run. */
#if __has_include(<malloc.h>)
#include <malloc.h>
#endif
#endif
