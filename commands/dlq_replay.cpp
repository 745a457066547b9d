// salesint dlq_replay: to be written (placeholder so that the command table builds).
#include "groups.hpp"

namespace salesint::cli {

void install_dlq_replay(Command group) {
    (void)group;
}

}  // namespace salesint::cli
