#ifndef VIRTLAB_CZLIB_SHIM_H
#define VIRTLAB_CZLIB_SHIM_H
#include <zlib.h>
#endif
