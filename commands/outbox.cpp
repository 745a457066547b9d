// salesint outbox: to be written (placeholder so that the command table builds).
#include "groups.hpp"

namespace salesint::cli {

void install_outbox(Command group) {
    (void)group;
}

}  // namespace salesint::cli
