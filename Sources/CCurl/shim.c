// Everything CCurl offers is inline in include/CCurl.h; SwiftPM needs one source file in a C target.
#include "CCurl.h"
