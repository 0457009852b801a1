#ifndef TRAMA_CGRAPHVIZ_SHIM_H
#define TRAMA_CGRAPHVIZ_SHIM_H
#include <graphviz/gvc.h>
#include <graphviz/cgraph.h>
#endif
