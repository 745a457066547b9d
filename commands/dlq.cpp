// salesint dlq: to be written (placeholder so that the command table builds).
#include "groups.hpp"

namespace salesint::cli {

void install_dlq(Command group) {
    install_dlq_replay(group);
}

}  // namespace salesint::cli
