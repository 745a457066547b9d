// salesint stats: to be written (placeholder so that the command table builds).
#include "groups.hpp"

namespace salesint::cli {

void install_stats(Command group) {
    (void)group;
}

}  // namespace salesint::cli
